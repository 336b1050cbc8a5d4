/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax under test */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ComposeLoadOptions, fromCompose, nodeComposeFiles } from '../../src/adapters/index.js';
import { evaluate, InputError } from '../../src/index.js';
import type { ContainerSpec, ResourceSet } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-compose-load-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files under the test directory: `{ 'compose.yaml': '...' }`. */
function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Loads `compose.yaml` (or `main`) of the test directory with file access. */
function load(options: ComposeLoadOptions = {}, main = 'compose.yaml'): ResourceSet {
  const file = join(dir, main);
  return fromCompose(nodeComposeFiles()(file) as string, file, { readFile: nodeComposeFiles(), ...options });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no error thrown');
}

function svc(set: ResourceSet, name: string): ContainerSpec {
  const s = set.containers.find((c) => c.source.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s;
}

function failing(set: ResourceSet, ruleId: string): string[] {
  return evaluate(set, { only: [ruleId] })
    .findings.filter((f) => f.status === 'fail')
    .map((f) => f.resource.name);
}

describe('compose loader: interpolation', () => {
  it('fails non-root-user on ${APP_UID:-0} and no-privileged-groups on ${UID:-50000}:0, like the literal values', () => {
    const set = fromCompose(
      [
        'services:',
        '  root: {image: a, user: "${APP_UID:-0}"}',
        '  literal: {image: a, user: "50000:0"}',
        '  templated: {image: a, user: "${UID:-50000}:0"}',
      ].join('\n'),
      'compose.yaml',
    );
    expect(svc(set, 'root').user).toBe('0');
    expect(failing(set, 'non-root-user')).toContain('root');
    expect(failing(set, 'no-privileged-groups').sort()).toEqual(['literal', 'templated']);
  });

  it('takes variables from the environment over .env, and --env-file files replace .env', () => {
    write({
      '.env': 'APP_UID=1000\nIMAGE=from-dotenv\n',
      'alt.env': 'IMAGE=from-alt\nTAG=1\n',
      'alt2.env': 'TAG=2\n',
      'compose.yaml': 'services:\n  web:\n    image: "${IMAGE}:${TAG:-none}"\n    user: "${APP_UID}"\n',
    });
    const web = () => svc(load({ environment: { APP_UID: '2000' } }), 'web');
    expect(web().user).toBe('2000');
    expect(web().image).toBe('from-dotenv:none');
    const alt = svc(load({ envFiles: [join(dir, 'alt.env'), join(dir, 'alt2.env')] }), 'web');
    expect(alt.image).toBe('from-alt:2');
    expect(alt.user).toBe(UNKNOWN); // .env is not read when --env-file is given
  });

  it('refuses an --env-file that does not exist or is not a regular file, in one line', () => {
    write({ 'compose.yaml': 'services:\n  web: {image: a}\n' });
    expect(errorOf(() => load({ envFiles: [join(dir, 'no.env')] }))).toBe(
      `${join(dir, 'no.env')}: the env file does not exist`,
    );
    execFileSync('mkfifo', [join(dir, 'fifo.env')]);
    expect(errorOf(() => load({ envFiles: [join(dir, 'fifo.env')] }))).toMatch(
      /fifo\.env: not a regular file/,
    );
  });

  it('reports a value with an unset variable as unknown, in compose words naming the variable', () => {
    const set = fromCompose('services:\n  web:\n    image: a\n    user: "${APP_UID}"\n', 'compose.yaml');
    const f = evaluate(set, { only: ['non-root-user'] }).findings[0];
    expect(f).toMatchObject({
      status: 'unknown',
      path: 'services.web.user',
      message:
        'the value depends on ${APP_UID}, which is not set (Docker Compose would substitute an empty string)',
      location: { file: 'compose.yaml', line: 4 },
    });
    expect(f?.message).not.toMatch(/until the resource is created/);
  });

  it('refuses ${VAR:?message} with VAR unset in one line naming the variable and the field', () => {
    const message = errorOf(() =>
      fromCompose('services:\n  web:\n    image: "${IMAGE:?set IMAGE please}"\n', 'compose.yaml'),
    );
    expect(message).toBe(
      'compose.yaml:3:12: services.web.image: required variable IMAGE is not set; set it in the environment, in .env or in a file given with --env-file',
    );
  });

  it('casts an interpolated boolean setting as Docker Compose does (true/false in any case)', () => {
    const set = fromCompose(
      'services:\n  web:\n    image: a\n    privileged: "${PRIV}"\n    read_only: "${RO:-False}"\n',
      'compose.yaml',
      { environment: { PRIV: 'TRUE' } },
    );
    expect(svc(set, 'web')).toMatchObject({ privileged: true, readOnlyRootfs: false });
    expect(failing(set, 'no-privileged')).toEqual(['web']);
  });

  it('leaves $$ as a literal $ and does not interpolate keys', () => {
    const set = fromCompose(
      'services:\n  web:\n    image: a\n    command: ["echo", "$$HOME"]\n    labels:\n      "$KEY": "x"\n',
      'compose.yaml',
      { environment: { HOME: '/root', KEY: 'k' } },
    );
    expect(svc(set, 'web').command).toEqual(['echo', '$HOME']);
    expect(svc(set, 'web').labels).toEqual({ $KEY: 'x' });
  });

  it('makes a whole list item unknown (never a named volume) when its text has an unset variable', () => {
    const set = fromCompose(
      'services:\n  web:\n    image: a\n    volumes: ["${SRC}:/data"]\n',
      'compose.yaml',
    );
    expect(svc(set, 'web').mounts).toEqual([
      {
        type: UNKNOWN,
        source: UNKNOWN,
        target: UNKNOWN,
        readOnly: UNKNOWN,
        origin: 'services.web.volumes[0]',
      },
    ]);
  });
});

describe('compose loader: extends', () => {
  it('reports a service that extends a privileged base (same file) as privileged, at the base line', () => {
    const set = fromCompose(
      [
        'services:',
        '  base:',
        '    image: a',
        '    privileged: true',
        '  web:',
        '    extends: base',
        '',
      ].join('\n'),
      'compose.yaml',
    );
    expect(svc(set, 'web').privileged).toBe(true);
    const f = evaluate(set, { only: ['no-privileged'] }).findings.find((x) => x.resource.name === 'web');
    expect(f).toMatchObject({ status: 'fail', path: 'services.web.privileged', location: { line: 4 } });
  });

  it('reads extends from another file, pointing at the line of that file that set the value', () => {
    write({
      'common/base.yaml':
        'services:\n  hardened:\n    image: a\n    cap_add: [SYS_ADMIN]\n    volumes: ["./data:/data"]\n',
      'compose.yaml':
        'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: hardened\n',
    });
    const set = load();
    const web = svc(set, 'web');
    expect(web.capAdd).toEqual(['SYS_ADMIN']);
    // A relative bind source is relative to the file that wrote it.
    expect(web.mounts).toMatchObject([{ type: 'bind', source: './common/data', target: '/data' }]);
    const f = evaluate(set, { only: ['no-critical-capabilities'] }).findings[0];
    expect(f?.location).toEqual({ file: join(dir, 'common/base.yaml'), line: 4, column: 15 });
  });

  it('merges by the spec: command replaced, ports and volumes unique, environment and labels by key', () => {
    const set = fromCompose(
      [
        'services:',
        '  base:',
        '    image: a',
        '    command: [base, cmd]',
        '    ports: ["80:80", "443:443"]',
        '    volumes: ["./a:/data", "./b:/b"]',
        '    environment: {A: "1", B: "1"}',
        '    cap_drop: [ALL]',
        '    security_opt: [no-new-privileges:true]',
        '  web:',
        '    extends: {service: base}',
        '    command: [own]',
        '    ports: ["80:80", "8080:8080"]',
        '    volumes: ["./c:/data"]',
        '    environment: ["B=2", "C=3"]',
        '    cap_drop: [ALL]',
        '    security_opt: [label:type:x]',
      ].join('\n'),
      'compose.yaml',
    );
    const web = svc(set, 'web');
    expect(web.command).toEqual(['own']);
    expect((web.ports as { hostPort: number }[]).map((p) => p.hostPort)).toEqual([80, 443, 8080]);
    expect((web.mounts as { source: string }[]).map((m) => m.source)).toEqual(['./c', './b']);
    expect((web.env as { name: string; value: string }[]).map((e) => `${e.name}=${e.value}`)).toEqual([
      'A=1',
      'B=2',
      'C=3',
    ]);
    expect(web.capDrop).toEqual(['ALL']);
    expect(web.securityOpt).toEqual(['no-new-privileges:true', 'label:type:x']);
  });

  it('refuses an extends cycle in one line that names the chain', () => {
    expect(
      errorOf(() =>
        fromCompose('services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n', 'compose.yaml'),
      ),
    ).toBe(
      'compose.yaml:3:5: services.a.extends: extends cycle: services.a (compose.yaml) → services.b (compose.yaml) → services.a (compose.yaml)',
    );
  });

  it('refuses an extends chain longer than 64 in one line (no stack overflow)', () => {
    // Each service extends the next one, so the first needs the whole chain resolved.
    const chain = (n: number) => [
      'services:',
      ...Array.from({ length: n }, (_, i) => `  s${i}: {extends: s${i + 1}}`),
      `  s${n}: {image: a}`,
    ];
    expect(errorOf(() => fromCompose(chain(5000).join('\n'), 'compose.yaml'))).toMatch(
      /services\.s64\.extends: more than 64 services extend each other in a chain$/,
    );
    expect(svc(fromCompose(chain(60).join('\n'), 'compose.yaml'), 's0').image).toBe('a');
  });

  it('does not process include: in a file reached through extends: file:, as Docker Compose (compose-go loads it with SkipInclude)', () => {
    // compose-go loader/extends.go, getExtendsBaseFromFile: `extendsOpts.SkipInclude = true`; the
    // base service must be written in the extended file itself.
    write({
      'compose.yaml': [
        'services:',
        '  web:',
        '    extends: {file: base/base.yaml, service: base}',
        '  api:',
        '    extends: {file: base/base.yaml, service: included}',
      ].join('\n'),
      'base/base.yaml': 'include: [more.yaml]\nservices:\n  base:\n    image: a\n    privileged: true\n',
      'base/more.yaml': 'services:\n  included:\n    image: b\n',
    });
    expect(errorOf(() => load())).toMatch(
      /services\.api\.extends: .*base\/base\.yaml has no service included$/,
    );
    write({ 'compose.yaml': 'services:\n  web:\n    extends: {file: base/base.yaml, service: base}\n' });
    expect(svc(load(), 'web').privileged).toBe(true);
  });

  it('!reset removes what the base set (and the key), !override replaces it whole; left alone, !reset is absent and !override plain', () => {
    const set = fromCompose(
      [
        'services:',
        '  base:',
        '    image: a',
        '    privileged: true',
        '    ports: ["8080:80"]',
        '    cap_add: [NET_ADMIN]',
        '    environment: {KEEP: "1", DROP: "2"}',
        '  web:',
        '    extends: base',
        '    privileged: !reset null',
        '    ports: !override ["127.0.0.1:8443:443"]',
        '    cap_add: !reset []',
        '    environment:',
        '      DROP: !reset null',
        '  alone:',
        '    image: a',
        '    user: !reset "0"',
        '    cap_drop: !override [ALL]',
      ].join('\n'),
      'compose.yaml',
    );
    const web = svc(set, 'web');
    expect(web.privileged).toBeUndefined();
    expect(web.capAdd).toBeUndefined();
    expect(
      (web.ports as { hostIp?: unknown; hostPort?: unknown }[]).map((p) => [p.hostIp, p.hostPort]),
    ).toEqual([['127.0.0.1', 8443]]);
    expect((web.env as { name: unknown }[]).map((e) => e.name)).toEqual(['KEEP']);
    expect(failing(set, 'no-privileged')).toEqual(['base']);
    const alone = svc(set, 'alone');
    expect(alone.user).toBeUndefined();
    expect(alone.capDrop).toEqual(['ALL']);
  });

  it('!reset in a later file of an include list removes what an earlier one set', () => {
    write({
      'compose.yaml': 'include:\n  - path: [a.yaml, b.yaml]\nservices: {}\n',
      'a.yaml': 'services:\n  web:\n    image: a\n    privileged: true\n  debug:\n    image: a\n',
      'b.yaml': 'services:\n  web:\n    privileged: !reset null\n  debug: !reset {}\n',
    });
    const set = load();
    expect(set.containers.map((c) => c.source.name)).toEqual(['web']);
    expect(svc(set, 'web').privileged).toBeUndefined();
  });

  it('refuses extends of a service that does not exist', () => {
    expect(errorOf(() => fromCompose('services:\n  a:\n    extends: nope\n', 'compose.yaml'))).toBe(
      'compose.yaml:3:14: services.a.extends: no service nope in compose.yaml',
    );
  });
});

describe('compose loader: include', () => {
  it('reads included files (string, list and long form) relative to the including file, with their own .env', () => {
    write({
      'compose.yaml': [
        'include:',
        '  - sub/one.yaml',
        '  - path: [two/a.yaml, two/b.yaml]',
        '  - path: three.yaml',
        '    env_file: three.env',
        'services:',
        '  local: {image: a}',
      ].join('\n'),
      'sub/one.yaml': 'services:\n  one:\n    image: a\n    privileged: "${PRIV}"\n',
      'sub/.env': 'PRIV=true\n',
      'two/a.yaml': 'services:\n  two:\n    image: a\n    user: "0"\n',
      'two/b.yaml': 'services:\n  two:\n    user: "1000"\n',
      'three.yaml': 'services:\n  three:\n    image: "${IMG}"\n',
      'three.env': 'IMG=three-image\n',
    });
    const set = load();
    expect(set.containers.map((c) => c.source.name).sort()).toEqual(['local', 'one', 'three', 'two']);
    expect(svc(set, 'one').privileged).toBe(true);
    expect(svc(set, 'two').user).toBe('1000');
    expect(svc(set, 'three').image).toBe('three-image');
    const f = evaluate(set, { only: ['no-privileged'] }).findings[0];
    expect(f?.location).toEqual({ file: join(dir, 'sub/one.yaml'), line: 4, column: 5 });
  });

  it('refuses an include cycle in one line', () => {
    write({
      'compose.yaml': 'include: [a.yaml]\nservices: {}\n',
      'a.yaml': 'include: [compose.yaml]\nservices: {}\n',
    });
    expect(errorOf(() => load())).toMatch(
      /^.*a\.yaml:1:11: include\[0\]: include cycle: .*compose\.yaml → .*a\.yaml → .*compose\.yaml$/,
    );
  });

  it('refuses an included service that conflicts with a local one, as Docker Compose does; identical ones are fine', () => {
    write({
      'compose.yaml': 'include: [a.yaml]\nservices:\n  web: {image: b}\n',
      'a.yaml': 'services:\n  web: {image: a}\n',
    });
    expect(errorOf(() => load())).toMatch(
      /compose\.yaml:3:3: services\.web conflicts with imported resource from .*a\.yaml \(include\[0\]\)/,
    );
    write({ 'a.yaml': 'services:\n  web: {image: b}\n' });
    expect(load().containers).toHaveLength(1);
  });

  it('bounds what includes read in total: a file included over and over is refused, not read 256 times', () => {
    const big = `services: {}\n# ${'x'.repeat(3 * 1024 * 1024)}\n`;
    write({
      'compose.yaml': `include: [${Array(20).fill('big.yaml').join(', ')}]\nservices: {}\n`,
      'big.yaml': big,
    });
    expect(errorOf(() => load())).toMatch(
      /big\.yaml: the included and extended files add up to more than 32 MB/,
    );
  });

  it('refuses a missing included file, and other files when no file access is given', () => {
    write({ 'compose.yaml': 'include: [missing.yaml]\nservices: {}\n' });
    expect(errorOf(() => load())).toMatch(/missing\.yaml: the included compose file does not exist/);
    expect(errorOf(() => fromCompose('include: [x.yaml]\nservices: {}\n', 'c.yaml'))).toMatch(
      /cannot read the included compose file here \(no file access\)/,
    );
  });
});

describe('compose loader: env_file', () => {
  it('feeds environment from env_file (relative to the file that names it, also through extends), and no-secrets-in-env sees it without echoing the value', () => {
    write({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: a',
        '    env_file: [app.env]',
        '  child:',
        '    extends: {file: base/base.yaml, service: base}',
      ].join('\n'),
      'app.env': 'DB_PASSWORD=Zq9-canary-secret\n',
      'base/base.yaml': 'services:\n  base:\n    image: a\n    env_file: base.env\n',
      'base/base.env': 'API_TOKEN=Zq9-canary-token\n',
    });
    const set = load();
    const env = (name: string) => {
      const e = svc(set, name).env;
      return Array.isArray(e) ? e.map((x) => [x.name, x.value]) : e;
    };
    expect(env('web')).toEqual([['DB_PASSWORD', 'Zq9-canary-secret']]);
    expect(env('child')).toEqual([['API_TOKEN', 'Zq9-canary-token']]);
    const findings = evaluate(set, { only: ['no-secrets-in-env'] }).findings.filter(
      (f) => f.status === 'fail',
    );
    expect(findings.map((f) => f.resource.name).sort()).toEqual(['child', 'web']);
    expect(findings.find((f) => f.resource.name === 'web')?.location).toEqual({
      file: join(dir, 'compose.yaml'),
      line: 4,
      column: 16,
    });
    expect(JSON.stringify(findings)).not.toContain('Zq9-canary');
  });

  it('refuses a missing env_file in one line, skips one with required: false', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: a\n    env_file: nope.env\n' });
    expect(errorOf(() => load())).toBe(`${join(dir, 'nope.env')}: the env file does not exist`);
    write({
      'compose.yaml':
        'services:\n  web:\n    image: a\n    env_file:\n      - path: nope.env\n        required: false\n',
    });
    expect(svc(load(), 'web').env).toBeUndefined();
  });

  it('refuses an env_file path that depends on an unset variable, naming it', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: a\n    env_file: "${CONF_DIR}/app.env"\n' });
    expect(errorOf(() => load())).toMatch(
      /^.*compose\.yaml:4:15: services\.web\.env_file: the env file's path depends on \$\{CONF_DIR\}, which is not set/,
    );
  });

  it('without file access, says env_file is not read', () => {
    const warnings: string[] = [];
    fromCompose('services:\n  web:\n    image: a\n    env_file: app.env\n', 'compose.yaml', {
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([expect.stringMatching(/services\.web\.env_file is not read/)]);
  });
});

