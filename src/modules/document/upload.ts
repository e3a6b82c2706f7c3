// Receives one uploaded file: streamed to a temp file while it is hashed and counted (never held
// in memory whole), then checked — size, content type, antivirus — before the caller moves it into
// storage. Every refusal removes the temp file and releases the request stream.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../platform/errors/app-error.js';
import { acceptedTypesLabel, detectFileType, MEDIA_TYPES, type AcceptedType } from './content-type.js';
import type { FileScanner } from './scan.js';

export { safeFileName } from './safe-file-name.js';

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  size: number;
  type: AcceptedType;
  mediaType: string;
}

export interface ReceiveOptions {
  /** On the storage's filesystem (storageTempDir), so that storing is a rename. */
  tempDir: string;
  maxBytes: number;
  accept: readonly AcceptedType[];
  scanner: FileScanner;
  /** True once the multipart parser cut the file at its own limit (@fastify/multipart's `file.truncated`). */
  truncated?: () => boolean;
}

const BYTES_PER_MB = 1024 * 1024;

export async function receiveUpload(source: NodeJS.ReadableStream, options: ReceiveOptions): Promise<ReceivedFile> {
  const { tempDir, maxBytes, accept, scanner, truncated } = options;
  // A unique name opened exclusively ('wx'): two uploads never share a temp file.
  const tempPath = path.join(tempDir, `${randomUUID()}.upload`);
  const tooLarge = () => new AppError('payload_too_large', 'document.tooLarge', { maxMb: megabytes(maxBytes) });
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      // Stop at the first byte over the limit rather than after writing the whole body.
      if (size > maxBytes || truncated?.()) return done(tooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });

  try {
    await mkdir(tempDir, { recursive: true });
    await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
    if (truncated?.()) throw tooLarge();
    if (size === 0) throw new AppError('invalid_input', 'document.empty');

    const type = await detectFileType(tempPath);
    if (type === undefined || !accept.includes(type)) {
      throw new AppError('unsupported_media_type', 'document.typeNotAllowed', { accepted: acceptedTypesLabel(accept) });
    }

    const verdict = await scanner.scan(tempPath);
    if (!verdict.clean) {
      const refused = new AppError('unprocessable', 'document.infected');
      // The signature name is for the operators' log, never for the page.
      refused.cause = verdict.reason;
      throw refused;
    }

    return { tempPath, sha256: hash.digest('hex'), size, type, mediaType: MEDIA_TYPES[type] };
  } catch (error) {
    releaseSource(source);
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** The limit as a citizen reads it: 10485760 → 10. */
function megabytes(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10;
}

// pipeline() destroys the source when it fails midway; this covers the failures before the
// pipeline ran (the temp dir could not be made). A request stream left unread would keep the HTTP
// request open. Destroying a @fastify/multipart file stream ends that request's parsing.
function releaseSource(source: NodeJS.ReadableStream): void {
  const readable = source as Partial<Readable> & NodeJS.ReadableStream;
  if (readable.readableEnded || readable.destroyed) return;
  readable.on('error', () => {}); // an error after we gave up on the stream is of no interest
  if (typeof readable.destroy === 'function') readable.destroy();
  else readable.resume();
}
