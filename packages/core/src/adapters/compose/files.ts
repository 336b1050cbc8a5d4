/**
 * Bounded reads of the files a compose file refers to (`.env`, `--env-file`, `include:`,
 * `extends: {file}`), for {@link ComposeLoadOptions.readFile}.
 */
import { InputError } from '../../errors.js';
import type { ComposeLoadOptions } from './load.js';
import { COMPOSE_MAX_BYTES } from './tree.js';

/**
 * A `readFile` for the compose loader over the local file system: a missing file is
 * `undefined`; anything that is not a regular file (a directory, a FIFO, a device) or is larger
 * than {@link COMPOSE_MAX_BYTES}, not UTF-8 or holds NUL bytes is refused with one line. The file
 * is opened without blocking (a FIFO never stalls the read) and at most one byte past the limit
 * is read.
 */
export function nodeComposeFiles(): NonNullable<ComposeLoadOptions['readFile']> {
  const fs = require('node:fs') as typeof import('node:fs');
  return (file: string) => {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new InputError(
        `cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : (code ?? 'error')}`,
        ['(root)'],
      );
    }
    try {
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw new InputError(`cannot read ${file}: is a directory`, ['(root)']);
      if (!st.isFile()) {
        throw new InputError(`cannot read ${file}: not a regular file (a FIFO, socket or device)`, [
          '(root)',
        ]);
      }
      if (st.size > COMPOSE_MAX_BYTES) throw tooLarge(file);
      const buf = Buffer.alloc(Math.min(st.size, COMPOSE_MAX_BYTES) + 1);
      let n = 0;
      for (;;) {
        const got = fs.readSync(fd, buf, n, buf.length - n, n);
        if (got === 0) break;
        n += got;
        if (n >= buf.length) break;
      }
      if (n > COMPOSE_MAX_BYTES) throw tooLarge(file);
      const bytes = buf.subarray(0, n);
      if (bytes.includes(0))
        throw new InputError(`${file} is not a text file (it contains NUL bytes)`, ['(root)']);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new InputError(`${file} is not UTF-8 text`, ['(root)']);
      }
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } finally {
      fs.closeSync(fd);
    }
  };
}

function tooLarge(file: string): InputError {
  return new InputError(
    `${file}: the file is larger than ${COMPOSE_MAX_BYTES / 1024 / 1024} MB; split it or check that it is the file you meant`,
    ['(root)'],
  );
}
