/**
 * `bulkhead fix` on compose files, verified rather than hoped: on every fixture the fixed file
 * re-validates with the fixed findings gone and none new, `docker-compose config` (Debian's v1.29)
 * accepts it, and the fixed service starts under runc (and runsc where marked), passes its health
 * check and stays up. Edits keep comments, anchors, key order and formatting elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate, type Finding, fromCompose } from '@bulkhead/core';
import { applyPatch } from 'diff';
import { FIXABLE_RULES, FixNotVerified, planComposeFix, verifyFixed } from '../src/fix/compose.js';
import { SECURE } from '../src/fix/secure-values.js';
import { bulkhead, expectOneLineError, tempDir } from './support/cli.js';
import { docker, engineAvailable } from './support/engine.js';

/** Fixtures: services on the test image that write, serve and report health. */
const FIXTURES: { name: string; runsc?: boolean; text: string }[] = [
  {
    name: 'web',
    text: `# A small web service: comments, blank lines and key order must survive the fix.
services:
  web:
    image: bulkhead-test/busybox:1
    command: ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]

    ports:
      - "8080"   # a random host port
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: 1s
      timeout: 2s
      retries: 10
`,
  },
  {
    name: 'web-gvisor',
    runsc: true,
    text: `services:
  web:
    image: bulkhead-test/busybox:1
    runtime: runsc
    command: ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
    ports: ["8080"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: 1s
      timeout: 2s
      retries: 10
`,
  },
  {
    name: 'worker',
    text: `x-env: &env
  TZ: UTC

services:
  worker:
    image: 'bulkhead-test/busybox:1'
    user: nobody          # a name, not a uid
    environment: *env
    cap_add: [CHOWN]
    tmpfs: /run
    ulimits:
      nofile: 4096
    logging:
      driver: json-file
    command: ["sh", "-c", "mkdir -p /run/app && while true; do date > /run/app/beat; sleep 1; done"]
    healthcheck:
      test: ["CMD", "test", "-s", "/run/app/beat"]
      interval: 1s
      timeout: 2s
      retries: 10
`,
  },
];

const COMPOSE = { environment: {} };
const fails = (text: string, file = 'compose.yaml'): Finding[] =>
  evaluate(fromCompose(text, file, COMPOSE)).findings.filter((f) => f.status === 'fail');
const key = (f: Finding) => `${f.ruleId} ${f.resource.name} ${f.path}`;

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('bulkhead-fix-');
});
afterAll(() => tmp.cleanup());

