import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { JobRegistry } from '../../platform/outbox/registry.js';
import type { SecretBox } from '../../platform/security/secrets.js';
import type { SessionPolicy } from './sessions.js';

/** What the identity use cases need from the application around them. */
export interface IdentityDeps {
  db: Kysely<DB>;
  jobs: JobRegistry;
  secrets: SecretBox;
  publicUrl: string;
  sessions: SessionPolicy;
  loginMaxFailures: number;
  loginLockMinutes: number;
}

export interface RequestMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  locale: 'vi' | 'en';
}
