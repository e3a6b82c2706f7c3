// Reading back the PDFs the product issues: pdftotext (Debian's poppler-utils, which .ci/run
// installs) lays the text out as on the page; NFC, as the documents are written.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
let dir: string | undefined;

export async function pdfText(pdf: Buffer): Promise<string> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pdftext-'));
  const file = path.join(dir, `${process.pid}-${Math.random().toString(16).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    const { stdout } = await run('pdftotext', ['-layout', file, '-'], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.normalize('NFC');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftotext was not found: install poppler-utils (apt-get install poppler-utils) to read the PDFs');
    throw error;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
