import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { bulkhead, expectOneLineError, tempDir } from './support/cli.js';
import { sarifValidator } from './support/sarif.js';

const CANARIES = ['CANARY-ENV-5e1d', 'CANARY-LABEL-a7c3', 'CANARY-SECCOMP-92bf', 'CANARY-IMG-d04e'];

const INSECURE = `services:
  web:
    image: registry.example/${CANARIES[3]}:1
    privileged: true
    network_mode: host
    environment:
      API_TOKEN: ${CANARIES[0]}
    labels:
      team: ${CANARIES[1]}
    security_opt:
      - 'seccomp={"defaultAction":"SCMP_ACT_ERRNO","note":"${CANARIES[2]}"}'
`;

const HARDENED = `services:
  app:
    image: registry.example/app@sha256:${'a'.repeat(64)}
    user: "10001:10001"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    network_mode: none
    mem_limit: 64m
    pids_limit: 64
    cpus: 0.5
`;

let tmp: { dir: string; cleanup: () => void };
const file = (name: string, text: string | Buffer) => {
  const p = path.join(tmp.dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const noCanary = (text: string) => {
  for (const c of CANARIES) expect(text).not.toContain(c);
};

describe('bulkhead validate: compose files (built binary)', () => {
  it('table: findings grouped under the service with file:line and the compose fix; exit 1; no secrets, no colour', async () => {
    const compose = file('app/compose.yaml', INSECURE);
    const r = await bulkhead(['validate', compose]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^web \(container, /m);
    expect(r.stdout).toMatch(/CRITICAL +fail +no-privileged +services\.web\.privileged .*compose\.yaml:4/);
    expect(r.stdout).toContain('fix: Remove `privileged: true` from the service.');
    expect(r.stdout).toMatch(/\d+ failed \(\d+ critical/);
    expect(r.stdout).not.toContain('\u001b[');
    noCanary(r.stdout + r.stderr);
  });

  it('--env-file values interpolate compose variables, the process environment wins, and unset ones are unknown in compose words', async () => {
    const compose = file(
      'vars/compose.yaml',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      'services:\n  web:\n    image: a\n    user: "${APP_UID}"\n    profiles: [debug]\n',
    );
    const envFile = file('vars/alt.env', 'APP_UID=0\n');
    const root = await bulkhead(['validate', compose, '--env-file', envFile, '--fail-on', 'none']);
    expect(root.stdout).toMatch(/HIGH +fail +non-root-user +services\.web\.user/);
    expect(root.stdout).toMatch(/^web \(container, compose:service from .*, profile debug\)$/m);
    const json = await bulkhead([
      'validate',
      compose,
      '--env-file',
      envFile,
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    const findings = JSON.parse(json.stdout).findings as {
      resource: { name: string; profiles?: string[] };
    }[];
    const web = findings.filter((f) => f.resource.name === 'web');
    expect(web.length).toBeGreaterThan(0);
    expect(web.every((f) => f.resource.profiles?.join() === 'debug')).toBe(true);
    const fromEnv = await bulkhead(['validate', compose, '--env-file', envFile, '--fail-on', 'none'], {
      env: { APP_UID: '1000' },
    });
    expect(fromEnv.stdout).not.toMatch(/non-root-user +services\.web\.user/);
    const unset = await bulkhead(['validate', compose, '--fail-on', 'none'], { env: { APP_UID: undefined } });
    expect(unset.stdout).toMatch(/unknown +non-root-user +services\.web\.user/);
    expect(unset.stdout).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      'the value depends on ${APP_UID}, which is not set (Docker Compose would substitute an empty string)',
    );
    expect(unset.stdout).not.toContain('until the resource is created');
  });

  it('a directory with a compose file is read like the file; --fail-on none exits 0', async () => {
    const r = await bulkhead(['validate', path.join(tmp.dir, 'app'), '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no-privileged');
  });

  it('json to --output: stdout empty, file has the documented shape, no temp file left, no secrets', async () => {
    const out = path.join(tmp.dir, 'out', 'report.json');
    mkdirSync(path.dirname(out), { recursive: true });
    const r = await bulkhead([
      'validate',
      path.join(tmp.dir, 'app/compose.yaml'),
      '--format',
      'json',
      '--output',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    noCanary(text);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ version: 1, tool: { name: 'bulkhead' }, profile: 'restricted' });
    const priv = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'no-privileged');
    expect(priv).toMatchObject({
      severity: 'critical',
      status: 'fail',
      resource: { name: 'web', kind: 'compose' },
      path: 'services.web.privileged',
      location: { line: 4 },
    });
    expect(priv.location.file).toContain('compose.yaml');
    expect(readdirSync(path.dirname(out))).toEqual(['report.json']);
  });

  it('sarif output validates against the SARIF 2.1.0 schema and points at the compose file', async () => {
    const r = await bulkhead(['validate', 'app/compose.yaml', '--format', 'sarif'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    noCanary(r.stdout);
    const doc = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const res = doc.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'no-privileged');
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'app/compose.yaml' },
      region: { startLine: 4 },
    });
  });

  it('junit output is well-formed XML with failures', async () => {
    const r = await bulkhead(['validate', path.join(tmp.dir, 'app/compose.yaml'), '-f', 'junit']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    expect(r.stdout).toMatch(/<failure type="critical"/);
    noCanary(r.stdout);
  });

  it('a hardened service passes the baseline profile: exit 0', async () => {
    const r = await bulkhead(['validate', file('hardened.yaml', HARDENED), '--profile', 'baseline']);
    expect(r.stdout).toMatch(/^0 failed/m);
    expect(r.code).toBe(0);
  });

  it('exemptions: an exempted finding shows its reason; unused and expired ones are warned about', async () => {
    const ex = file(
      'exemptions.yaml',
      `exemptions:
  - rule: no-privileged
    resource: web
    reason: the web tier loads a kernel module at start (ticket SEC-12)
  - rule: no-host-network
    resource: nothing-matches-*
    reason: kept to show the unused warning
  - rule: no-host-network
    resource: web
    reason: this one expired long ago and must not apply
    expires: 2020-01-01
`,
    );
    const r = await bulkhead([
      'validate',
      path.join(tmp.dir, 'app/compose.yaml'),
      '--exemptions',
      ex,
      '-f',
      'json',
    ]);
    const doc = JSON.parse(r.stdout);
    const priv = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'no-privileged');
    expect(priv.status).toBe('exempt');
    expect(priv.exemption.reason).toMatch(/kernel module/);
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === 'no-host-network').status).toBe('fail');
    expect(doc.exemptionProblems.map((p: { kind: string }) => p.kind)).toEqual(['unused', 'expired']);
    expect(r.stderr).toMatch(/warning: exemptions\[1\].*matched no finding/);
    expect(r.stderr).toMatch(/warning: exemptions\[2\] expired/);
    expect(r.code).toBe(1);
  });
});

describe('bulkhead validate: bad input exits 2 with one clear line (built binary)', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['an empty file', () => [file('empty.yaml', '')], /empty\.yaml is empty/],
    [
      'truncated JSON',
      () => [file('trunc.json', '{"version": 3, "deployment": {"resources": [')],
      /trunc\.json:1:\d+: not valid JSON/,
    ],
    [
      'binary garbage',
      () => [file('garbage.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe]))],
      /not a text file/,
    ],
    [
      'a JSON list of the wrong things',
      () => [file('wrong.json', '[1, 2, 3]')],
      /wrong\.json: .*expected a compose file/,
    ],
    [
      'JSON with a field of the wrong type',
      () => [file('types.json', '{"services": 5}')],
      /types\.json:1:\d+: services: expected a mapping/,
    ],
    [
      'a YAML alias bomb',
      () => [
        file(
          'bomb.yaml',
          `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nservices: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
        ),
      ],
      /bomb\.yaml:\d+:\d+: YAML aliases expand to more than 200,000 extra values/,
    ],
    [
      'a required compose variable that is not set',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      () => [file('required.yaml', 'services:\n  web:\n    image: "${BULKHEAD_TEST_UNSET:?set it}"\n')],
      /required\.yaml:3:12: services\.web\.image: required variable BULKHEAD_TEST_UNSET is not set/,
    ],
    [
      // Node.js reads `--env-file` after a script's path too and exits 9 before the script starts
      // (nodejs/node#54232): the binary re-runs itself as `node -- bin/run.js`, so the flag is ours.
      'a missing --env-file',
      () => [
        file('env-user.yaml', 'services:\n  web:\n    image: nginx:1\n'),
        '--env-file',
        path.join(tmp.dir, 'no.env'),
      ],
      /no\.env: the env file does not exist/,
    ],
    [
      'a missing path',
      () => [path.join(tmp.dir, 'missing.yaml')],
      /missing\.yaml: no such file or directory/,
    ],
    [
      // Tests run as root, so chmod 000 would not stop the read: a path under a regular file (ENOTDIR) is unreadable for root too.
      'a path under a regular file',
      () => [path.join(file('plain.txt', 'x'), 'compose.yaml')],
      /plain\.txt\/compose\.yaml: a parent of the path is not a directory/,
    ],
    [
      'a directory with no input in it',
      () => {
        mkdirSync(path.join(tmp.dir, 'nothing'), { recursive: true });
        return [path.join(tmp.dir, 'nothing')];
      },
      /holds neither a Pulumi\.yaml nor a compose file/,
    ],
    [
      'an exemptions file with an unknown rule',
      () => [
        path.join(tmp.dir, 'hardened.yaml'),
        '--exemptions',
        file('bad-rule.yaml', '- rule: no-privilegd\n  reason: a long enough reason here\n'),
      ],
      /exemptions\[0\]\.rule: unknown rule "no-privilegd"; did you mean "no-privileged"\?/,
    ],
    [
      'an exemptions file with a short reason',
      () => [
        path.join(tmp.dir, 'hardened.yaml'),
        '--exemptions',
        file('short.yaml', '- rule: no-privileged\n  reason: meh\n'),
      ],
      /\[0\]\.reason: reason must have at least 10 visible characters/,
    ],
    [
      'an unknown --format',
      () => [path.join(tmp.dir, 'hardened.yaml'), '--format', 'xml'],
      /Expected --format=xml to be one of/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const r = await bulkhead(['validate', ...args()]);
    expect(r.code).toBe(2);
    expectOneLineError(r, message);
    expect(r.stdout).toBe('');
  });

  it('a 100 MB file is refused from its size, before reading, with bounded memory', async () => {
    const big = path.join(tmp.dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 100 * 1024 * 1024);
    // A 48 MB heap could not hold the file as a string: passing proves it was never read.
    const r = await bulkhead(['validate', big], { env: { NODE_OPTIONS: '--max-old-space-size=48' } });
    expect(r.code).toBe(2);
    expectOneLineError(r, /big\.json is 100\.0 MiB; bulkhead refuses inputs over 32\.0 MiB/);
  });

  it('--output into a missing directory exits 2 and leaves nothing behind', async () => {
    const out = path.join(tmp.dir, 'no-such-dir', 'r.json');
    const r = await bulkhead(['validate', path.join(tmp.dir, 'hardened.yaml'), '--output', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot write --output .*r\.json: no such file or directory/);
    expect(existsSync(path.dirname(out))).toBe(false);
  });

  it('a failed --output keeps the previous report intact (atomic write)', async () => {
    const outDir = path.join(tmp.dir, 'ro');
    mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, 'r.json');
    writeFileSync(out, 'previous report');
    // The target's parent is a regular file, so creating the temporary file fails (ENOTDIR).
    const r = await bulkhead([
      'validate',
      path.join(tmp.dir, 'hardened.yaml'),
      '--output',
      path.join(out, 'x.json'),
    ]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous report');
    expect(readdirSync(outDir)).toEqual(['r.json']);
  });
});

describe('bulkhead validate: Pulumi inputs (built binary)', () => {
  let project: string;
  beforeAll(() => {
    // Inside the package so the program resolves @pulumi/* from the workspace's node_modules.
    project = mkdtempSync(path.join(__dirname, '.tmp-project-'));
    writeFileSync(
      path.join(project, 'Pulumi.yaml'),
      'name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nconfig:\n  hostNet:\n    type: boolean\n    default: false\n',
    );
    writeFileSync(
      path.join(project, 'Pulumi.dev.yaml'),
      'config:\n  shop:hostNet: "true"\n  shop:apiKey:\n    secure: AAABAKxyz\n',
    );
    writeFileSync(
      path.join(project, 'index.ts'),
      `import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
const config = new pulumi.Config();
const hostNet: boolean = config.getBoolean('hostNet') ?? false;
interface Typed { n: number }
const t: Typed = { n: 1 };
new docker.Container('api', {
  image: 'registry.example/api:1',
  privileged: t.n === 1,
  networkMode: hostNet ? 'host' : 'bridge',
  envs: ['TOKEN=${CANARIES[0]}'],
});
`,
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('runs a TypeScript program under mocks with the stack config and reports its containers', async () => {
    const r = await bulkhead(['validate', project, '--format', 'json']);
    expect(r.stderr).toMatch(/config shop:apiKey is encrypted/);
    const doc = JSON.parse(r.stdout);
    const ids = doc.findings
      .filter((f: { status: string }) => f.status === 'fail')
      .map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['no-privileged', 'no-host-network']));
    const priv = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'no-privileged');
    expect(priv.resource).toMatchObject({
      name: 'api',
      kind: 'pulumi',
      type: 'docker:index/container:Container',
    });
    expect(priv.resource.urn).toMatch(/^urn:pulumi:dev::shop::docker:index\/container:Container::api$/);
    expect(priv.path).toBe('privileged');
    expect(priv.fix).toMatch(/privileged/);
    noCanary(r.stdout + r.stderr);
    expect(r.code).toBe(1);
  });

  it('sarif for a Pulumi project: the program file as physical location, the URN as logical location', async () => {
    const cwd = path.join(__dirname, '..');
    const r = await bulkhead(['validate', path.relative(cwd, project), '-f', 'sarif'], { cwd });
    const doc = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const res = doc.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'no-privileged');
    const loc = res.locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe(`${path.relative(cwd, project)}/index.ts`);
    expect(loc.logicalLocations[0].fullyQualifiedName).toBe(
      'urn:pulumi:dev::shop::docker:index/container:Container::api',
    );
    noCanary(r.stdout);
  });

  it('the typescript transpiler fallback gives the same findings as swc', async () => {
    const [swc, ts] = await Promise.all([
      bulkhead(['validate', project, '-f', 'json'], { env: { BULKHEAD_TS_TRANSPILER: 'swc' } }),
      bulkhead(['validate', project, '-f', 'json'], { env: { BULKHEAD_TS_TRANSPILER: 'typescript' } }),
    ]);
    const ids = (r: { stdout: string }) =>
      JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids(ts)).toEqual(ids(swc));
    expect(ids(ts)).toContain('no-privileged');
  });

  it('a program that throws exits 2 naming the program', async () => {
    const broken = mkdtempSync(path.join(__dirname, '.tmp-broken-'));
    try {
      writeFileSync(path.join(broken, 'Pulumi.yaml'), 'name: broken\nruntime: nodejs\n');
      writeFileSync(path.join(broken, 'index.ts'), "throw new Error('config missing: region');\n");
      const r = await bulkhead(['validate', broken]);
      expect(r.code).toBe(2);
      expectOneLineError(r, /index\.ts failed under mocks: config missing: region/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('reads a stack export and a preview JSON', async () => {
    const urn = 'urn:pulumi:prod::shop::docker:index/container:Container::worker';
    const exportFile = file(
      'stack.json',
      JSON.stringify({
        version: 3,
        deployment: {
          manifest: { time: '2026-01-01T00:00:00Z', magic: '', version: 'v3.200.0' },
          resources: [
            {
              urn: 'urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod',
              type: 'pulumi:pulumi:Stack',
              custom: false,
            },
            {
              urn,
              custom: true,
              type: 'docker:index/container:Container',
              inputs: { image: 'x:1', name: 'worker', privileged: true },
              outputs: { image: 'x:1', name: 'worker', privileged: true },
              parent: 'urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod',
            },
          ],
        },
      }),
    );
    const previewFile = file(
      'preview.json',
      JSON.stringify({
        steps: [
          {
            op: 'create',
            urn,
            newState: {
              urn,
              type: 'docker:index/container:Container',
              custom: true,
              inputs: { image: 'x:1', name: 'worker', networkMode: 'host' },
            },
          },
        ],
        changeSummary: { create: 1 },
      }),
    );
    const r = await bulkhead(['validate', exportFile, previewFile, '-f', 'json', '--profile', 'baseline']);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs).toEqual([
      { path: exportFile, kind: 'stack-export' },
      { path: previewFile, kind: 'preview' },
    ]);
    const fails = doc.findings
      .filter((f: { status: string }) => f.status === 'fail')
      .map((f: { ruleId: string; resource: { kind: string } }) => `${f.resource.kind}:${f.ruleId}`);
    expect(fails).toEqual(expect.arrayContaining(['stack-export:no-privileged', 'preview:no-host-network']));
    expect(r.code).toBe(1);
  });

  it('--preview without a Pulumi CLI on PATH exits 3 with a clear message', async () => {
    const r = await bulkhead(['validate', project, '--preview'], {
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(r.code).toBe(3);
    expectOneLineError(r, /--preview needs the Pulumi CLI, and no `pulumi` is on PATH/);
  });

  it('--preview runs `pulumi preview --policy-pack <pack>` in the project when a Pulumi CLI is on PATH', async () => {
    const bin = path.join(tmp.dir, 'fakebin');
    mkdirSync(bin, { recursive: true });
    const log = path.join(tmp.dir, 'pulumi-args.txt');
    writeFileSync(path.join(bin, 'pulumi'), `#!/bin/sh\necho "$PWD $*" > ${log}\nexit 255\n`, {
      mode: 0o755,
    });
    const pack = path.join(tmp.dir, 'pack');
    mkdirSync(pack, { recursive: true });
    writeFileSync(path.join(pack, 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
    const r = await bulkhead(['validate', project, '--preview', '--stack', 'dev'], {
      env: { PATH: `${bin}:${process.env.PATH}`, BULKHEAD_POLICY_PACK: pack },
    });
    expect(readFileSync(log, 'utf8').trim()).toBe(`${project} preview --policy-pack ${pack} --stack dev`);
    expect(r.code).toBe(1);
  });

  it('--preview finds @bulkhead/policy-docker-hardening installed in the project', async () => {
    const bin = path.join(tmp.dir, 'fakebin-installed');
    mkdirSync(bin, { recursive: true });
    const log = path.join(tmp.dir, 'pulumi-args-installed.txt');
    writeFileSync(path.join(bin, 'pulumi'), `#!/bin/sh\necho "$*" > ${log}\nexit 0\n`, { mode: 0o755 });
    const user = path.join(tmp.dir, 'user-project');
    const installed = path.join(user, 'node_modules', '@bulkhead', 'policy-docker-hardening');
    mkdirSync(installed, { recursive: true });
    writeFileSync(path.join(user, 'Pulumi.yaml'), 'name: user-project\nruntime: nodejs\n');
    writeFileSync(
      path.join(installed, 'package.json'),
      JSON.stringify({ name: '@bulkhead/policy-docker-hardening', version: '0.1.0', main: 'dist/index.js' }),
    );
    writeFileSync(path.join(installed, 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
    const r = await bulkhead(['validate', user, '--preview'], {
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(readFileSync(log, 'utf8').trim()).toBe(`preview --policy-pack ${installed}`);
    expect(r.code).toBe(0);
  });
});

describe('bulkhead validate: colours (built binary)', () => {
  it('colours on a terminal, none with NO_COLOR', async () => {
    // `script` gives the binary a pseudo-terminal.
    const { spawnSync } = await import('node:child_process');
    const run = (env: Record<string, string>) =>
      spawnSync(
        'script',
        [
          '-qec',
          `${process.execPath} ${path.join(__dirname, '..', 'bin', 'run.js')} validate ${path.join(tmp.dir, 'app/compose.yaml')}`,
          '/dev/null',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, ...env, TERM: 'xterm' },
        },
      );
    const colour = run({});
    expect(colour.stdout).toContain('\u001b[');
    const plain = run({ NO_COLOR: '1' });
    expect(plain.stdout).toContain('no-privileged');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
