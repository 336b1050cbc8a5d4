/**
 * Acme's rules on Bulkhead's surfaces, with no change to Bulkhead's code: the policy pack built
 * with createPack (policy/) under the real analyzer protocol (@bulkhead/policy-harness), and the
 * real `bulkhead` binary finding app/bulkhead.config.mjs from its working directory.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/program';
import { type PolicyPackHandle, startPolicyPack } from '@bulkhead/policy-harness';

jest.setTimeout(120_000);

const HERE = path.resolve(__dirname, '..');
const BIN = path.resolve(HERE, '..', '..', 'packages', 'cli', 'bin', 'run.js');
const CONTAINER = 'docker:index/container:Container';

/**
 * The resources the example Pulumi program (program/index.ts) registers, run under mocks, as the
 * engine sends them to a policy pack: inputs with their secrets still wrapped.
 */
let registered: RegisteredResource[];
beforeAll(async () => {
  registered = await runProgramUnderMocks(
    () => {
      require('../program/index');
    },
    { project: 'acme-shop' },
  );
});
const program = () =>
  registered
    .filter((r) => r.type === CONTAINER)
    .map((r) => ({ type: r.type, name: r.name, urn: r.urn, properties: r.inputs }));
const container = (name: string) => {
  const found = program().find((r) => r.name === name);
  if (!found) throw new Error(`the program registered no container ${name}`);
  return found;
};

describe('the acme-docker pack (createPack)', () => {
  let pack: PolicyPackHandle;
  beforeAll(async () => {
    pack = await startPolicyPack(path.join(HERE, 'policy'));
  });
  afterAll(async () => {
    await pack?.close();
  });

  it("serves one policy per selected rule, Acme's included and cpu-limit excluded", async () => {
    const names = (await pack.info()).policies.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['acme/image-registry', 'acme/owner-label', 'acme/one-owner-per-network']),
    );
    expect(names).toContain('no-privileged');
    expect(names).not.toContain('cpu-limit');
  });

  it("blocks the foreign image and the missing owner with Acme's enforcement, never echoing the secret image", async () => {
    const vs = await pack.analyze(container('reports'));
    const acme = vs.filter((v) => v.policyName.startsWith('acme/'));
    expect(acme.map((v) => [v.policyName, v.enforcementLevel]).sort()).toEqual([
      ['acme/image-registry', 'mandatory'],
      ['acme/owner-label', 'mandatory'],
    ]);
    expect(JSON.stringify(vs)).not.toContain('canary');
  });

  it('passes the compliant web container on Acme rules', async () => {
    const vs = await pack.analyze(container('web'));
    expect(vs.filter((v) => v.policyName.startsWith('acme/'))).toEqual([]);
  });

  it('runs the stack rule once per container of the shared network', async () => {
    const vs = await pack.analyzeStack(program());
    const shared = vs.filter((v) => v.policyName === 'acme/one-owner-per-network');
    expect(shared).toHaveLength(2);
  });
});

describe('the bulkhead CLI with app/bulkhead.config.mjs', () => {
  const run = (args: string[], cwd = path.join(HERE, 'app')) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it("validates with Acme's rules beside Bulkhead's and fails at the config's failOn", () => {
    const r = run(['validate', 'compose.yaml', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; resource: { name: string } }[] };
    const acme = report.findings
      .filter((f) => f.ruleId.startsWith('acme/'))
      .map((f) => `${f.ruleId} ${f.resource.name}`);
    expect(acme.sort()).toEqual([
      'acme/image-registry reports',
      'acme/one-owner-per-network reports',
      'acme/one-owner-per-network web',
      'acme/owner-label reports',
    ]);
    expect(report.findings.some((f) => f.ruleId === 'cpu-limit')).toBe(false);
    expect(r.code).toBe(1);
  });

  it('validates the example Pulumi program with the same rules, pointing at its lines, never showing the secret image', () => {
    const r = run(['validate', '../program', '--format', 'json']);
    const report = JSON.parse(r.stdout) as {
      findings: {
        ruleId: string;
        resource: { name: string };
        location: { file: string; line: number } | null;
      }[];
    };
    const acme = report.findings
      .filter((f) => f.ruleId.startsWith('acme/'))
      .map((f) => `${f.ruleId} ${f.resource.name} ${f.location?.file}:${f.location?.line}`);
    expect(acme.sort()).toEqual([
      'acme/image-registry reports ../program/index.ts:16',
      'acme/one-owner-per-network reports ../program/index.ts:16',
      'acme/one-owner-per-network web ../program/index.ts:9',
      'acme/owner-label reports ../program/index.ts:16',
    ]);
    expect(r.stdout).not.toContain('canary');
    expect(r.code).toBe(1);
  });

  it('lists where each rule comes from, and selects by namespace', () => {
    const r = run(['rules', 'list', '--include', 'acme/*']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^acme\/owner-label\s+medium\s+baseline\s+-\s+@acme\/bulkhead-rules\s+/m);
    expect(r.stdout).toContain('3 rules');
  });

  it('explains a team rule', () => {
    const r = run(['rules', 'explain', 'acme/image-registry']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from       @acme/bulkhead-rules');
    expect(r.stdout).toContain('NIST       SP 800-190 4.1.5');
  });

  it('names a rule package that is not installed, with the fix, in one line (exit 3)', () => {
    const r = run(['rules', 'list', '--config', path.join(HERE, 'test', 'missing-package.config.mjs')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('rules[0]: rule package "@acme/not-installed" is not installed');
    expect(r.stderr).toContain('npm install -D @acme/not-installed');
  });
});

describe('the rule docs generator', () => {
  it("documents Acme's package the way it documents Bulkhead's, and docs/rules is up to date", () => {
    const gen = path.resolve(HERE, '..', '..', 'scripts', 'gen-rule-docs.mjs');
    const r = spawnSync(process.execPath, [gen, '--package', HERE, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
