/**
 * Where users run Bulkhead besides their shell: the GitHub Action (action.yml runs
 * scripts/action-validate.sh after installing the CLI) and the pre-commit hook
 * (.pre-commit-hooks.yaml's entry). Both run here with the built binary standing in for the
 * installed `bulkhead`; what this machine cannot run (actions/setup-node, the npm install of the
 * published CLI, pre-commit's own environment) is not tested here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { BIN } from './support/cli.js';

const repoRoot = path.resolve(__dirname, '../../..');
const INSECURE_COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
let dir: string;
let compose: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-ci-surfaces-'));
  compose = path.join(dir, 'compose.yaml');
  writeFileSync(compose, INSECURE_COMPOSE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function action(env: Record<string, string>) {
  const outputs = path.join(dir, 'github-output');
  writeFileSync(outputs, '');
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/action-validate.sh')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BULKHEAD_BIN: `node ${BIN}`, GITHUB_OUTPUT: outputs, ...env },
  });
  return { ...r, outputs: readFileSync(outputs, 'utf8') };
}

describe('the GitHub Action', () => {
  const manifest = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
    runs: { using: string; steps: { run?: string; env?: Record<string, string> }[] };
  };

  it('is a composite action with inputs for paths, profile, fail-on and the SARIF file, passed to its script', () => {
    expect(manifest.runs.using).toBe('composite');
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining(['paths', 'profile', 'fail-on', 'sarif-file']),
    );
    const step = manifest.runs.steps.find((s) => s.run?.includes('scripts/action-validate.sh'));
    // GitHub expressions, as action.yml spells them (not template literals).
    const input = (name: string) => ['$', '{{ inputs.', name, ' }}'].join('');
    expect(step?.env).toEqual({
      BULKHEAD_PATHS: input('paths'),
      BULKHEAD_PROFILE: input('profile'),
      BULKHEAD_FAIL_ON: input('fail-on'),
      BULKHEAD_SARIF: input('sarif-file'),
    });
  });

  it('writes SARIF with the findings and fails the step when one reaches fail-on', () => {
    const r = action({ BULKHEAD_PATHS: compose, BULKHEAD_FAIL_ON: 'high', BULKHEAD_SARIF: 'out.sarif' });
    expect(r.status).toBe(1);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain('no-privileged');
    expect(r.stdout).toMatch(/bulkhead: \d+ finding\(s\) in out\.sarif \(exit 1\)/);
    expect(r.outputs).toContain('sarif-file=out.sarif\n');
    expect(r.outputs).toContain('exit-code=1\n');
  }, 60_000);

  it('passes with fail-on none and still writes the report for upload', () => {
    const r = action({ BULKHEAD_PATHS: compose, BULKHEAD_FAIL_ON: 'none', BULKHEAD_PROFILE: 'baseline' });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'bulkhead.sarif'), 'utf8')).runs).toHaveLength(1);
    expect(r.outputs).toContain('exit-code=0\n');
  }, 60_000);
});

describe('the pre-commit hook', () => {
  const [hook] = parse(readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    files: string;
    pass_filenames: boolean;
  }[];

  it('runs its entry (bulkhead validate) and fails the commit on a privileged compose service', () => {
    expect(hook?.id).toBe('bulkhead-validate');
    const [command, ...args] = (hook?.entry ?? '').split(' ');
    expect(command).toBe('bulkhead');
    const r = spawnSync(process.execPath, [BIN, ...args, compose], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/no-privileged/);
  }, 60_000);

  it.each([
    'compose.yaml',
    'deploy/docker-compose.prod.yml',
    'Pulumi.yaml',
    'Pulumi.dev.yaml',
    'infra/index.ts',
  ])('runs when %s changes', (file) => expect(new RegExp(hook?.files ?? '$^').test(file)).toBe(true));
  it.each(['README.md', 'package.json', 'src/app.py'])('does not run when only %s changes', (file) =>
    expect(new RegExp(hook?.files ?? '').test(file)).toBe(false),
  );
});
