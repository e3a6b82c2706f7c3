// Messages of the dossier module (submission, tracking), Vietnamese and English. Pure data: the i18n
// catalogue merges them, so this file imports nothing.
export const dossierVi = {
} as const;

export const dossierEn: Record<keyof typeof dossierVi, string> = {
};
