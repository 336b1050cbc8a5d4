/**
 * `--baseline` / `--write-baseline` on the built binary: record a project's findings, gate only new
 * ones, list stale entries, refuse bad baseline files in one line, and keep SARIF fingerprints and
 * baseline entries the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bulkhead, expectOneLineError, tempDir } from './support/cli.js';
import { docker, engineAvailable, TEST_IMAGE } from './support/engine.js';

const ORIGINAL = `services:
  web:
    image: nginx:1
    ports: ["8080:80"]
  db:
    image: postgres:16
`;

// The same project reformatted, services and keys reordered, commented; plus one new risk (privileged).
const EDITED = `# the database first now
services:
  db: { image: "postgres:16" }
  web:
    ports:
      - "8080:80"   # public
    image: nginx:1
    privileged: true
`;

let tmp: { dir: string; cleanup: () => void };
const file = (name: string, text: string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('bulkhead validate --baseline (built binary)', () => {
  it('--write-baseline records the failed findings, accepts them for the run (exit 0) and writes the same bytes each time', async () => {
    const compose = file('compose.yaml', ORIGINAL);
    const baseline = path.join(tmp.dir, 'baseline.json');
    const first = await bulkhead(['validate', compose, '--write-baseline', baseline]);
    expect(first.code).toBe(0);
    const bytes = readFileSync(baseline, 'utf8');
    const data = JSON.parse(bytes);
    expect(data.version).toBe(1);
    expect(data.findings.length).toBeGreaterThan(10);
    expect(data.findings).toContainEqual(
      expect.objectContaining({ rule: 'ports-bound-to-interface', resource: 'compose:container:web' }),
    );
    const again = await bulkhead(['validate', compose, '--write-baseline', baseline]);
    expect(again.code).toBe(0);
    expect(readFileSync(baseline, 'utf8')).toBe(bytes);
  });

  it('fails only on the new finding after the file was reformatted and reordered, and output is byte-identical across runs', async () => {
    const compose = file('compose.yaml', ORIGINAL);
    const baseline = path.join(tmp.dir, 'gate.json');
    expect((await bulkhead(['validate', compose, '--write-baseline', baseline])).code).toBe(0);
    expect((await bulkhead(['validate', compose, '--baseline', baseline])).code).toBe(0);
    const edited = file('compose.yaml', EDITED);
    const runs = await Promise.all(
      [0, 1].map(() => bulkhead(['validate', edited, '--baseline', baseline, '--format', 'json'])),
    );
    expect(runs[0]!.code).toBe(1);
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
    const report = JSON.parse(runs[0]!.stdout);
    const failed = report.findings.filter((f: { status: string }) => f.status === 'fail');
    expect(failed.map((f: { ruleId: string; path: string }) => `${f.ruleId} ${f.path}`)).toEqual([
      'no-privileged services.web.privileged',
    ]);
    expect(report.summary.fail).toBe(failed.length);
    expect(report.baseline.accepted).toBeGreaterThan(10);
  });

  it('lists entries that no longer match on stderr (a fixed finding), without failing', async () => {
    const compose = file('compose.yaml', ORIGINAL);
    const baseline = path.join(tmp.dir, 'stale.json');
    await bulkhead(['validate', compose, '--write-baseline', baseline]);
    const fixed = file(
      'compose.yaml',
      ORIGINAL.replace('    image: postgres:16\n', '    image: postgres:16\n    init: true\n'),
    );
    const r = await bulkhead(['validate', fixed, '--baseline', baseline]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 entry no longer matches/);
    expect(r.stderr).toMatch(
      /baseline entry [0-9a-f]{32} \(rule init-process, compose:container:db services\.db\.init\) matched no finding/,
    );
  });

  it('SARIF partialFingerprints are the baseline fingerprints', async () => {
    const compose = file('compose.yaml', ORIGINAL);
    const baseline = path.join(tmp.dir, 'sarif.json');
    await bulkhead(['validate', compose, '--write-baseline', baseline]);
    const r = await bulkhead(['validate', compose, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const prints = sarif.runs[0].results
      .filter((x: { kind: string }) => x.kind === 'fail')
      .map(
        (x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['bulkheadFinding/v1'],
      )
      .sort();
    const recorded = JSON.parse(readFileSync(baseline, 'utf8'))
      .findings.map((e: { fingerprint: string }) => e.fingerprint)
      .sort();
    expect(prints).toEqual(recorded);
  });

  it.each([
    ['not JSON', '{', /baseline file .*bad\.json is not valid JSON/],
    [
      'a wrong field',
      '{"version":1,"findings":[{"fingerprint":"xyz","rule":"init-process","resource":"r","path":""}]}',
      /baseline file .*bad\.json: findings\[0\]\.fingerprint: fingerprint must be 32 lowercase hex digits/,
    ],
    [
      'an unknown rule',
      `{"version":1,"findings":[{"fingerprint":"${'a'.repeat(32)}","rule":"no-such-rule","resource":"r","path":""}]}`,
      /no-such-rule/,
    ],
    ['an empty file', ' ', /baseline file .*bad\.json is empty/],
    [
      'a repeated fingerprint',
      `{"version":1,"findings":[${[0, 1].map((i) => `{"fingerprint":"${'a'.repeat(32)}","rule":"init-process","resource":"r${i}","path":""}`).join(',')}]}`,
      /findings\[1\]\.fingerprint: repeats the fingerprint of findings\[0\]/,
    ],
    [
      'a prototype key',
      '{"version":1,"findings":[],"__proto__":{"findings":[]}}',
      /Unrecognized key: "__proto__"/,
    ],
  ])('refuses a baseline file with %s: one line, exit 2', async (_what, text, pattern) => {
    const compose = file('compose.yaml', ORIGINAL);
    const bad = file('bad.json', text);
    const r = await bulkhead(['validate', compose, '--baseline', bad]);
    expect(r.code).toBe(2);
    expectOneLineError(r, pattern);
    expect(r.stdout).toBe('');
  });

  it('refuses --baseline with --write-baseline, and a missing baseline file', async () => {
    const compose = file('compose.yaml', ORIGINAL);
    const both = await bulkhead(['validate', compose, '--baseline', 'a.json', '--write-baseline', 'b.json']);
    expect(both.code).toBe(2);
    const missing = await bulkhead(['validate', compose, '--baseline', path.join(tmp.dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expectOneLineError(missing, /cannot read baseline file .*nope\.json: no such file or directory/);
  });
});

const hasEngine = engineAvailable();
(hasEngine ? describe : describe.skip)(
  'bulkhead audit --baseline against the real engine (built binary)',
  () => {
    const name = `baseline-fix-audit-${process.pid}`;
    beforeAll(() => {
      docker(['run', '-d', '--name', name, '--cap-add', 'NET_ADMIN', TEST_IMAGE, 'sleep', '300']);
    });
    afterAll(() => {
      docker(['rm', '-f', name]);
    });

    it('gates only new findings of a running container: a baseline from its first audit accepts them all', async () => {
      const baseline = path.join(tmp.dir, 'audit.json');
      const filter = ['--filter', `name=${name}`];
      const first = await bulkhead(['audit', ...filter, '--write-baseline', baseline]);
      expect(first.code).toBe(0);
      const entries = JSON.parse(readFileSync(baseline, 'utf8')).findings;
      expect(entries).toContainEqual(
        expect.objectContaining({ rule: 'capability-allowlist', resource: `inspect:container:${name}` }),
      );
      const again = await bulkhead(['audit', ...filter, '--baseline', baseline, '--format', 'json']);
      expect(again.code).toBe(0);
      const report = JSON.parse(again.stdout);
      expect(report.summary.fail).toBe(0);
      expect(report.baseline).toEqual({ file: baseline, accepted: entries.length, stale: [] });
    });
  },
);
