// Messages of the document module (uploads, PDFs), Vietnamese and English. Pure data: the i18n
// catalogue merges them, so this file imports nothing.
export const documentVi = {
} as const;

export const documentEn: Record<keyof typeof documentVi, string> = {
};
