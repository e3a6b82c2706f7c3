// What a file is, judged by its content (magic bytes and, for the OOXML zips, the declared main
// part), never by its name or by the Content-Type a browser sends: both are chosen by the sender.
// The accepted formats are the ones an applicant can produce from a scan or an office suite for
// the electronic dossier (Decree 45/2020/NĐ-CP on administrative procedures done electronically).
import { fileTypeFromFile } from 'file-type';

export type AcceptedType = 'pdf' | 'jpeg' | 'png' | 'docx' | 'xlsx';

export const ACCEPTED_TYPES: readonly AcceptedType[] = Object.freeze(['pdf', 'jpeg', 'png', 'docx', 'xlsx'] as const);

export const MEDIA_TYPES: Record<AcceptedType, string> = Object.freeze({
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});

// file-type names JPEG "jpg"; matching on its media type instead keeps the mapping exact. A
// macro-enabled docm/xlsm has its own media type, so it is refused here (macros are executable).
const BY_MEDIA_TYPE = new Map<string, AcceptedType>(ACCEPTED_TYPES.map((type) => [MEDIA_TYPES[type], type]));

/** The accepted types as a citizen reads them in a message: "PDF, JPEG, PNG, DOCX, XLSX". */
export function acceptedTypesLabel(types: readonly AcceptedType[]): string {
  return types.map((type) => type.toUpperCase()).join(', ');
}

/** The accepted type of the file at `path`, or undefined for anything else (exe, zip, text, gif…). */
export async function detectFileType(path: string): Promise<AcceptedType | undefined> {
  let detected: Awaited<ReturnType<typeof fileTypeFromFile>>;
  try {
    detected = await fileTypeFromFile(path);
  } catch (error) {
    // A file-system failure (missing file, permissions) is a fault of ours and must surface; a
    // parser failure on hostile or broken content (a malformed zip) only means "not recognised".
    if (isSystemError(error)) throw error;
    return undefined;
  }
  return detected ? BY_MEDIA_TYPE.get(detected.mime) : undefined;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}
