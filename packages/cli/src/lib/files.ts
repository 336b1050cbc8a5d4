import { promises as fs } from 'node:fs';
import { EXIT, UserError } from './exit.js';
import { describeFsError } from './output.js';

/**
 * Largest input file `bulkhead` reads (32 MiB). Larger files are refused from their size alone,
 * before any byte is read, so memory stays bounded. A stack export of several thousand resources
 * is a few megabytes.
 */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Reads a text input (compose, JSON, exemptions, seccomp profile) with the checks every input
 * gets: it must exist, be a regular file no larger than {@link MAX_INPUT_BYTES}, be non-empty and
 * be UTF-8 text. A leading byte-order mark is dropped.
 * @throws {@link UserError} (exit 2) with one clear line.
 */
export async function readInputText(file: string, what = 'input'): Promise<string> {
  let size: number;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new UserError(`cannot read ${what} ${file}: is a directory`, EXIT.usage);
    if (!st.isFile()) throw new UserError(`cannot read ${what} ${file}: not a regular file`, EXIT.usage);
    size = st.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `cannot read ${what} ${file}: ${describeFsError((error as NodeJS.ErrnoException).code ?? 'error')}`,
      EXIT.usage,
    );
  }
  if (size > MAX_INPUT_BYTES) throw tooLarge(file, what, size);
  let buf: Buffer;
  try {
    const handle = await fs.open(file, 'r');
    try {
      // Read at most one byte past the limit, in case the file grew since stat.
      buf = Buffer.alloc(Math.min(size, MAX_INPUT_BYTES) + 1);
      let n = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
        if (n >= buf.length) break;
      }
      buf = buf.subarray(0, n);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UserError(
      `cannot read ${what} ${file}: ${describeFsError((error as NodeJS.ErrnoException).code ?? 'error')}`,
      EXIT.usage,
    );
  }
  if (buf.length > MAX_INPUT_BYTES) throw tooLarge(file, what, buf.length);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') {
    throw new UserError(`${what} ${file} is empty`, EXIT.usage);
  }
  if (buf.includes(0)) {
    throw new UserError(`${what} ${file} is not a text file (it contains NUL bytes)`, EXIT.usage);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new UserError(`${what} ${file} is not UTF-8 text`, EXIT.usage);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooLarge(file: string, what: string, size: number): UserError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new UserError(
    `${what} ${file} is ${mb(size)}; bulkhead refuses inputs over ${mb(MAX_INPUT_BYTES)}`,
    EXIT.usage,
    ['split the input, or check that this is the file you meant'],
  );
}