describe('bulkhead fix: what it edits', () => {
  it.each(FIXTURES)(
    '$name: the fixed file re-validates with the fixed findings gone and no new ones',
    ({ text }) => {
      const before = fails(text);
      const plan = planComposeFix(text, 'compose.yaml', { compose: COMPOSE, setUser: true });
      expect(plan.fixed.length).toBeGreaterThan(5);
      const after = fails(plan.text);
      const old = new Set(before.map(key));
      expect(after.filter((f) => !old.has(key(f))).map(key)).toEqual([]);
      const fixed = new Set(plan.fixed.map((n) => `${n.rule} ${n.service}`));
      expect(after.filter((f) => fixed.has(`${f.ruleId} ${f.resource.name}`)).map(key)).toEqual([]);
    },
  );

  it('keeps comments, blank lines, anchors, quoting and key order: only the fixed lines change', () => {
    const text = FIXTURES[2]!.text;
    const out = planComposeFix(text, 'compose.yaml', { compose: COMPOSE, setUser: true }).text;
    const removed = text.split('\n').filter((l) => !out.split('\n').includes(l));
    expect(removed).toEqual(['    user: nobody          # a name, not a uid', '    tmpfs: /run']);
    expect(out).toContain('x-env: &env\n  TZ: UTC\n\nservices:');
    expect(out).toContain("    image: 'bulkhead-test/busybox:1'\n");
    expect(out).toContain('    environment: *env\n');
    expect(out).toContain(`    user: "${SECURE.user}" # a name, not a uid\n`);
    expect(out).toContain(`    ulimits:\n      nofile: 4096\n      nproc: ${SECURE.nproc}\n`);
    expect(out).toContain(`    cap_add: [CHOWN]\n`);
    // Original keys stay in their order; new ones follow.
    const order = [...out.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]);
    expect(order.slice(0, 9)).toEqual([
      'image',
      'user',
      'environment',
      'cap_add',
      'tmpfs',
      'ulimits',
      'logging',
      'command',
      'healthcheck',
    ]);
  });

  it('takes every value it writes from core (the rules’ compose remediation)', () => {
    expect(SECURE).toMatchObject({ capDropAll: 'ALL', portIp: '127.0.0.1', memory: '256m', pids: 256 });
    const out = planComposeFix(FIXTURES[0]!.text, 'compose.yaml', { compose: COMPOSE }).text;
    expect(out).toContain(`- "${SECURE.portIp}::8080" # a random host port`);
    expect(out).toContain(`mem_limit: ${SECURE.memory}`);
  });

  it.each(['no-new-privileges:false', 'no-new-privileges=0', 'NO-NEW-PRIVILEGES: FALSE'])(
    'leaves an explicit %s to the user, read as the rule reads it',
    (entry) => {
      const text = `services:\n  app:\n    image: a:1\n    security_opt: ["${entry}"]\n    cap_add: [cap_net_raw]\n`;
      const plan = planComposeFix(text, 'compose.yaml', { compose: COMPOSE });
      const why = Object.fromEntries(plan.notFixed.map((n) => [n.rule, n.why]));
      expect(why['no-new-privileges']).toMatch(/choice/);
      expect(why['no-net-raw']).toMatch(/NET_RAW/);
      expect(plan.text).not.toContain(SECURE.noNewPrivileges);
    },
  );

  it('counts a fixed rule as fixed only when it passes: unknown after the edit does not verify', () => {
    const text = `services:\n  app:\n    image: a:1\n    read_only: \${UNSET_IN_TEST}\n`;
    const after = evaluate(fromCompose(text, 'compose.yaml', { env: {} })).findings;
    expect(after.find((f) => f.ruleId === 'read-only-rootfs')?.status).toBe('unknown');
    const note = { rule: 'read-only-rootfs', service: 'app', path: 'read_only' };
    expect(() => verifyFixed([], after, 'compose.yaml', [note])).toThrow(FixNotVerified);
    expect(() => verifyFixed([], after, 'compose.yaml', [note])).toThrow(
      /read-only-rootfs is still unknown on app/,
    );
  });

  it('leaves decisions alone with a reason and an exemption template; never sets a user without --set-user', () => {
    const text =
      'services:\n  app:\n    image: a:1\n    privileged: true\n    restart: always\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n    ports: [{target: 80, published: 8080}]\n';
    const plan = planComposeFix(text, 'compose.yaml', { compose: COMPOSE });
    const why = Object.fromEntries(plan.notFixed.map((n) => [n.rule, n.why]));
    expect(why['no-privileged']).toMatch(/choice/);
    expect(why['no-docker-socket']).toMatch(/socket/);
    expect(why['bounded-restarts']).toMatch(/on purpose/);
    expect(why['non-root-user']).toMatch(/--set-user/);
    expect(why['ports-bound-to-interface']).toMatch(/long syntax/);
    expect(plan.text).toContain('privileged: true');
    expect(plan.text).toContain('restart: always');
    expect(plan.text).not.toContain('user:');
  });
});

