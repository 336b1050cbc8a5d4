import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { HOSTILE_SEQUENCES, hostileText, isTerminalSafe } from '../../core/test/support/hostile';
import { BIN, bulkhead, expectOneLineError, type RunResult, tempDir } from './support/cli';

/**
 * Hostile input against the built binary: text from input never reaches the terminal raw, an
 * output never overwrites an input, file-taking flags refuse FIFOs and devices without hanging,
 * and an interrupted or killed `init` leaves nothing behind.
 */

const tmp = tempDir('bulkhead-trust-');
afterAll(() => tmp.cleanup());

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';

/** No control, C1 or bidi character on stdout or stderr (newlines separate lines), and at most one Error line. */
function expectTerminalSafe(r: RunResult): void {
  expect(isTerminalSafe(r.stdout, '\n')).toBe(true);
  expect(isTerminalSafe(r.stderr, '\n')).toBe(true);
  expect(r.stderr.split('\n').filter((l) => /^\s*(›\s*)?Error:/.test(l)).length).toBeLessThanOrEqual(1);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('text from input is escaped for the terminal (built binary)', () => {
  const scenarios = [
    'service-name',
    'exemption-reason',
    'format-flag',
    'filter-flag',
    'learned-profile',
    'file-name',
    'command-name',
  ];

  it('no service name, reason, flag value or file name can drive the terminal or forge a line', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...scenarios),
        hostileText({ minLength: 1, maxLength: 6 }),
        async (scenario, text) => {
          // A command line cannot carry NUL; everything else can.
          const h = text.split('\u0000').join('');
          fc.pre(h !== '');
          const dir = path.join(tmp.dir, `esc-${i++}`);
          mkdirSync(dir);
          const compose = path.join(dir, 'compose.yaml');
          writeFileSync(compose, COMPOSE);
          let args: string[];
          switch (scenario) {
            case 'service-name':
              // JSON is YAML: the name arrives exactly as generated.
              writeFileSync(
                compose,
                JSON.stringify({ services: { [h]: { image: 'nginx:1.27', privileged: true } } }),
              );
              args = ['validate', compose];
              break;
            case 'exemption-reason': {
              const ex = path.join(dir, 'ex.json');
              writeFileSync(
                ex,
                JSON.stringify({
                  exemptions: [{ rule: 'no-privileged', resource: '*', reason: `because ${h} reviewed` }],
                }),
              );
              args = ['validate', compose, '--exemptions', ex];
              break;
            }
            case 'format-flag':
              args = ['validate', compose, '--format', h];
              break;
            case 'filter-flag':
              args = ['audit', '--filter', h];
              break;
            case 'command-name':
              // Raised by oclif before any command runs; the binary escapes it too.
              args = [`x${h}`];
              break;
            case 'learned-profile':
              args = ['validate', compose, '--learned-profile', `${h}=${path.join(dir, 'p.json')}`];
              break;
            default: {
              const name = h.replace(/\//g, '_');
              fc.pre(name !== '.' && name !== '..' && Buffer.byteLength(name) < 200);
              const file = path.join(dir, name);
              writeFileSync(file, COMPOSE);
              args = ['validate', file];
            }
          }
          const r = await bulkhead(args, { cwd: dir });
          expect(r.code).not.toBeNull();
          expectTerminalSafe(r);
        },
      ),
      { numRuns: 24 },
    );
  });

  it('shows an OSC title sequence in a service name visibly in the table', async () => {
    const compose = path.join(tmp.dir, 'osc.yaml');
    writeFileSync(
      compose,
      JSON.stringify({ services: { 'web\u001b]0;pwned\u0007': { image: 'nginx:1.27', privileged: true } } }),
    );
    const r = await bulkhead(['validate', compose]);
    expectTerminalSafe(r);
    expect(`${r.stdout}${r.stderr}`).toContain('\\x1b]0;pwned\\x07');
  });

  it('every known attack sequence in an exemption reason stays on its one line', async () => {
    const compose = path.join(tmp.dir, 'seq.yaml');
    writeFileSync(compose, COMPOSE);
    const ex = path.join(tmp.dir, 'seq-ex.json');
    writeFileSync(
      ex,
      JSON.stringify({
        exemptions: [
          { rule: 'no-privileged', resource: '*', reason: `reviewed: ${HOSTILE_SEQUENCES.join(' ')}` },
        ],
      }),
    );
    const r = await bulkhead(['validate', compose, '--exemptions', ex]);
    expectTerminalSafe(r);
    const exempt = r.stdout.split('\n').filter((l) => l.includes('exempt ('));
    expect(exempt).toHaveLength(1);
    expect(exempt[0]).toContain('\\nError: forged second error line');
  });
});

