// The document module's public surface: uploads checked by content, content-addressed storage,
// the antivirus hook, and official PDFs.
export { ACCEPTED_TYPES, MEDIA_TYPES, acceptedTypesLabel, detectFileType, type AcceptedType } from './content-type.js';
export { createDiskStorage, storageTempDir, type FileStorage } from './storage.js';
export { noScanner, type FileScanner, type ScanVerdict } from './scan.js';
export { receiveUpload, safeFileName, type ReceivedFile } from './upload.js';
export { renderOfficialPdf, type OfficialDocument } from './pdf.js';
