// Where uploaded files and issued PDFs live. Content-addressed: a file is stored under its SHA-256,
// so the same document attached to several dossiers is stored once and can be reused, as the
// e-repository of Decree 45/2020/NĐ-CP intends, and a stored file can never change under its name.
import { createReadStream, mkdirSync } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface FileStorage {
  has(sha256: string): Promise<boolean>;
  /** Moves a finished temp file into place under its hash; when that hash is already stored, deletes the temp file instead. */
  putFile(sha256: string, tempPath: string): Promise<{ stored: boolean }>;
  read(sha256: string): Promise<Buffer>;
  createReadStream(sha256: string): NodeJS.ReadableStream;
}

// Lower-case only: one content has exactly one name, and nothing but hex reaches a path.
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Temp files live under the storage root so that moving them into place is a rename on one filesystem. */
export function storageTempDir(rootDir: string): string {
  const dir = path.join(path.resolve(rootDir), 'tmp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Files at root/ab/cd/<sha256>: two levels of fan-out keep directories small. */
export function createDiskStorage(rootDir: string): FileStorage {
  const root = path.resolve(rootDir);

  const pathOf = (sha256: string): string => {
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      throw new TypeError(`Not a SHA-256 hash (64 lower-case hex characters): ${JSON.stringify(String(sha256).slice(0, 80))}`);
    }
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  const exists = async (file: string): Promise<boolean> => {
    try {
      await access(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };

  return {
    has: async (sha256) => exists(pathOf(sha256)),

    // The caller hashed the file while receiving it (receiveUpload); the hash is trusted here.
    async putFile(sha256, tempPath) {
      const target = pathOf(sha256);
      if (await exists(target)) {
        await rm(tempPath, { force: true });
        return { stored: false };
      }
      await mkdir(path.dirname(target), { recursive: true });
      try {
        // rename is atomic: a reader sees the whole file or none. Two identical uploads racing
        // here both rename the same bytes, so the loser overwrites the file with itself.
        await rename(tempPath, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        // A temp file from another filesystem: copy it next to the target first, then rename.
        const staging = path.join(storageTempDir(root), `${randomUUID()}.move`);
        try {
          await copyFile(tempPath, staging);
          await rename(staging, target);
        } finally {
          await rm(staging, { force: true });
        }
        await rm(tempPath, { force: true });
      }
      return { stored: true };
    },

    read: async (sha256) => readFile(pathOf(sha256)),

    createReadStream: (sha256) => createReadStream(pathOf(sha256)),
  };
}
