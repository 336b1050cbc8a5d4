import { randomBytes } from 'node:crypto';
import { constants, promises as fs, fstatSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { escapeTerminal } from '@bulkhead/core';
import { EXIT, UserError } from './exit.js';
import { describeFsError, inputRead } from './files.js';

/**
 * The one way `bulkhead` writes a file a user named (`validate`/`audit --output`, `seccomp
 * generate/learn --output`). What it does depends on what is at the path, never on the name:
 *
 * - nothing: a new regular file (mode 0644 before the umask), written atomically;
 * - a regular file with one link: replaced atomically (temporary file in the same directory,
 *   fsync, rename), keeping its permission bits (and, as root, its owner);
 * - a symbolic link: followed; what it points to is treated as above (the link itself stays). A
 *   link to nothing is refused: it would create a file wherever the link points;
 * - a regular file with several hard links: refused, since replacing it would split the names
 *   and writing in place would change what the other names show;
 * - a character device or FIFO: written through (as a shell redirection would), never replaced;
 *   a FIFO without a reader is waited for, after saying so;
 * - `-`, or a path naming this process's standard output when that is a pipe, socket or
 *   terminal (`/dev/stdout`): standard output;
 * - a directory, socket or block device: refused;
 * - a file this run read as input (same device and inode, whatever the name): refused.
 *
 * On success it prints one line on standard error saying what it did. Text arrives in chunks and
 * is written as it comes, so a large report is never one string.
 */
export async function writeOutput(
  file: string,
  text: string | Chunks,
  options: { flag?: string; what?: string } = {},
): Promise<void> {
  const flag = options.flag ?? '--output';
  const what = options.what ?? 'report';
  const chunks = typeof text === 'string' ? [text] : text;
  if (file === '-' || (await isOwnStdout(file))) {
    await writeChunks(process.stdout, chunks);
    return;
  }
  const fail = (reason: string, suggestion?: string): UserError =>
    new UserError(`cannot write ${flag} ${file}: ${reason}`, EXIT.usage, suggestion ? [suggestion] : []);

  let link: Stats | undefined;
  try {
    link = await fs.lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code !== 'ENOENT')
      throw fail(describeFsError(code), 'choose a path in an existing, writable directory');
  }
  let target = path.resolve(file);
  let via = '';
  let st = link;
  if (link?.isSymbolicLink()) {
    try {
      target = await fs.realpath(file);
      st = await fs.stat(target);
    } catch (error) {
      // /dev/stdout and /proc/self/fd/N are links to a pipe that has no path: stat follows them.
      const direct = await fs.stat(file).catch(() => undefined);
      if (direct?.isFIFO() || direct?.isCharacterDevice()) {
        await writeThrough(file, chunks, direct, direct.isFIFO() ? 'FIFO' : 'character device', fail);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw fail(
        code === 'ENOENT' ? 'is a symbolic link to a file that does not exist' : describeFsError(code),
        'remove the link or choose another path',
      );
    }
    via = ` through the symbolic link ${file}`;
  }
  if (st) {
    const input = inputRead(st);
    if (input !== undefined) {
      throw fail(`it is an input of this run (${input}); refusing to overwrite it`, 'choose another path');
    }
  }
  const shown = escapeTerminal(via ? target : file);
  const say = (did: string) =>
    process.stderr.write(`${escapeTerminal(`wrote the ${what} to ${shown}${via}`)} (${did})\n`);

  if (!st) {
    await replaceAtomically(target, chunks, undefined, fail);
    say('new file');
    return;
  }
  if (st.isFile()) {
    if (st.nlink > 1) {
      throw fail(
        `it has ${st.nlink} hard links; replacing it would split them and writing in place would change the other names`,
        'remove the other links or choose another path',
      );
    }
    await replaceAtomically(target, chunks, st, fail);
    say(`replaced the regular file, kept mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}`);
    return;
  }
  if (st.isCharacterDevice() || st.isFIFO()) {
    const kind = st.isFIFO() ? 'FIFO' : 'character device';
    await writeThrough(target, chunks, st, kind, fail);
    say(`wrote through to the ${kind}`);
    return;
  }
  const kind = st.isDirectory()
    ? 'a directory'
    : st.isSocket()
      ? 'a socket'
      : st.isBlockDevice()
        ? 'a block device'
        : 'not a regular file';
  throw fail(`is ${kind}`, 'choose a regular file, a FIFO, a character device or - for standard output');
}

/**
 * Why the file `st` describes may not be replaced by a rename, or undefined when it may: only a
 * regular file with one link that this run did not read. `init --force` asks this of every file
 * it would replace (it refuses symlinks outright rather than follow them out of the project).
 */
export function replaceRefusal(st: Stats): string | undefined {
  const input = inputRead(st);
  if (input !== undefined) return `it is an input of this run (${input})`;
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isFile()) return 'it is not a regular file';
  if (st.nlink > 1) return `it has ${st.nlink} hard links`;
  return undefined;
}