describe('compose loader: profiles', () => {
  it('checks services with profiles and names their profiles on the findings', () => {
    const set = fromCompose(
      'services:\n  debug:\n    image: a\n    privileged: true\n    profiles: [debug, tools]\n',
      'compose.yaml',
    );
    const f = evaluate(set, { only: ['no-privileged'] }).findings[0];
    expect(f?.resource).toMatchObject({ name: 'debug', profiles: ['debug', 'tools'] });
  });
});

describe('compose loader: YAML aliases by expanded size', () => {
  it('reads a 2,000-line file that reuses blocks through hundreds of anchors and merge keys', () => {
    const lines = ['x-base: &base', '  image: a', '  cap_drop: [ALL]', '  read_only: true', 'services:'];
    for (let i = 0; lines.length < 2000; i++) {
      lines.push(`  s${i}:`, `    <<: *base`, `    labels: &l${i}`, `      n: "${i}"`);
      if (i > 0) lines.push(`    environment: *l${i - 1}`);
    }
    const set = fromCompose(lines.join('\n'), 'big.yaml');
    expect(set.containers.length).toBeGreaterThan(300);
    expect(set.containers[5]).toMatchObject({ readOnlyRootfs: true, capDrop: ['ALL'] });
  });

  it('refuses a billion-laughs document in one line', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(96 + i);
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`,
      );
    }
    bomb.push('services: {}');
    const message = errorOf(() => fromCompose(bomb.join('\n'), 'bomb.yaml'));
    expect(message).toMatch(/^bomb\.yaml:\d+:\d+: YAML aliases expand to more than 200,000 extra values/);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses an alias that refers to a block containing it', () => {
    expect(errorOf(() => fromCompose('services: &s\n  web: *s\n', 'c.yaml'))).toMatch(
      /refers to a block that contains it/,
    );
  });
});

describe('compose loader: bounded file reads', () => {
  it('refuses a FIFO in one line without blocking', () => {
    write({ 'compose.yaml': 'include: [pipe.yaml]\nservices: {}\n' });
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    expect(errorOf(() => load())).toBe(
      `cannot read ${join(dir, 'pipe.yaml')}: not a regular file (a FIFO, socket or device)`,
    );
  });

  it('refuses a directory and a file over the size limit', () => {
    mkdirSync(join(dir, 'd.yaml'));
    write({ 'compose.yaml': 'include: [d.yaml]\nservices: {}\n' });
    expect(errorOf(() => load())).toMatch(/is a directory/);
    write({
      'compose.yaml': 'include: [big.yaml]\nservices: {}\n',
      'big.yaml': `# ${'x'.repeat(10 * 1024 * 1024)}\n`,
    });
    expect(errorOf(() => load())).toMatch(/larger than 10 MB/);
  });
});
