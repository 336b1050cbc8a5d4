import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import fc from 'fast-check';
import { resolveUser } from '../src/learn/bundle';
import { UserError } from '../src/lib/exit';
import { readInputBytes, readInputBytesSync } from '../src/lib/files';
import { tempDir } from './support/cli';

/**
 * The one bounded reader behind every file-taking flag, attacked with every file type. FIFOs
 * and device nodes are created here (mkfifo, mknod as root) in a temporary directory, never in
 * /dev. A reader that opened a FIFO without O_NONBLOCK, or read a zero device, would hang or fill
 * memory: the test finishing is part of what it proves.
 */

const tmp = tempDir('bulkhead-files-');
afterAll(() => tmp.cleanup());

const isRoot = process.getuid?.() === 0;
const KINDS = [
  'regular',
  'fifo',
  'zero-device',
  'symlink-to-zero',
  'directory',
  'socket',
  'missing',
] as const;
type Kind = (typeof KINDS)[number];

let n = 0;
async function make(kind: Kind, content: Buffer): Promise<{ file: string; close?: () => void }> {
  const dir = path.join(tmp.dir, `case-${n++}`);
  mkdirSync(dir);
  const file = path.join(dir, 'in');
  switch (kind) {
    case 'regular':
      writeFileSync(file, content);
      return { file };
    case 'fifo':
      execFileSync('mkfifo', [file]);
      return { file };
    case 'zero-device':
      // A private node with /dev/zero's major/minor (1, 5): endless zero bytes.
      execFileSync('mknod', [file, 'c', '1', '5']);
      return { file };
    case 'symlink-to-zero':
      execFileSync('mknod', [path.join(dir, 'zero'), 'c', '1', '5']);
      symlinkSync(path.join(dir, 'zero'), file);
      return { file };
    case 'directory':
      mkdirSync(file);
      return { file };
    case 'socket': {
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(file, r));
      return { file, close: () => server.close() };
    }
    case 'missing':
      return { file };
  }
}

(isRoot ? describe : describe.skip)('bounded input reader', () => {
  it('returns a regular file within the limit byte for byte and refuses everything else with one line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        async (kind, bytes, maxBytes, sync) => {
          const content = Buffer.from(bytes);
          const { file, close } = await make(kind, content);
          try {
            const read = sync
              ? async () => readInputBytesSync(file, { what: 'exemptions file', maxBytes })
              : () => readInputBytes(file, { what: 'exemptions file', maxBytes });
            if (kind === 'regular' && content.length <= maxBytes) {
              expect(Buffer.compare(await read(), content)).toBe(0);
              return;
            }
            const error = await read().then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(UserError);
            const message = (error as Error).message;
            expect(message).not.toContain('\n');
            expect(message).toContain(file);
            if (kind === 'regular') expect(message).toMatch(/refuses inputs over/);
            if (kind === 'fifo') expect(message).toMatch(/is a FIFO .*regular files only/);
            if (kind === 'zero-device' || kind === 'symlink-to-zero')
              expect(message).toMatch(/is a character device/);
            if (kind === 'socket') expect(message).toMatch(/is a socket/);
            if (kind === 'missing') expect(message).toMatch(/no such file/);
          } finally {
            close?.();
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});

(isRoot ? describe : describe.skip)("seccomp learn reads the image's /etc/passwd safely", () => {
  it('ignores a passwd that is a link out of the rootfs or a FIFO (no hang), and reads a regular one', async () => {
    for (const kind of ['regular', 'link-out', 'fifo'] as const) {
      const rootfs = path.join(tmp.dir, `rootfs-${kind}`);
      mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
      const passwd = path.join(rootfs, 'etc', 'passwd');
      const hostFile = path.join(tmp.dir, `host-passwd-${kind}`);
      writeFileSync(hostFile, 'app:x:1000:1000::/home/app:/bin/sh\n');
      if (kind === 'regular') writeFileSync(passwd, 'app:x:1000:1000::/home/app:/bin/sh\n');
      if (kind === 'link-out') symlinkSync(hostFile, passwd);
      if (kind === 'fifo') execFileSync('mkfifo', [passwd]);
      const resolved = resolveUser(rootfs, 'app');
      if (kind === 'regular') await expect(resolved).resolves.toEqual({ uid: 1000, gid: 1000 });
      else await expect(resolved).rejects.toThrow(/is not in its \/etc\/passwd/);
    }
  });
});
