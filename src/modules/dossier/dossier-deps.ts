// What the dossier module's use cases need from the app, passed in explicitly (no container).
import type { SecretBox } from '../../platform/security/secrets.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { JobRegistry } from '../../platform/outbox/registry.js';
import type { FileScanner, FileStorage } from '../document/document.service.js';

export interface DossierDeps {
  db: Kysely<DB>;
  jobs: JobRegistry;
  storage: FileStorage;
  scanner: FileScanner;
  /** Where uploads are streamed before they are checked (on the storage's filesystem). */
  tempDir: string;
  publicUrl: string;
  uploadMaxBytes: number;
  /** Opens the agencies' signing keys; without it, approval issues no electronic result. */
  secrets?: SecretBox | undefined;
}

export interface RequestMeta {
  ip?: string | undefined;
}
