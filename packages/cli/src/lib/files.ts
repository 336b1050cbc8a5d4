import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { EXIT, firstLine, UserError } from './exit.js';

/**
 * Largest input file `bulkhead` reads (32 MiB). Larger files are refused from their size alone,
 * before any byte is read, so memory stays bounded. A stack export of several thousand resources
 * is a few megabytes.
 */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Files this run has read as input, by device and inode (`dev:ino` → the name it was read as), so
 * an output can refuse to overwrite one whatever name it is given under.
 */
const inputs = new Map<string, string>();
const inodeKey = (st: Pick<Stats, 'dev' | 'ino'>) => `${st.dev}:${st.ino}`;

/** The name under which this run read the file `st` describes, if it did. */
export function inputRead(st: Pick<Stats, 'dev' | 'ino'>): string | undefined {
  return inputs.get(inodeKey(st));
}

/** Records a file read by other means (a Pulumi program loaded by Node) as an input of this run. */
export function noteInput(file: string): void {
  try {
    inputs.set(inodeKey(statSync(file)), file);
  } catch {
    // Not there: nothing to protect.
  }
}

/** Options of the bounded readers. */
export interface ReadOptions {
  /** What the file is, for messages (`exemptions file`, `--merge profile`). */
  what?: string;
  /** Byte limit (default {@link MAX_INPUT_BYTES}). */
  maxBytes?: number;
}

/** What a file that is not regular is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'is a character device';
  if (st.isBlockDevice()) return 'is a block device';
  if (st.isSocket()) return 'is a socket';
  return 'is not a regular file';
}

// O_NONBLOCK: should the path turn into a FIFO between stat and open, the open does not wait for
// a writer; fstat after the open then refuses it.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Reads an input file's bytes through the one bounded path every file-taking flag uses: the
 * path must name a regular file (FIFOs, devices such as /dev/zero, sockets and directories are
 * refused from `stat`, without opening them), the file is opened non-blocking and checked again
 * with `fstat` (same inode, still regular), and at most `maxBytes` are read.
 *
 * The one implementation of the read loop, synchronous so that the compose converter can use it;
 * {@link readInputBytes} is its promise form. Inputs are bounded (32 MiB by default) and nothing
 * else runs while the CLI reads them, so reading without yielding costs nothing.
 * @throws {@link UserError} (exit 2) with one line naming the file and the problem.
 */
export function readInputBytesSync(file: string, options: ReadOptions = {}): Buffer {
  const what = options.what ?? 'input';
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  let st: Stats;
  let fd: number;
  try {
    st = statSync(file);
  } catch (error) {
    throw cannotRead(file, what, error as NodeJS.ErrnoException);
  }
  checkRegular(file, what, st, max);
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw cannotRead(file, what, error as NodeJS.ErrnoException);
  }
  try {
    checkSame(file, what, st, fstatSync(fd));
    // Read at most one byte past the limit, in case the file grew since stat.
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let n = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n >= buf.length) break;
    }
    if (n > max) throw tooLarge(file, what, n, max);
    inputs.set(inodeKey(st), file);
    return buf.subarray(0, n);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw cannotRead(file, what, error as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
}

/** {@link readInputBytesSync} as a promise (errors reject it). */
export async function readInputBytes(file: string, options: ReadOptions = {}): Promise<Buffer> {
  return readInputBytesSync(file, options);
}

/**
 * Reads a text input (compose, JSON, exemptions, seccomp profile) through {@link readInputBytes},
 * then checks it is non-empty UTF-8 text without NUL bytes. A leading byte-order mark is dropped.
 * @throws {@link UserError} (exit 2) with one clear line.
 */
export async function readInputText(file: string, what = 'input', maxBytes?: number): Promise<string> {
  const buf = await readInputBytes(file, { what, ...(maxBytes ? { maxBytes } : {}) });
  return decodeText(file, what, buf);
}

/**
 * Reads a small YAML or JSON data file (exemptions, hosts) through {@link readInputText} and
 * parses it, aliases bounded.
 * @throws {@link UserError} (exit 2): `<what> <file> is not valid YAML or JSON: <first line>`.
 */
export async function readDataFile(file: string, what: string): Promise<unknown> {
  const text = await readInputText(file, what);
  const { parse } = await import('yaml');
  try {
    return parse(text, { maxAliasCount: 100, prettyErrors: false }) as unknown;
  } catch (error) {
    throw new UserError(`${what} ${file} is not valid YAML or JSON: ${firstLine(error)}`, EXIT.usage);
  }
}

/** {@link readInputText} for code that must stay synchronous. */
export function readInputTextSync(file: string, what = 'input', maxBytes?: number): string {
  return decodeText(file, what, readInputBytesSync(file, { what, ...(maxBytes ? { maxBytes } : {}) }));
}

function decodeText(file: string, what: string, buf: Buffer): string {
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

function checkRegular(file: string, what: string, st: Stats, max: number): void {
  if (!st.isFile()) {
    throw new UserError(
      `cannot read ${what} ${file}: ${kindOf(st)}; bulkhead reads regular files only`,
      EXIT.usage,
      ['save the input to a regular file first'],
    );
  }
  if (st.size > max) throw tooLarge(file, what, st.size, max);
}

function checkSame(file: string, what: string, before: Stats, now: Stats): void {
  if (!now.isFile() || now.dev !== before.dev || now.ino !== before.ino) {
    throw new UserError(
      `cannot read ${what} ${file}: it was replaced while being opened${now.isFile() ? '' : ` (it ${kindOf(now).slice(3)})`}`,
      EXIT.usage,
    );
  }
}

function cannotRead(file: string, what: string, error: NodeJS.ErrnoException): UserError {
  return new UserError(`cannot read ${what} ${file}: ${describeFsError(error.code ?? 'error')}`, EXIT.usage);
}

function tooLarge(file: string, what: string, size: number, max: number): UserError {
  const mb = (n: number) =>
    max < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new UserError(
    `${what} ${file} is ${mb(size)}; bulkhead refuses inputs over ${mb(max)}`,
    EXIT.usage,
    ['split the input, or check that this is the file you meant'],
  );
}

/** A short human phrase for a filesystem error code. */
export function describeFsError(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EPIPE':
      return 'the reader went away';
    case 'EXDEV':
      return 'cannot rename across file systems';
    default:
      return code;
  }
}
