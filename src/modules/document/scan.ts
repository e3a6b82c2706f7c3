// The antivirus hook. Every upload is scanned after its type is checked and before it is stored,
// so an infected file never reaches the e-repository (Decree 45/2020/NĐ-CP keeps submitted
// documents for reuse, so what is stored once is served again).
export type ScanVerdict = { clean: true } | { clean: false; reason: string };

export interface FileScanner {
  /** Scans the finished temp file at `path`. Rejects when the scanner itself is unavailable. */
  scan(path: string): Promise<ScanVerdict>;
}

/**
 * The default: every file is clean. A ClamAV driver would implement the same interface by
 * streaming the file to clamd (`zINSTREAM`) and mapping "stream: OK" to `{ clean: true }` and
 * "stream: <signature> FOUND" to `{ clean: false, reason: signature }`; an unreachable clamd
 * should reject rather than answer clean.
 */
export const noScanner: FileScanner = Object.freeze({
  async scan(): Promise<ScanVerdict> {
    return { clean: true };
  },
});
