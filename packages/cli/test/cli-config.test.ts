/**
 * The project config and rule packages through the real binary: discovery from the working
 * directory up, flags over config values, and the one-line errors a rule author meets (a config
 * that is invalid, a rule that throws, a rule that returns a malformed outcome).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bulkhead, expectOneLineError } from './support/cli.js';

jest.setTimeout(60_000);

/** The built core, as the binary loads it (jest maps `@bulkhead/core` to its sources). */
const CORE = JSON.stringify(path.resolve(__dirname, '..', '..', 'core', 'dist', 'core.js'));
const COMPOSE = 'services:\n  web:\n    image: registry.example/web:1\n';

/** A local rule package whose one rule does what `check` says. */
const rulePackage = (check: string) => `
const { defineContainerRule, defineRulePackage } = require(${CORE});
module.exports = defineRulePackage({
  name: 'team-rules',
  rules: [defineContainerRule({
    id: 'team/probe', title: 'A probe rule', severity: 'low', level: 'baseline',
    rationale: 'Tests how the CLI reports this rule.',
    remediation: { pulumi: 'Fix it here.', compose: 'Fix it here.', dockerRun: 'Fix it here.' },
    references: { docs: 'https://example.invalid/probe' },
    check: ${check},
  })],
});
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(__dirname, '.tmp-config-'));
  writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const project = (config: string, check = "() => ({ status: 'pass' })") => {
  writeFileSync(path.join(dir, 'bulkhead.config.mjs'), config);
  writeFileSync(path.join(dir, 'rules.cjs'), rulePackage(check));
};

describe('bulkhead.config.mjs', () => {
  it('is found from a subdirectory, and its select and defaults apply', async () => {
    project(
      "export default { rules: ['./rules.cjs'], select: { include: ['team/*'] }, defaults: { format: 'json' } };",
    );
    mkdirSync(path.join(dir, 'sub'));
    const r = await bulkhead(['rules', 'list', '--json'], { cwd: path.join(dir, 'sub') });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string; origin: string }[]).map((x) => [x.id, x.origin])).toEqual([
      ['team/probe', 'team-rules'],
    ]);
  });
  it('lets a flag replace a config key', async () => {
    project("export default { rules: ['./rules.cjs'], select: { include: ['team/*'] } };");
    const r = await bulkhead(['rules', 'list', '--json', '--include', 'no-privileged'], { cwd: dir });
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['no-privileged']);
  });
  it('refuses an invalid config in one line naming the field (exit 2)', async () => {
    project("export default { rules: ['./rules.cjs'], select: { severity: ['urgent'] }, colour: true };");
    const r = await bulkhead(['validate', 'compose.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    const line = r.stderr.split('\n').find((l) => l.includes('bulkhead.config.mjs'));
    expect(line).toContain('select.severity[0]: severity entries must be one of critical');
    expect(line).toContain('unknown key "colour"');
  });
  it('may be TypeScript (bulkhead.config.ts, transpiled on load)', async () => {
    writeFileSync(path.join(dir, 'rules.cjs'), rulePackage("() => ({ status: 'pass' })"));
    writeFileSync(
      path.join(dir, 'bulkhead.config.ts'),
      [
        'type Config = { rules: string[]; select: { include: string[] } };',
        "const config: Config = { rules: ['./rules.cjs'], select: { include: ['team/*'] } };",
        'export default config satisfies Config;',
      ].join('\n'),
    );
    const r = await bulkhead(['rules', 'list', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['team/probe']);
  });
  it('refuses a selection id that matches no rule (exit 2)', async () => {
    project("export default { rules: ['./rules.cjs'] };");
    const r = await bulkhead(['validate', 'compose.yaml', '--exclude', 'team/prbe'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exclude: "team/prbe" names no rule in the catalog');
  });
});

describe('a rule that breaks', () => {
  it("is reported as that rule's error on the resource, the other rules run, and the exit code is 1", async () => {
    project("export default { rules: ['./rules.cjs'] };", "() => { throw new Error('canary-s3cr3t'); }");
    const r = await bulkhead(['validate', 'compose.yaml', '--format', 'json', '--fail-on', 'critical'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; status: string }[] };
    expect(report.findings.filter((f) => f.status === 'error').map((f) => f.ruleId)).toEqual(['team/probe']);
    expect(report.findings.some((f) => f.ruleId !== 'team/probe')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('canary');
  });
  it('returning a malformed outcome is an error naming the rule', async () => {
    project("export default { rules: ['./rules.cjs'] };", "() => ({ status: 'failed' })");
    const r = await bulkhead(['validate', 'compose.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'rule team/probe returned a malformed outcome: status must be pass, fail or unknown',
    );
    expect(r.stdout).toMatch(/1 rule error/);
  });
});

describe('a rule package whose text is terminal-hostile', () => {
  // Every kind of character escapeTerminal escapes, and a newline that would forge a line.
  const HOSTILE = '\\u001b]0;PWNED\\u0007 \\u001b[2J\\r\\n\\u202e\\u009b31m forged: line';
  const hostilePackage = `
