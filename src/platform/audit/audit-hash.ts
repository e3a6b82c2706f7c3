// The hash of an audit entry: pure functions, shared by the writer (appendAudit) and the
// checker (verifyAuditChain), so that both hash exactly the same bytes.
import { createHash } from 'node:crypto';
import type { AuditActorType } from './audit.table.js';

/** The prev_hash of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything the hash covers: every column but id (a sequence value, gaps allowed) and hash itself. */
export interface AuditHashFields {
  prevHash: string;
  /** The stored `at` in its canonical text: UTC, microseconds, e.g. 2026-11-28T05:07:09.123456Z. */
  at: string;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/**
 * SHA-256 (hex) of the UTF-8 bytes of the canonical JSON array
 * [prevHash, at, actorType, actorId, action, objectType, objectId, ip, details].
 * A JSON array rather than joined strings: JSON's quoting makes the encoding unambiguous
 * (no value can forge a separator), and absent values are `null`, distinct from "".
 */
export function computeAuditHash(fields: AuditHashFields): string {
  const text = canonicalJson([
    fields.prevHash,
    fields.at,
    fields.actorType,
    fields.actorId,
    fields.action,
    fields.objectType,
    fields.objectId,
    fields.ip,
    fields.details,
  ]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with the keys of every object sorted (JavaScript's default sort: UTF-16 code units) and no
 * whitespace. PostgreSQL's jsonb reorders keys its own way, so the order in which the details were
 * written cannot be part of what is hashed. Written as a serialiser (not "sort then
 * JSON.stringify") so that a key such as "__proto__" is an ordinary key here.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`);
  }
}
