/**
 * A user's program that imports `@bulkhead/components` (and its testkit) type-checks WITHOUT
 * `skipLibCheck` under every module setting users have: Pulumi's own TypeScript template
 * (TypeScript 5, `commonjs` + `moduleResolution: node`, no `esModuleInterop`), ESM with `node`
 * resolution, and `node16` / `nodenext` in CommonJS and ESM packages. Our public declarations
 * must not drag zod's declarations into such a program (they fail with TS1259 without
 * esModuleInterop), and dockerode's only through the testkit.
 *
 * The program resolves the packages as an installed user's does: through node_modules (here
 * symlinks to the workspace packages and their registry dependencies), from their built
 * declarations. The release rehearsal (scripts/release-rehearsal.sh) repeats this with the
 * packages installed from a registry.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

jest.setTimeout(240_000);

const REPO = path.resolve(__dirname, '..', '..');
const MODULES = path.join(REPO, 'node_modules');

interface Setup {
  name: string;
  type: 'commonjs' | 'module';
  module: string;
  moduleResolution: string;
}
const SETUPS: Setup[] = [
  // Pulumi's `typescript` template: strict, commonjs, moduleResolution node, no esModuleInterop.
  {
    name: "Pulumi's template (commonjs, node)",
    type: 'commonjs',
    module: 'commonjs',
    moduleResolution: 'node',
  },
  { name: 'ESM with node resolution', type: 'module', module: 'es2022', moduleResolution: 'node' },
  { name: 'node16, CommonJS package', type: 'commonjs', module: 'node16', moduleResolution: 'node16' },
  { name: 'nodenext, ESM package', type: 'module', module: 'nodenext', moduleResolution: 'nodenext' },
];

const MAIN_ONLY = `import * as pulumi from '@pulumi/pulumi';
import { HardenedContainer, HardenedNetwork, type HardenedContainerArgs } from '@bulkhead/components';

const net = new HardenedNetwork('backend', {});
const args: HardenedContainerArgs = {
  image: 'registry.example/api@sha256:${'a'.repeat(64)}',
  networks: [net],
  writablePaths: { '/tmp': { size: '16m' } },
};
const api = new HardenedContainer('api', args);
export const name: pulumi.Output<string> = api.container.name;
`;
const WITH_TESTKIT = `${MAIN_ONLY}
import { runProgramUnderMocks, type RegisteredResource } from '@bulkhead/components/testkit';
import { resourceInput, type MockRunOptions } from '@bulkhead/components/program';
export async function check(): Promise<RegisteredResource[]> {
  return runProgramUnderMocks(() => undefined, { project: 'p' });
}
export const options: MockRunOptions = { preview: true };
export const inputs = async () => (await check()).map((r) => resourceInput(r));
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'bulkhead-consumer-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A project directory whose node_modules holds what a user's install would. */
function project(dir: string, setup: Setup, program: string, ignoreDeprecations: boolean): void {
  mkdirSync(path.join(dir, 'node_modules', '@bulkhead'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@pulumi'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  const link = (target: string, name: string) =>
    symlinkSync(target, path.join(dir, 'node_modules', name), 'dir');
  link(path.join(REPO, 'packages', 'components'), '@bulkhead/components');
  link(path.join(MODULES, '@pulumi', 'pulumi'), '@pulumi/pulumi');
  link(path.join(MODULES, '@pulumi', 'docker'), '@pulumi/docker');
  link(path.join(MODULES, '@types', 'node'), '@types/node');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-program', type: setup.type }));
  writeFileSync(path.join(dir, 'index.ts'), program);
  const compilerOptions: Record<string, unknown> = {
    strict: true,
    target: 'es2020',
    module: setup.module,
    moduleResolution: setup.moduleResolution,
    outDir: 'bin',
    noEmit: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    forceConsistentCasingInFileNames: true,
  };
  // TypeScript 6 deprecates `moduleResolution: node` (node10); TypeScript 5 users have it as is.
  if (ignoreDeprecations && setup.moduleResolution === 'node') compilerOptions.ignoreDeprecations = '6.0';
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
}

function compile(tsc: string, dir: string): { status: number | null; output: string; files: string[] } {
  const run = spawnSync(process.execPath, [tsc, '-p', dir, '--listFiles', '--pretty', 'false'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = `${run.stdout}${run.stderr}`.split('\n');
  return {
    status: run.status,
    output: lines.filter((l) => l.includes('error TS')).join('\n'),
    files: lines.filter((l) => l.endsWith('.d.ts') || l.endsWith('.d.cts') || l.endsWith('.d.mts')),
  };
}

let n = 0;
// Each compile type-checks @pulumi/pulumi's and @pulumi/docker's declarations in full (20-30 s on
// a loaded 2-core machine), so: the main entry alone once (Pulumi's template), and the program
// with the testkit under every setup. TypeScript 6 always has esModuleInterop, so it cannot see
// the TS1259 class of errors: the compiler is Pulumi's, TypeScript 5.
const TSC = path.join(MODULES, 'typescript5', 'bin', 'tsc');

describe('a user program compiled by TypeScript 5 without skipLibCheck', () => {
  it("imports @bulkhead/components in Pulumi's template and loads no zod or dockerode types", () => {
    const dir = path.join(root, `p${n++}`);
    project(dir, SETUPS[0]!, MAIN_ONLY, false);
    const result = compile(TSC, dir);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
    expect(result.files.filter((f) => /[\\/](zod|dockerode|@types[\\/]dockerode)[\\/]/.test(f))).toEqual([]);
  });

  it.each(SETUPS.map((s) => [s.name, s]))(
    '%s: imports the components and the testkit, loads no zod types',
    (_name, setup) => {
      const dir = path.join(root, `p${n++}`);
      project(dir, setup as Setup, WITH_TESTKIT, false);
      const result = compile(TSC, dir);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
      expect(result.files.filter((f) => /[\\/]zod[\\/]/.test(f))).toEqual([]);
    },
  );
});