/**
 * True when `file` names this process's standard output and that is not a regular file: a pipe,
 * socket or terminal named as `/dev/stdout` or `/proc/self/fd/1` (a socket cannot be reopened by
 * path, so it is written as standard output).
 */
async function isOwnStdout(file: string): Promise<boolean> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st || st.isFile()) return false;
  try {
    const out = fstatSync(1);
    return out.dev === st.dev && out.ino === st.ino;
  } catch {
    return false;
  }
}

/** Writes chunks into a temporary file beside `target`, then renames it over `target`. */
export async function replaceAtomically(
  target: string,
  chunks: Chunks,
  existing: Stats | undefined,
  fail: (reason: string, suggestion?: string) => UserError,
): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    if (existing) {
      await handle.chmod(existing.mode & 0o7777);
      if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) {
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
        await handle.chmod(existing.mode & 0o7777);
      }
    }
    await writeChunks(handle, chunks);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // The target must still be what was decided on: absent, or the same regular file.
    const now = await fs.lstat(target).catch(() => undefined);
    const same = now?.isFile() === true && now.ino === existing?.ino && now.dev === existing.dev;
    if (existing ? !same : now) {
      throw fail('it changed while the report was written; nothing was replaced', 'run again');
    }
    await fs.rename(tmp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (error instanceof UserError) throw error;
    throw fail(
      describeFsError((error as NodeJS.ErrnoException).code ?? 'error'),
      'choose a path in an existing, writable directory',
    );
  }
}

/** Writes into a FIFO or character device that exists, without replacing or truncating it. */
async function writeThrough(
  target: string,
  chunks: Chunks,
  st: Stats,
  kind: string,
  fail: (reason: string, suggestion?: string) => UserError,
): Promise<void> {
  // No O_NOFOLLOW: /dev/stdout is a link; fstat after the open checks it is the node decided on.
  const flags = constants.O_WRONLY | constants.O_NOCTTY;
  let handle: fs.FileHandle | undefined;
  try {
    let probe: fs.FileHandle | undefined;
    if (st.isFIFO()) {
      // Never block silently: a FIFO without a reader refuses a non-blocking open (ENXIO). With a
      // reader there, the probe stays open until the blocking handle is, so the reader never sees
      // an end of file in between.
      try {
        probe = await fs.open(target, flags | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
        process.stderr.write(`waiting for a reader on the FIFO ${escapeTerminal(target)}\n`);
      }
    }
    try {
      handle = await fs.open(target, flags);
    } finally {
      await probe?.close();
    }
    const now = await handle.stat();
    if (
      now.dev !== st.dev ||
      now.ino !== st.ino ||
      now.isFIFO() !== st.isFIFO() ||
      now.isCharacterDevice() !== st.isCharacterDevice()
    ) {
      throw fail(`it was replaced while being opened; nothing was written`, 'run again');
    }
    await writeChunks(handle, chunks);
    await handle.close();
    handle = undefined;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (error instanceof UserError) throw error;
    throw fail(`${kind}: ${describeFsError((error as NodeJS.ErrnoException).code ?? 'error')}`);
  }
}

/** Report text in pieces; produced as it is written when asynchronous (`audit` over many engines). */
export type Chunks = Iterable<string> | AsyncIterable<string>;

/** Batches chunks into writes of about 64 KiB; waits for a stream to drain when it asks to. */
async function writeChunks(to: fs.FileHandle | NodeJS.WritableStream, chunks: Chunks): Promise<void> {
  let buffer = '';
  const flush = async () => {
    if (!buffer) return;
    const data = buffer;
    buffer = '';
    if ('readFile' in to) {
      const bytes = Buffer.from(data, 'utf8');
      let off = 0;
      while (off < bytes.length) off += (await to.write(bytes, off, bytes.length - off)).bytesWritten;
    } else if (!to.write(data)) {
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          to.removeListener('drain', done);
          to.removeListener('error', done);
          error ? reject(error) : resolve();
        };
        to.once('drain', done);
        to.once('error', done);
      });
    }
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= 1 << 16) await flush();
  }
  await flush();
}

export { describeFsError } from './files.js';