describe('bulkhead fix (built binary)', () => {
  const write = (name: string, text: string) => {
    const dir = path.join(tmp.dir, name);
    spawnSync('mkdir', ['-p', dir]);
    const file = path.join(dir, 'compose.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('--dry-run prints a unified diff that turns the file into what a real run writes, and writes nothing', async () => {
    const file = write('dry', FIXTURES[0]!.text);
    const dry = await bulkhead(['fix', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Index: .*\n=+\n--- .*compose\.yaml\n\+\+\+ .*compose\.yaml\n@@ /);
    expect(dry.stderr).toMatch(/would fix drop-all-capabilities on web/);
    expect(readFileSync(file, 'utf8')).toBe(FIXTURES[0]!.text);
    const real = await bulkhead(['fix', file]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^fixed no-new-privileges on web$/m);
    expect(real.stdout).toMatch(/^not fixed: image-digest-pinned on web .*registry/m);
    expect(real.stdout).toMatch(/^exemptions:\n {2}- rule: /m);
    expect(applyPatch(FIXTURES[0]!.text, dry.stdout)).toBe(readFileSync(file, 'utf8'));
    expect(readdirSync(path.dirname(file))).toEqual(['compose.yaml']);
    const again = await bulkhead(['fix', file]);
    expect(again.stdout).toMatch(/^0 fixed, \d+ not fixed; the file is unchanged$/m);
  });

  it('never touches a file it cannot parse: one line, exit 2, same bytes, no temporary file', async () => {
    const broken = 'services:\n  web:\n    image: [unclosed\n';
    const file = write('broken', broken);
    const r = await bulkhead(['fix', file]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /compose\.yaml:\d+:\d+: .*nothing was changed/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(readdirSync(path.dirname(file))).toEqual(['compose.yaml']);
  });
});

const hasEngine = engineAvailable();
const compose = (dir: string, args: string[]) =>
  spawnSync('docker-compose', args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });

/** Waits until the container is healthy (or gives up), then checks it stays up. */
async function healthyAndUp(
  container: string,
): Promise<{ health: string; running: string; restarts: string }> {
  let health = '';
  for (let i = 0; i < 60; i++) {
    health = docker(['inspect', '-f', '{{.State.Health.Status}}', container]);
    if (health === 'healthy' || health === 'unhealthy') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const [running = '', restarts = ''] = docker([
    'inspect',
    '-f',
    '{{.State.Running}} {{.RestartCount}}',
    container,
  ]).split(' ');
  return { health, running, restarts };
}

(hasEngine ? describe : describe.skip)(
  'bulkhead fix: fixed services run (docker-compose v1.29 against the engine)',
  () => {
    jest.setTimeout(180_000);
    const verified = new Set<string>();

    afterAll(() => {
      // Every fixable rule is fixed on some fixture that passed all three checks.
      if (verified.size > 0) expect(FIXABLE_RULES.filter((r) => !verified.has(r))).toEqual([]);
    });

    it.each(FIXTURES)(
      '$name: docker-compose config accepts the fixed file; the service becomes healthy and stays up',
      async (fx) => {
        const dir = path.join(tmp.dir, `run-${fx.name}`);
        spawnSync('mkdir', ['-p', dir]);
        writeFileSync(path.join(dir, 'compose.yaml'), fx.text);
        const r = await bulkhead(['fix', path.join(dir, 'compose.yaml'), '--set-user']);
        expect(r.code).toBe(0);
        const fixedRules = [...r.stdout.matchAll(/^fixed ([\w-]+) on /gm)].map((m) => m[1]!);
        const config = compose(dir, ['-f', 'compose.yaml', 'config', '-q']);
        expect(config.stderr).toBe('');
        expect(config.status).toBe(0);
        const project = `baseline-fix-${fx.name}-${process.pid}`;
        try {
          const up = compose(dir, ['-f', 'compose.yaml', '-p', project, 'up', '-d']);
          expect(up.status).toBe(0);
          const container = docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
          expect(container).toMatch(/^[0-9a-f]+$/);
          if (fx.runsc) expect(docker(['inspect', '-f', '{{.HostConfig.Runtime}}', container])).toBe('runsc');
          expect(
            docker([
              'inspect',
              '-f',
              '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}} {{.HostConfig.CapDrop}}',
              container,
            ]),
          ).toBe(`true ${SECURE.user} [${SECURE.capDropAll}]`);
          expect(await healthyAndUp(container)).toEqual({
            health: 'healthy',
            running: 'true',
            restarts: '0',
          });
          for (const rule of fixedRules) verified.add(rule);
        } finally {
          compose(dir, ['-f', 'compose.yaml', '-p', project, 'down', '-v', '-t', '1']);
        }
      },
    );
  },
);
