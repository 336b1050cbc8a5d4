import { catalog } from '@bulkhead/core';
import { bulkhead, expectOneLineError } from './support/cli.js';

describe('bulkhead rules (built binary)', () => {
  it('rules list prints every catalog rule with severity, profile, CIS and where it comes from, and exits 0', async () => {
    const r = await bulkhead(['rules', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+PROFILE\s+CIS\s+FROM\s+TITLE$/);
    for (const rule of catalog.rules) {
      const line = lines.find((l) => l.startsWith(`${rule.id} `));
      expect(line).toBeDefined();
      expect(line).toContain(rule.severity);
      expect(line).toContain(rule.title);
      expect(line).toMatch(/ bulkhead /);
      if (rule.references.cis) expect(line).toContain(rule.references.cis);
    }
    expect(r.stdout).toContain(`${catalog.rules.length} rules`);
  });

  it('rules list --format json --profile baseline --severity critical returns exactly those rules', async () => {
    const r = await bulkhead([
      'rules',
      'list',
      '--format',
      'json',
      '--profile',
      'baseline',
      '--severity',
      'critical',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    const expected = catalog
      .profile('baseline')
      .filter((x) => x.severity === 'critical')
      .map((x) => x.id);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('rules explain prints rationale, every remediation and the references', async () => {
    const rule = catalog.get('no-privileged')!;
    const r = await bulkhead(['rules', 'explain', 'no-privileged']);
    expect(r.code).toBe(0);
    for (const text of [
      rule.title,
      rule.rationale,
      rule.remediation.pulumi,
      rule.remediation.compose,
      rule.remediation.dockerRun,
      rule.references.docs,
    ]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).toContain('CIS        Docker Benchmark v1.6 5.5');
  });

  it('--json, the deprecated alias of --format json, gives the same JSON and one warning line on stderr', async () => {
    const json = await bulkhead(['rules', 'list', '--json', '--severity', 'critical']);
    const format = await bulkhead(['rules', 'list', '--format=json', '--severity', 'critical']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(format.stdout);
    expect(json.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--json is deprecated: use --format json$/),
    ]);
  });

  it('--format json also turns an error before parsing finishes into JSON (bad flag value, exit 2)', async () => {
    const r = await bulkhead(['rules', 'list', '-f', 'json', '--severity', 'bogus']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/Expected --severity=bogus to be one of/);
  });

  it('rules explain of an unknown id exits 2 with a did-you-mean suggestion, also with --format json', async () => {
    const r = await bulkhead(['rules', 'explain', 'no-privilegd']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /unknown rule "no-privilegd"; did you mean "no-privileged"\?/);
    const j = await bulkhead(['rules', 'explain', 'no-privilegd', '--format', 'json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toMatch(/did you mean "no-privileged"/);
  });

  it('bad usage exits 2 without a stack: unknown command, unknown id under noisy NODE_OPTIONS, unknown flag value', async () => {
    const cmd = await bulkhead(['nonsense']);
    expect(cmd.code).toBe(2);
    expectOneLineError(cmd, /command nonsense not found/);
    // NODE_OPTIONS that favour stacks change nothing: still one line.
    const noisy = await bulkhead(['rules', 'explain', 'nope-nope'], {
      env: { NODE_OPTIONS: '--enable-source-maps --stack-trace-limit=100' },
    });
    expect(noisy.code).toBe(2);
    expectOneLineError(noisy, /unknown rule "nope-nope"/);
    const flag = await bulkhead(['rules', 'list', '--severity', 'bogus']);
    expect(flag.code).toBe(2);
    expectOneLineError(flag, /Expected --severity=bogus to be one of/);
  });

  it.each([
    [['audti'], 'audti', 'audit'],
    [['rules', 'lst'], 'rules lst', 'rules list'],
    [['rule', 'list'], 'rule list', 'rules list'],
    [['seccomp', 'valdate', 'profile.json'], 'seccomp valdate', 'seccomp validate'],
    [['validte', 'compose.yaml', '--format', 'json'], 'validte', 'validate'],
  ])('a mistyped command %j exits 2 naming the closest command', async (argv, typed, meant) => {
    const r = await bulkhead(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLineError(r, new RegExp(`command ${typed} not found; did you mean "${meant}"\\?`));
    expect(r.stderr).toContain(`bulkhead ${meant} --help`);
  });

  it('help shows no empty default for repeatable flags, and durations as written', async () => {
    for (const argv of [
      ['audit'],
      ['validate'],
      ['seccomp', 'learn'],
      ['seccomp', 'generate'],
      ['rules', 'list'],
    ]) {
      const r = await bulkhead([...argv, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('[default: ]');
    }
    const audit = await bulkhead(['audit', '--help']);
    expect(audit.stdout).toMatch(/--timeout=DURATION +\[default: 10s\]/);
  });

  it('--help lists the commands', async () => {
    const r = await bulkhead(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'audit', 'rules', 'seccomp']) expect(r.stdout).toContain(c);
  });
});