describe('--output never overwrites an input of the same run (built binary)', () => {
  it('refuses validate X -o X, by another name (symlink) too, and leaves X as it was', async () => {
    const dir = path.join(tmp.dir, 'same');
    mkdirSync(dir);
    const input = path.join(dir, 'compose.yaml');
    writeFileSync(input, COMPOSE);
    symlinkSync(input, path.join(dir, 'alias.yaml'));
    for (const out of [input, path.join(dir, 'alias.yaml'), path.join(dir, '.', 'compose.yaml')]) {
      const r = await bulkhead(['validate', input, '-o', out]);
      expect(r.code).toBe(2);
      expectOneLineError(r, /it is an input of this run/);
      expect(readFileSync(input, 'utf8')).toBe(COMPOSE);
    }
    const ex = path.join(dir, 'ex.yaml');
    writeFileSync(ex, 'exemptions: []\n');
    const r = await bulkhead(['validate', input, '--exemptions', ex, '--format', 'json', '-o', ex]);
    expect(r.code).toBe(2);
    expect(readFileSync(ex, 'utf8')).toBe('exemptions: []\n');
  });

  it('writes to its own standard output named as /proc/self/fd/1 (a pipe or socket without a path)', async () => {
    const compose = path.join(tmp.dir, 'fd1.yaml');
    writeFileSync(compose, COMPOSE);
    const r = await bulkhead(['validate', compose, '--format', 'json', '-o', '/proc/self/fd/1']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 1 });
  });

  it('refuses a hard-linked output and says what it did for a regular one', async () => {
    const dir = path.join(tmp.dir, 'links');
    mkdirSync(dir);
    const input = path.join(dir, 'compose.yaml');
    writeFileSync(input, COMPOSE);
    const out = path.join(dir, 'report.txt');
    writeFileSync(out, 'old');
    linkSync(out, path.join(dir, 'other.txt'));
    const refused = await bulkhead(['validate', input, '-o', out]);
    expect(refused.code).toBe(2);
    expectOneLineError(refused, /has 2 hard links/);
    const fresh = path.join(dir, 'fresh.txt');
    const ok = await bulkhead(['seccomp', 'generate', '-o', fresh]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^wrote the profile to .*fresh\.txt \(new file\)\n$/);
  });
});

(process.getuid?.() === 0 ? describe : describe.skip)(
  'file-taking flags refuse FIFOs and devices without hanging (built binary)',
  () => {
    it('--exemptions, --learned-profile, --from-compose, seccomp validate and the input path', async () => {
      const dir = path.join(tmp.dir, 'special');
      mkdirSync(dir);
      const compose = path.join(dir, 'compose.yaml');
      writeFileSync(compose, COMPOSE);
      const fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const zero = path.join(dir, 'zero');
      execFileSync('mknod', [zero, 'c', '1', '5']);
      for (const special of [fifo, zero]) {
        for (const args of [
          ['validate', special],
          ['validate', compose, '--exemptions', special],
          ['validate', compose, '--learned-profile', `web=${special}`],
          ['seccomp', 'validate', special],
          ['init', path.join(dir, `proj-${readdirSync(dir).length}`), '--from-compose', special],
        ]) {
          const r = await bulkhead(args, { timeoutMs: 20_000 });
          expect(r.code).toBe(2);
          expectOneLineError(r, /is a (FIFO|character device).*regular files only/);
        }
      }
    });
  },
);

