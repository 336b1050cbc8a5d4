import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  createReadStream,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { UserError } from '../src/lib/exit';
import { readInputText } from '../src/lib/files';
import { writeOutput } from '../src/lib/output';
import { tempDir } from './support/cli';

/**
 * The one output writer, attacked with every kind of thing that can sit at the output path. These
 * tests create their own FIFOs and device nodes (mknod, as root) in a temporary directory; they
 * never touch /dev.
 */

const tmp = tempDir('bulkhead-output-');
afterAll(() => tmp.cleanup());

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr.push(String(s));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

const isRoot = process.getuid?.() === 0;
const KINDS = [
  'absent',
  'regular',
  'symlink-to-regular',
  'dangling-symlink',
  'hard-linked',
  'fifo',
  'char-device',
  'symlink-to-char-device',
  'directory',
  'input-of-run',
  'symlink-to-input',
] as const;
type Kind = (typeof KINDS)[number];

let n = 0;
/** A regular file with exactly `mode` (writeFileSync's mode is subject to the umask). */
const put = (file: string, text: string, mode: number) => {
  writeFileSync(file, text);
  chmodSync(file, mode);
};
/** Creates `kind` at a fresh path in its own directory; returns the path to write to. */
async function make(kind: Kind, mode: number, before: string): Promise<{ dir: string; target: string }> {
  const dir = path.join(tmp.dir, `case-${n++}`);
  mkdirSync(dir);
  const target = path.join(dir, 'out');
  const real = path.join(dir, 'real');
  switch (kind) {
    case 'absent':
      break;
    case 'regular':
      put(target, before, mode);
      break;
    case 'symlink-to-regular':
      put(real, before, mode);
      symlinkSync(real, target);
      break;
    case 'dangling-symlink':
      symlinkSync(path.join(dir, 'nowhere'), target);
      break;
    case 'hard-linked':
      put(target, before, mode);
      linkSync(target, path.join(dir, 'other-name'));
      break;
    case 'fifo':
      execFileSync('mkfifo', [target]);
      break;
    case 'char-device':
      // A private node with /dev/null's major/minor (1, 3): writes vanish, nothing in /dev is used.
      execFileSync('mknod', [target, 'c', '1', '3']);
      break;
    case 'symlink-to-char-device':
      execFileSync('mknod', [real, 'c', '1', '3']);
      symlinkSync(real, target);
      break;
    case 'directory':
      mkdirSync(target);
      break;
    case 'input-of-run':
      put(target, before, mode);
      await readInputText(target, 'exemptions file');
      break;
    case 'symlink-to-input':
      put(real, before, mode);
      await readInputText(real, 'exemptions file');
      symlinkSync(real, target);
      break;
  }
  return { dir, target };
}

(isRoot ? describe : describe.skip)('writeOutput: what it does depends on what is at the path', () => {
  it('replaces only regular files, writes through FIFOs and devices, and refuses everything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        fc.constantFrom(0o600, 0o640, 0o644, 0o664, 0o400),
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 6 }),
        async (kind, mode, chunks) => {
          stderr.length = 0;
          const before = 'previous content\n';
          const { dir, target } = await make(kind, mode, before);
          const text = chunks.join('');
          const entriesBefore = readdirSync(dir).sort();
          const inodeBefore = kind === 'regular' ? statSync(target).ino : undefined;
          let fifoRead: Promise<string> | undefined;
          if (kind === 'fifo') {
            fifoRead = new Promise((resolve, reject) => {
              let got = '';
              createReadStream(target, 'utf8')
                .on('data', (d) => {
                  got += d;
                })
                .on('end', () => resolve(got))
                .on('error', reject);
            });
          }
          let error: unknown;
          try {
            await writeOutput(target, chunks);
          } catch (e) {
            error = e;
          }
          const refused = [
            'dangling-symlink',
            'hard-linked',
            'directory',
            'input-of-run',
            'symlink-to-input',
          ];
          if (refused.includes(kind)) {
            expect(error).toBeInstanceOf(UserError);
            expect((error as Error).message).not.toContain('\n');
            // Nothing changed: same entries, same content, no temporary file left.
            expect(readdirSync(dir).sort()).toEqual(entriesBefore);
            if (kind === 'hard-linked' || kind === 'input-of-run')
              expect(readFileSync(target, 'utf8')).toBe(before);
            if (kind === 'symlink-to-input')
              expect(readFileSync(path.join(dir, 'real'), 'utf8')).toBe(before);
            expect(stderr.join('')).toBe('');
            return;
          }
          expect(error).toBeUndefined();
          expect(stderr.filter((l) => l.startsWith('wrote '))).toHaveLength(1);
          switch (kind) {
            case 'absent':
              expect(readFileSync(target, 'utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
              expect(lstatSync(target).isFile()).toBe(true);
              break;
            case 'regular': {
              const st = statSync(target);
              expect(readFileSync(target, 'utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
              expect(st.mode & 0o7777).toBe(mode);
              // Replaced by rename (a new inode), never truncated in place.
              expect(st.ino).not.toBe(inodeBefore);
              break;
            }
            case 'symlink-to-regular': {
              expect(lstatSync(target).isSymbolicLink()).toBe(true);
              const real = path.join(dir, 'real');
              expect(readFileSync(real, 'utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
              expect(statSync(real).mode & 0o7777).toBe(mode);
              break;
            }
            case 'fifo':
              expect(await fifoRead).toBe(Buffer.from(text, 'utf8').toString('utf8'));
              expect(lstatSync(target).isFIFO()).toBe(true);
              break;
            case 'char-device':
              expect(lstatSync(target).isCharacterDevice()).toBe(true);
              expect(lstatSync(target).rdev).toBe(statSync('/dev/null').rdev);
              break;
            case 'symlink-to-char-device':
              expect(lstatSync(target).isSymbolicLink()).toBe(true);
              expect(lstatSync(path.join(dir, 'real')).isCharacterDevice()).toBe(true);
              break;
          }
          // No temporary file left beside the target.
          expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a write error on a device (a private copy of /dev/full) is one line and leaves the node', async () => {
    const dir = path.join(tmp.dir, 'full');
    mkdirSync(dir);
    const full = path.join(dir, 'full');
    execFileSync('mknod', [full, 'c', '1', '7']);
    await expect(writeOutput(full, 'x'.repeat(10))).rejects.toThrow(
      /^cannot write --output .*full: character device: no space left on the device$/,
    );
    expect(lstatSync(full).isCharacterDevice()).toBe(true);
  });

  it('says when it waits for a reader on a FIFO, then writes once one comes', async () => {
    const dir = path.join(tmp.dir, 'fifo-wait');
    mkdirSync(dir);
    const fifo = path.join(dir, 'f');
    execFileSync('mkfifo', [fifo]);
    const writing = writeOutput(fifo, 'late reader\n');
    // The writer's non-blocking probe finds no reader and says so before blocking.
    while (!stderr.join('').includes('waiting for a reader')) await new Promise((r) => setImmediate(r));
    const got = await new Promise<string>((resolve) => {
      let s = '';
      createReadStream(fifo, 'utf8')
        .on('data', (d) => {
          s += d;
        })
        .on('end', () => resolve(s));
    });
    await writing;
    expect(got).toBe('late reader\n');
  });
});
