// The signature module's public surface: issuing signed electronic results (for the workflow's
// approval step), the demo keys and the `keys` command (for main.ts), and the verification
// routes and pages (for app.ts). Decision 009.
export { issueSignedResult, dossierResultTemplate, type IssueResultInput, type IssuedResult, type SignatureDeps } from './signed-result.js';
export { verifyUrl, type ResultTemplateData } from './result-pdf.js';
export { ensureDemoSigningKeys } from './key-store.js';
export { runKeysCommand, type KeysOutput } from './keys-cli.js';
export { verifySignedResult, type VerifyDeps } from './verification.js';
export { signatureRoutes } from './signature.routes.js';
export { signaturePages } from './signature.pages.js';
