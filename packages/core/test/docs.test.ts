import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const core = join(root, 'packages', 'core');
const script = join(root, 'scripts', 'gen-rule-docs.mjs');

/** Newest modification time of any file below `dir`. */
function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** The generator reads the built catalog: build core when dist is missing or older than src. */
function ensureBuilt(): void {
  const dist = join(core, 'dist', 'index.js');
  let built = 0;
  try {
    built = statSync(dist).mtimeMs;
  } catch {}
  if (built >= newest(join(core, 'src'))) return;
  // tsc still emits when another area has a type error; the docs check below is what matters here.
  spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(core, 'tsconfig.build.json')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

const gen = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('generated rule docs (docs/rules)', () => {
  beforeAll(ensureBuilt, 240_000);

  it('are up to date with the catalog (run `node scripts/gen-rule-docs.mjs` to refresh)', () => {
    const r = gen('--check');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('--check lists an edited page and a page no rule generates, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-docs-'));
    try {
      expect(gen('--out', dir).status).toBe(0);
      appendFileSync(join(dir, 'no-privileged.md'), 'hand edit\n');
      appendFileSync(join(dir, 'retired-rule.md'), '# old\n');
      const r = gen('--check', '--out', dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('stale: ');
      expect(r.stderr).toContain('no-privileged.md');
      expect(r.stderr).toContain('not generated from any rule: ');
      expect(r.stderr).toContain('retired-rule.md');
      expect(r.stderr).not.toContain('healthcheck.md');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