describe('an interrupted init leaves nothing behind', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('cleans its staging directory on %s and exits %i', async (signal, expected) => {
    const parent = path.join(tmp.dir, `sig-${signal}`);
    mkdirSync(parent);
    const child = spawn(process.execPath, [BIN, 'init', path.join(parent, 'proj'), '--template', 'web-db'], {
      env: { ...process.env, BULKHEAD_INIT_TEST_DELAY_MS: '20000' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 15_000;
    while (!readdirSync(parent).some((e) => e.includes('bulkhead-init-')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.kill(signal);
    });
    expect(code).toBe(expected);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('sweeps the staging directory of a killed run (SIGKILL) on the next run, and keeps a live one', async () => {
    const parent = path.join(tmp.dir, 'killed');
    mkdirSync(parent);
    const child = spawn(process.execPath, [BIN, 'init', path.join(parent, 'first'), '--template', 'web-db'], {
      env: { ...process.env, BULKHEAD_INIT_TEST_DELAY_MS: '20000' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 15_000;
    while (!readdirSync(parent).some((e) => e.includes('bulkhead-init-')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((resolve) => {
      child.on('close', resolve);
      child.kill('SIGKILL');
    });
    const stale = readdirSync(parent).filter((e) => e.includes('bulkhead-init-'));
    expect(stale).toHaveLength(1);
    // A staging directory of a process that is alive (this test's) is not touched.
    const live = path.join(parent, `.bulkhead-init-${process.pid}-abcdef`);
    mkdirSync(live);
    const r = await bulkhead(['init', path.join(parent, 'second'), '--template', 'web-db']);
    expect(r.code).toBe(0);
    expect(readdirSync(parent).sort()).toEqual([path.basename(live), 'second'].sort());
    expect(existsSync(path.join(parent, 'first'))).toBe(false);
  });
});

(process.getuid?.() === 0 ? describe : describe.skip)(
  'init --force replaces only regular files (built binary)',
  () => {
    const KINDS = ['regular', 'symlink-out', 'fifo', 'hard-link', 'linked-test-dir'] as const;

    // Every kind once: the space is small enough to enumerate.
    it.each(KINDS)(
      'with %s at a path it writes: replaces only a regular file, else refuses before moving anything',
      async (kind) => {
        const base = path.join(tmp.dir, `force-${kind}`);
        const dir = path.join(base, 'proj');
        const outside = path.join(base, 'outside');
        mkdirSync(dir, { recursive: true });
        mkdirSync(outside);
        writeFileSync(path.join(dir, 'notes.txt'), 'mine');
        const secret = path.join(outside, 'precious.ts');
        writeFileSync(secret, 'precious');
        const index = path.join(dir, 'index.ts');
        if (kind === 'regular') writeFileSync(index, 'old');
        if (kind === 'symlink-out') symlinkSync(secret, index);
        if (kind === 'fifo') execFileSync('mkfifo', [index]);
        if (kind === 'hard-link') linkSync(secret, index);
        if (kind === 'linked-test-dir') symlinkSync(outside, path.join(dir, 'test'));
        const r = await bulkhead(['init', dir, '--template', 'web-db', '--force'], { timeoutMs: 30_000 });
        expect(readFileSync(secret, 'utf8')).toBe('precious');
        expect(readdirSync(outside)).toEqual(['precious.ts']);
        if (kind === 'regular') {
          expect(r.code).toBe(0);
          expect(readFileSync(index, 'utf8')).not.toBe('old');
          return;
        }
        expect(r.code).toBe(2);
        expectOneLineError(r, /will not (replace|write into)/);
        // Nothing was moved in: only what was there before.
        expect(readdirSync(dir).sort()).toEqual(
          ['notes.txt', kind === 'linked-test-dir' ? 'test' : 'index.ts'].sort(),
        );
        expect(readdirSync(base).sort()).toEqual(['outside', 'proj']);
      },
    );
  },
);