const { defineContainerRule, defineRulePackage } = require(${CORE});
const h = (s) => s + ' ' + '${HOSTILE}';
module.exports = defineRulePackage({
  name: 'team-rules',
  rules: [defineContainerRule({
    id: 'team/probe', title: h('A probe rule'), severity: 'low', level: 'baseline',
    rationale: h('Tests how the CLI reports this rule.'),
    remediation: { pulumi: h('Fix it.'), compose: h('Fix it.'), dockerRun: h('Fix it.') },
    references: { docs: 'https://example.invalid/probe' },
    check: () => ({ status: 'fail', path: 'image', message: h('probe failed') }),
  })],
});
`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
  it.each([
    ['rules', 'list'],
    ['rules', 'explain', 'team/probe'],
    ['validate', 'compose.yaml'],
  ])('is escaped in `%s %s` output: no raw control character, no forged line', async (...args) => {
    writeFileSync(path.join(dir, 'bulkhead.config.mjs'), "export default { rules: ['./rules.cjs'] };");
    writeFileSync(path.join(dir, 'rules.cjs'), hostilePackage);
    const r = await bulkhead(args, { cwd: dir });
    const out = r.stdout + r.stderr;
    expect(out).toContain('\\x1b]0;PWNED\\x07');
    expect(out).not.toMatch(RAW);
    expect(
      out
        .split('\n')
        .filter((l) => l.includes('forged: line'))
        .every((l) => l.includes('\\n')),
    ).toBe(true);
  });
});

describe('config files that are not regular files', () => {
  // Each of these blocked forever (FIFO) or read without end (/dev/zero) in lilconfig or import.
  const fifo = (name: string) => execFileSync('mkfifo', [path.join(dir, name)]);
  const zero = (name: string) => symlinkSync('/dev/zero', path.join(dir, name));
  it.each([
    [
      'a FIFO package.json on the way up',
      () => fifo('package.json'),
      [],
      /project config .*package\.json: is a FIFO/,
    ],
    [
      'a bulkhead.config.cjs linked to /dev/zero',
      () => zero('bulkhead.config.cjs'),
      [],
      /is a character device/,
    ],
    ['a FIFO --config file', () => fifo('c.mjs'), ['--config', 'c.mjs'], /--config .*c\.mjs: is a FIFO/],
    [
      'a FIFO rule package',
      () => {
        writeFileSync(path.join(dir, 'bulkhead.config.mjs'), "export default { rules: ['./r.cjs'] };");
        fifo('r.cjs');
      },
      [],
      /rules\[0\]: rule package .*r\.cjs: is a FIFO/,
    ],
    [
      'a FIFO package.json above an empty config (lilconfig goes past an empty file)',
      () => {
        mkdirSync(path.join(dir, 'sub'));
        writeFileSync(path.join(dir, 'sub', 'bulkhead.config.mjs'), '\n');
        fifo('package.json');
      },
      [],
      /project config .*package\.json: is a FIFO/,
      'sub',
    ],
  ])('refuses %s in one line (exit 2), without opening it', async (_, make, args, message, sub = '') => {
    make();
    const r = await bulkhead(['rules', 'list', ...args], { cwd: path.join(dir, sub), timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expectOneLineError(r, message);
  });
});
