/**
 * `bulkhead fix` on TypeScript Pulumi programs, verified rather than hoped: the fixed program
 * re-validates through the built binary (run under mocks) with the fixed findings gone and none
 * new, it still type-checks against the repo's @pulumi/docker and @pulumi/pulumi types, fixing
 * twice changes nothing, and on generated argument objects the edit always parses and re-validates.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultIds } from '@bulkhead/components';
import { runProgramUnderMocks } from '@bulkhead/components/program';
import { type Deployment, deployToEngine } from '@bulkhead/components/testkit';
import { evaluate, type Finding, fromPulumiResources } from '@bulkhead/core';
import { applyPatch } from 'diff';
import fc from 'fast-check';
import * as ts from 'typescript';
import { PULUMI_FIXABLE_RULES, planPulumiFix, syntaxErrors } from '../src/fix/pulumi.js';
import { SECURE } from '../src/fix/secure-values.js';
import { BIN, bulkhead, expectOneLineError } from './support/cli.js';
import { engineAvailable } from './support/engine.js';

/** An aliased namespace import, a renamed named import; arguments in a variable, with a spread, from a call. */
const PROGRAM = `// Shop: a web front, a worker and a cache.
import * as pulumi from '@pulumi/pulumi';
import * as dkr from '@pulumi/docker';
import { Container as Box } from '@pulumi/docker';

const config = new pulumi.Config();
const image = 'bulkhead-test/busybox:1';

/** The web front: serves on 8080. */
export const web = new dkr.Container('web', {
  image, // pinned elsewhere
  command: ['httpd', '-f', '-p', '8080'],
  ports: [{ internal: 8080 }],
  capabilities: { adds: ['NET_BIND_SERVICE'] },
  envs: ['MODE=prod'],
});

// The worker keeps its own tmpfs.
const worker = new Box('worker', { image, tmpfs: { '/run': 'size=8m' }, user: 'nobody', logDriver: 'json-file' });

const cacheArgs: dkr.ContainerArgs = { image };
const cache = new dkr.Container('cache', cacheArgs);
const queue = new dkr.Container('queue', { ...cacheArgs, command: ['sleep', '1d'] });
const argsFor = (name: string): dkr.ContainerArgs => ({ image, hostname: name });
const jobs = new dkr.Container('jobs', argsFor('jobs'));

export const names = [worker.name, cache.name, queue.name, jobs.name, config.name];
`;

interface JsonFinding {
  ruleId: string;
  status: string;
  path: string;
  resource: { name: string };
}
const key = (f: { ruleId: string; resource: { name: string }; path: string }) =>
  `${f.ruleId} ${f.resource.name} ${f.path}`;

const cwd = path.join(__dirname, '..');
let dir: string;
let program: string;
beforeAll(() => {
  // Inside the package, so the program resolves the repo's @pulumi/docker.
  dir = mkdtempSync(path.join(__dirname, '.tmp-fix-pulumi-'));
  program = path.join(dir, 'index.ts');
  writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
  writeFileSync(program, PROGRAM);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failing(): Promise<JsonFinding[]> {
  const r = await bulkhead(['validate', path.relative(cwd, dir), '-f', 'json', '--fail-on', 'none'], { cwd });
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.status === 'fail');
}

/** Type errors of program files (checked together, as `tsc --noEmit --strict` would), by file name. */
function typeErrors(files: string[]): string[] {
  const p = ts.createProgram(files, {
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(p)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('bulkhead fix <pulumi project> (built binary)', () => {
  jest.setTimeout(120_000);

  it('fixes every mechanical rule, re-validates clean of them with none new, type-checks, and is idempotent', async () => {
    const before = await failing();
    // The unfixed program, kept for the type check below.
    writeFileSync(path.join(dir, 'original.ts'), PROGRAM);

    const dry = await bulkhead(['fix', path.relative(cwd, dir), '--dry-run', '--set-user'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Index: .*index\.ts\n=+\n--- .*index\.ts\n\+\+\+ .*index\.ts\n@@ /);
    expect(readFileSync(program, 'utf8')).toBe(PROGRAM);
    // The edited copy that was run under mocks is gone.
    expect(readdirSync(dir).sort()).toEqual(['Pulumi.yaml', 'index.ts', 'original.ts']);

    const real = await bulkhead(['fix', program, '--set-user']);
    expect(real.code).toBe(0);
    const fixedText = readFileSync(program, 'utf8');
    expect(applyPatch(PROGRAM, dry.stdout)).toBe(fixedText);
    const fixed = [...real.stdout.matchAll(/^fixed ([\w-]+) on (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(new Set(fixed.map((f) => f.split(' ')[0]))).toEqual(new Set(PULUMI_FIXABLE_RULES));
    for (const name of ['cache', 'queue', 'jobs'])
      expect(real.stdout).toMatch(
        new RegExp(
          `^not fixed: memory-limit on ${name} \\(memory\\): arguments are not an object literal$`,
          'm',
        ),
      );
    expect(real.stdout).toMatch(/^not fixed: healthcheck on web .*health check/m);
    expect(real.stdout).toMatch(/HardenedContainer .*`exceptions`/);
    expect(real.stdout).toMatch(/^exemptions:\n {2}- rule: /m);

    // (a) re-validated through the binary: the fixed findings are gone and none is new.
    const after = await failing();
    const old = new Set(before.map(key));
    expect(after.filter((f) => !old.has(key(f))).map(key)).toEqual([]);
    const cleared = new Set(fixed);
    expect(after.filter((f) => cleared.has(`${f.ruleId} ${f.resource.name}`)).map(key)).toEqual([]);
    const untouched = (fs: JsonFinding[]) =>
      fs.filter((f) => ['cache', 'queue', 'jobs'].includes(f.resource.name));
    expect(untouched(after).map(key)).toEqual(untouched(before).map(key));

    // Only the edited lines changed: comments, the non-literal argument and layout elsewhere stay.
    const removed = PROGRAM.split('\n').filter((l) => !fixedText.split('\n').includes(l));
    expect(removed).toEqual([
      '  ports: [{ internal: 8080 }],',
      "  capabilities: { adds: ['NET_BIND_SERVICE'] },",
      "const worker = new Box('worker', { image, tmpfs: { '/run': 'size=8m' }, user: 'nobody', logDriver: 'json-file' });",
    ]);
    expect(fixedText).toContain(`  ports: [{ internal: 8080, ip: '${SECURE.portIp}' }],\n`);
    expect(fixedText).toContain("  envs: ['MODE=prod'],\n  securityOpts: ['no-new-privileges:true'],\n");
    expect(fixedText).toContain(`  memory: ${SECURE.memoryMb},\n`);
    expect(fixedText).toContain(`'/run': 'size=8m,noexec,nosuid,nodev'`);

    // (b) it still compiles against the real types (which do catch a wrong one: `cpus` is a string).
    const wrong = path.join(dir, 'wrong.ts');
    writeFileSync(wrong, fixedText.replace(`cpus: '${SECURE.cpusText}'`, `cpus: ${SECURE.cpusText}`));
    expect(typeErrors([path.join(dir, 'original.ts'), program, wrong])).toEqual([
      expect.stringMatching(/wrong\.ts: Type 'number' is not assignable/),
    ]);
    rmSync(wrong);

    // (c) idempotent.
    const again = await bulkhead(['fix', path.relative(cwd, dir), '--set-user'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 fixed, \d+ not fixed; the file is unchanged$/m);
    expect(readFileSync(program, 'utf8')).toBe(fixedText);
  });

  // (d) the fixed containers run: the program as fixed above (the first test), run under mocks,
  // deployed to the engine by the test kit (as the provider would create them), stays up.
  (engineAvailable() ? it : it.skip)(
    'the fixed web starts under runc, stays up and still serves',
    async () => {
      const resources = await runProgramUnderMocks(program, { project: 'shop' });
      const fixedWeb = resources.find((r) => r.name === 'web');
      expect(fixedWeb?.inputs.readOnly).toBe(true);
      let d: Deployment | undefined;
      try {
        d = await deployToEngine(
          // The worker has no long-running command of its own (the image's shell exits).
          resources.filter((r) => r.name === 'web'),
          { pull: false, prefix: `pulumi-fix-${process.pid}` },
        );
        await new Promise((r) => setTimeout(r, 3000));
        // What the fix wrote is what the engine runs.
        const web = await d.inspect('web');
        expect([web.State.Running, web.RestartCount]).toEqual([true, 0]);
        expect(web.HostConfig.ReadonlyRootfs).toBe(true);
        expect(web.HostConfig.CapDrop).toEqual(['ALL']);
        expect(web.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
        expect(web.Config.User).toBe(defaultIds('web').join(':'));
        // The web still serves on 8080 as the unprivileged user, with every capability dropped.
        const served = await d.exec('web', ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'], {
          timeoutMs: 10_000,
        });
        // busybox httpd answers (404: it serves an empty directory); a refused connection would not.
        expect(served.exitCode === 0 || /404/.test(served.stderr)).toBe(true);
      } finally {
        await d?.teardown();
      }
    },
  );

  it('never touches a program that does not parse: one line, exit 2, same bytes', async () => {
    const broken = path.join(dir, 'broken');
    rmSync(broken, { recursive: true, force: true });
    const text = "import * as docker from '@pulumi/docker';\nnew docker.Container('a', { image: 'x' ;\n";
    require('node:fs').mkdirSync(broken);
    writeFileSync(path.join(broken, 'Pulumi.yaml'), 'name: b\nruntime: nodejs\n');
    writeFileSync(path.join(broken, 'index.ts'), text);
    const r = await bulkhead(['fix', path.relative(cwd, broken)], { cwd });
    expect(r.code).toBe(2);
    expectOneLineError(r, /index\.ts: .*expected.*; nothing was changed/);
    expect(readFileSync(path.join(broken, 'index.ts'), 'utf8')).toBe(text);
    expect(readdirSync(broken).sort()).toEqual(['Pulumi.yaml', 'index.ts']);
    rmSync(broken, { recursive: true, force: true });
  });
});

/**
 * The program's Container resources without running Pulumi: each `new docker.Container(name, {…})`
 * argument (literals only here) evaluated as JavaScript and read by core's Pulumi adapter.
 */
function inputsOf(text: string, file: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const resources: Parameters<typeof fromPulumiResources>[0][number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments?.length === 2) {
      const [name, args] = node.arguments;
      const js = ts.transpileModule(`module.exports = (${args!.getText(sf)});`, {}).outputText;
      const exported: { exports?: Record<string, unknown> } = {};
      new Function('module', js)(exported);
      resources.push({
        type: 'docker:index/container:Container',
        name: (name as ts.StringLiteral).text,
        urn: `urn:pulumi:dev::p::docker:index/container:Container::${(name as ts.StringLiteral).text}`,
        props: exported.exports ?? {},
        location: { file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 },
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return evaluate(fromPulumiResources(resources)).findings.filter((f) => f.status === 'fail');
}

const args = fc.record(
  {
    image: fc.constantFrom('busybox:1', 'nginx:1'),
    user: fc.constantFrom('0', 'root', 'app', '1000:1000'),
    readOnly: fc.boolean(),
    init: fc.boolean(),
    capabilities: fc.record(
      {
        adds: fc.subarray(['CHOWN', 'NET_RAW', 'NET_BIND_SERVICE']),
        drops: fc.subarray(['NET_RAW', 'ALL']),
      },
      { requiredKeys: [] },
    ),
    securityOpts: fc.subarray([
      'no-new-privileges:false',
      'no-new-privileges:true',
      'apparmor=docker-default',
    ]),
    tmpfs: fc.dictionary(
      fc.constantFrom('/run', '/tmp', '/var/cache'),
      fc.constantFrom('', 'size=8m', 'exec'),
    ),
    ports: fc.array(
      fc.record(
        { internal: fc.constantFrom(80, 8080), ip: fc.constantFrom('127.0.0.1', '0.0.0.0') },
        {
          requiredKeys: ['internal'],
        },
      ),
      { maxLength: 2 },
    ),
    ulimits: fc.subarray([
      { name: 'nofile', soft: 4096, hard: 4096 },
      { name: 'nproc', soft: 64, hard: 64 },
    ]),
    logDriver: fc.constantFrom('json-file', 'syslog'),
    logOpts: fc.constantFrom({}, { 'max-size': '1m' }, { 'max-file': '2' }),
    memory: fc.constantFrom(64),
    cpus: fc.constantFrom('1'),
    cgroupnsMode: fc.constantFrom('host', 'private'),
  },
  { requiredKeys: ['image'] },
);

describe('bulkhead fix on docker.Container arguments: what it leaves alone', () => {
  const file = path.join(__dirname, 'aliases.ts');
  const plan = (text: string, setUser = false) =>
    planPulumiFix(text, file, inputsOf(text, file), async (t) => inputsOf(t, file), { setUser });

  it('finds `import x = require(…)` aliases; leaves choices with a reason and an exemption entry', async () => {
    const text = `import docker = require('@pulumi/docker');
new docker.Container('a', { image: 'a:1', ports: [{ internal: 80, ip: '0.0.0.0' }], memory: 512, logDriver: 'syslog', user: 'root' });
`;
    const p = await plan(text);
    const why = Object.fromEntries(p.notFixed.map((n) => [n.rule, n]));
    expect(why['ports-bound-to-interface']).toMatchObject({
      why: expect.stringMatching(/choice/),
      decision: true,
    });
    expect(why['non-root-user']?.why).toMatch(/--set-user/);
    expect(p.fixed.map((n) => n.rule)).toContain('drop-all-capabilities');
    expect(p.text).toContain("ip: '0.0.0.0'");
    expect(p.text).toContain("user: 'root'");
  });

  it('leaves an explicit no-new-privileges off (any spelling the engine reads) and a NET_RAW add-back', async () => {
    const text = `import * as docker from '@pulumi/docker';
new docker.Container('a', { image: 'a:1', securityOpts: ['no-new-privileges=0'], capabilities: { adds: ['cap_net_raw'] } });
`;
    const p = await plan(text);
    const why = Object.fromEntries(p.notFixed.map((n) => [n.rule, n.why]));
    expect(why['no-new-privileges']).toMatch(/choice/);
    expect(why['drop-all-capabilities']).toMatch(/NET_RAW/);
    expect(p.text).toContain("securityOpts: ['no-new-privileges=0']");
  });

  it('does not guess between two containers on one line, and ignores type-only imports', async () => {
    const text = `import type { Container } from '@pulumi/docker';
import * as docker from '@pulumi/docker';
new docker.Container('a', { image: 'a:1' }); new docker.Container('b', { image: 'b:1' });
new Container('c', { image: 'c:1' });
`;
    const p = await plan(text);
    expect(p.fixed).toEqual([]);
    expect(p.text).toBe(text);
    const init = (name: string) =>
      p.notFixed.find((n) => n.rule === 'init-process' && n.service === name)?.why;
    expect(init('c')).toMatch(/not made by a `new docker\.Container/);
    expect(init('a')).toMatch(/several docker\.Container calls are on line 3/);
  });
});

/** How a program is laid out: the whole text, and how an argument object is written. */
type Layout = ((text: string) => string) & { args: (a: object) => string };
const layout = (args: Layout['args'], text: (t: string) => string = (t) => t): Layout =>
  Object.assign(text, { args });
const LAYOUTS: Layout[] = [
  layout((a) => JSON.stringify(a)),
  layout((a) => JSON.stringify(a, null, 2)),
  // A comment after every value line, and a trailing comma after the last property.
  layout((a) =>
    JSON.stringify(a, null, 2)
      .replace(/([^{[,\n])\n}$/, '$1,\n}')
      .replace(/([^{[\n])$/gm, (m, _c, offset, all: string) =>
        offset === all.length - 1 ? m : `${m} // why`,
      ),
  ),
  layout(
    (a) => JSON.stringify(a, null, 2),
    (t) => t.replace(/\n/g, '\r\n'),
  ),
  // Block comments after values, some over two lines, and inside empty objects and arrays.
  layout((a) =>
    JSON.stringify(a, null, 2)
      .replace(/([^{[\n])\n/g, '$1 /* why,\n  still why */\n')
      .replace(/\{\}|\[\]/g, (m) => `${m[0]} /* none */ ${m[1]}`),
  ),
];

describe('bulkhead fix on generated docker.Container arguments', () => {
  it('the edit parses, clears what it says it fixed, adds no finding, and is idempotent', async () => {
    const file = path.join(__dirname, 'generated.ts');
    let fixes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(args, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...LAYOUTS),
        fc.boolean(),
        async (containers, layout, setUser) => {
          const text = layout(
            [
              "import * as docker from '@pulumi/docker';",
              ...containers.map(
                (a, i) => `// container ${i}\nnew docker.Container('c${i}', ${layout.args(a)});`,
              ),
              '',
            ].join('\n'),
          );
          const evalText = async (t: string) => inputsOf(t, file);
          // planPulumiFix throws when a fixed finding stays or a new one appears.
          const plan = await planPulumiFix(text, file, inputsOf(text, file), evalText, { setUser });
          expect(syntaxErrors(plan.text, file)).toEqual([]);
          expect(plan.text.match(/\/\/ container \d/g)?.length).toBe(containers.length);
          const again = await planPulumiFix(plan.text, file, inputsOf(plan.text, file), evalText, {
            setUser,
          });
          expect(again.fixed).toEqual([]);
          expect(again.text).toBe(plan.text);
          fixes += plan.fixed.length;
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 60) },
    );
    // The generated arguments do get fixed (the property is not vacuous).
    expect(fixes).toBeGreaterThan(0);
  });
});

describe('bulkhead fix interrupted (built binary)', () => {
  jest.setTimeout(120_000);

  it('removes the edited copy it was running under mocks when interrupted with SIGINT (exit 130)', async () => {
    const d = mkdtempSync(path.join(__dirname, '.tmp-fix-sigint-'));
    try {
      writeFileSync(path.join(d, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
      writeFileSync(path.join(d, 'index.ts'), PROGRAM);
      const child = spawn(process.execPath, [BIN, 'fix', d, '--dry-run'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const hasCopy = () => readdirSync(d).some((e) => e.includes('.bulkhead-fix-'));
      const deadline = Date.now() + 90_000;
      while (!hasCopy() && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(hasCopy()).toBe(true);
      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(readdirSync(d).sort()).toEqual(['Pulumi.yaml', 'index.ts']);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('says once that an encrypted config value is left out of the run', async () => {
    const d = mkdtempSync(path.join(__dirname, '.tmp-fix-config-'));
    try {
      writeFileSync(path.join(d, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
      writeFileSync(path.join(d, 'Pulumi.dev.yaml'), 'config:\n  shop:apiKey:\n    secure: AAABAKxyz\n');
      writeFileSync(path.join(d, 'index.ts'), PROGRAM);
      const r = await bulkhead(['fix', d, '--dry-run', '--stack', 'dev']);
      expect(r.code).toBe(0);
      expect(r.stderr.match(/config shop:apiKey is encrypted; the program runs without it/g)).toHaveLength(1);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
