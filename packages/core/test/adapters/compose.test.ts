import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPOSE_MAX_BYTES, fromCompose } from '../../src/adapters/index.js';
import { evaluate, InputError, sourcePath } from '../../src/index.js';
import type { ContainerSpec, ResourceSet } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';

const FIXTURE = join(__dirname, '../../fixtures/compose/mixed.yaml');
const text = readFileSync(FIXTURE, 'utf8');
const file = 'mixed.yaml';
/** The fixtures are read as project `mixed` (as `docker compose -p mixed` would), whatever the working directory. */
const MIXED = { projectName: 'mixed', env: {} };

function svc(set: ResourceSet, name: string): ContainerSpec {
  const s = set.containers.find((c) => c.source.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s;
}

/** The 1-based line of the first fixture line containing `needle`, after the line equal to `after`. */
function lineOf(needle: string, after = ''): number {
  const lines = text.split('\n');
  const start = after ? lines.indexOf(after) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in fixture`);
  return i + 1;
}

/** Errors from fromCompose, as their message, for snapshotting. */
function errorOf(src: string): string {
  try {
    fromCompose(src, 'bad.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('fromCompose: services', () => {
  const set = fromCompose(text, file, MIXED);
  const web = svc(set, 'web');
  const db = svc(set, 'db');

  it('returns one container per service in file order, typed compose:service', () => {
    expect(set.containers.map((c) => c.source.name)).toEqual(['web', 'db', 'worker']);
    expect(web.source).toMatchObject({
      kind: 'compose',
      type: 'compose:service',
      location: { file, line: lineOf('  web:') },
    });
  });

  it('reads a hardened service in the v3 syntax, merge keys included', () => {
    expect(web).toMatchObject({
      user: '10001:10001',
      groupAdd: ['10001'],
      readOnlyRootfs: true,
      capDrop: ['ALL'],
      capAdd: ['NET_BIND_SERVICE'],
      securityOpt: ['no-new-privileges:true'],
      tmpfs: { '/tmp': 'size=16m,noexec,nosuid,nodev' },
      mounts: [
        {
          type: 'bind',
          source: './static',
          target: '/srv/static',
          readOnly: true,
          origin: 'services.web.volumes[0]',
        },
        { type: 'volume', source: 'cache', target: '/cache', origin: 'services.web.volumes[1]' },
      ],
      ports: [
        {
          containerPort: 80,
          hostPort: 8080,
          hostIp: '127.0.0.1',
          protocol: 'tcp',
          origin: 'services.web.ports[0]',
        },
        {
          containerPort: 443,
          hostPort: 8443,
          hostIp: '127.0.0.1',
          protocol: 'tcp',
          origin: 'services.web.ports[1]',
        },
      ],
      networks: [
        { name: 'mixed_backend', origin: 'services.web.networks.backend' },
        { name: 'mixed_frontend', aliases: ['www'], origin: 'services.web.networks.frontend' },
      ],
      memory: 256 * 1024 * 1024,
      nanoCpus: 500_000_000,
      pidsLimit: 128,
      restart: { policy: 'on-failure', maxRetries: 3 },
      healthcheck: { test: ['CMD', '/bin/true'] },
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 2048, origin: 'services.web.ulimits.nofile' },
        { name: 'nproc', soft: 128, hard: 128, origin: 'services.web.ulimits.nproc' },
      ],
      env: [
        { name: 'DB_HOST', value: 'db', origin: 'services.web.environment.DB_HOST' },
        { name: 'PORT', value: '8080', origin: 'services.web.environment.PORT' },
      ],
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m', 'max-file': '3' },
      init: true,
      runtime: 'runsc',
      ingress: true,
      links: ['db'],
      command: ['serve', '--port', '80'],
    });
  });

  it('reads a risky service in the v2 syntax', () => {
    expect(db).toMatchObject({
      privileged: true,
      capAdd: ['SYS_ADMIN', 'NET_ADMIN'],
      securityOpt: ['seccomp=unconfined', 'apparmor:unconfined'],
      memory: Math.floor(1.5 * 1024 ** 3),
      memorySwap: 2 * 1024 ** 3,
      nanoCpus: 2_000_000_000,
      cpuQuota: 50000,
      pidsLimit: -1,
      pidMode: 'host',
      ipcMode: 'host',
      usernsMode: 'host',
      cgroupnsMode: 'host',
      cgroupParent: 'custom.slice',
      networkMode: 'host',
      devices: [
        {
          hostPath: '/dev/fuse',
          containerPath: '/dev/fuse',
          permissions: 'rwm',
          origin: 'services.db.devices[0]',
        },
      ],
      mounts: [
        { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' },
        { type: 'bind', source: '/', target: '/host', propagation: 'rshared' },
        { type: 'volume', source: 'data', target: '/var/lib/postgresql/data' },
        { type: 'volume', target: '/anonymous' },
      ],
      healthcheck: { disabled: true },
      restart: { policy: 'on-failure', maxRetries: 10 },
      sysctls: { 'kernel.shm_rmid_forced': '1' },
      env: [
        { name: 'POSTGRES_PASSWORD', value: 'hunter2', origin: 'services.db.environment[0]' },
        { name: 'PGDATA', value: UNKNOWN, origin: 'services.db.environment[1]' },
      ],
      links: ['cache', 'web:80'],
      gpus: 'all',
    });
    expect(db.networks).toBeUndefined();
  });

  it('expands short port ranges and publishes a bare container port on every interface', () => {
    expect(db.ports).toEqual([
      { containerPort: 5432, hostPort: 5432, origin: 'services.db.ports[0]' },
      { containerPort: 7000, hostPort: 6000, protocol: 'udp', origin: 'services.db.ports[1]' },
      { containerPort: 7001, hostPort: 6001, protocol: 'udp', origin: 'services.db.ports[1]' },
      { containerPort: 7002, hostPort: 6002, protocol: 'udp', origin: 'services.db.ports[1]' },
      { containerPort: 9000, origin: 'services.db.ports[2]' },
    ]);
  });

  it("makes a value with an unset variable unknown, saying which variable, and attaches a service without networks to the project's default network", () => {
    const worker = svc(set, 'worker');
    expect(worker.image).toBe(UNKNOWN);
    expect(worker.source.unknownReasons?.get('services.worker.image')).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      'depends on ${WORKER_IMAGE}, which is not set (Docker Compose would substitute an empty string)',
    );
    expect(worker.networks).toEqual([{ name: 'mixed_default', origin: 'services.worker' }]);
    expect(worker.restart).toEqual({ policy: 'unless-stopped' });
  });

  it('maps spec fields to compose keys, deploy limits where they were used', () => {
    expect(sourcePath(web, 'memory')).toBe('services.web.deploy.resources.limits.memory');
    expect(sourcePath(db, 'memory')).toBe('services.db.mem_limit');
    expect(sourcePath(db, 'capAdd[0]')).toBe('services.db.cap_add[0]');
    expect(sourcePath(db, 'mounts[0].source')).toBe('services.db.volumes[0].source');
    expect(sourcePath(web, 'restart')).toBe('services.web.deploy.restart_policy');
    expect(sourcePath(db, 'cgroupnsMode')).toBe('services.db.cgroup');
  });

  it('gives every finding a line: the setting itself, or the service when the setting is missing', () => {
    const report = evaluate(set, {});
    expect(report.findings.length).toBeGreaterThan(10);
    for (const f of report.findings) {
      expect([f.ruleId, f.path, f.location?.file, typeof f.location?.line]).toEqual([
        f.ruleId,
        f.path,
        file,
        'number',
      ]);
    }
    const at = (rule: string, service: string) =>
      report.findings.find((f) => f.ruleId === rule && f.resource.name === service)?.location?.line;
    expect(at('no-privileged', 'db')).toBe(lineOf('privileged: true'));
    expect(at('no-host-pid', 'db')).toBe(lineOf('pid: host'));
    expect(at('no-docker-socket', 'db')).toBe(lineOf('- /var/run/docker.sock'));
    expect(at('no-new-privileges', 'db')).toBe(lineOf('security_opt: ["seccomp'));
    expect(at('no-new-privileges', 'worker')).toBe(lineOf('  worker:'));
  });

  it('places list items on their own line', () => {
    const loc = db.source.locations?.get('services.db.cap_add[1]');
    expect(loc).toEqual({ file, line: lineOf('cap_add: [SYS_ADMIN'), column: expect.any(Number) });
    expect(web.source.locations?.get('services.web.cap_add[0]')?.line).toBe(lineOf('- NET_BIND_SERVICE'));
  });
});

describe('fromCompose: networks', () => {
  const set = fromCompose(text, file, MIXED);

  it('reads top-level networks by their engine names (`<project>_<key>`), with external ones unknown', () => {
    expect(set.networks.map((n) => [n.source.name, n.name, n.driver, n.internal])).toEqual([
      ['frontend', 'mixed_frontend', 'bridge', false],
      ['backend', 'mixed_backend', 'bridge', true],
      ['shared', 'shared', UNKNOWN, UNKNOWN],
      ['default', 'mixed_default', 'bridge', false],
    ]);
    const backend = set.networks[1];
    expect(backend?.options).toEqual({ 'com.docker.network.bridge.enable_icc': 'false' });
    expect(backend?.source).toMatchObject({
      kind: 'compose',
      type: 'compose:network',
      location: { line: lineOf('  backend:', 'networks:') },
    });
  });

  it('adds the implicit default network `<project>_default` (a non-internal bridge) when a service uses it', () => {
    const small = fromCompose('name: small\nservices:\n  a:\n    image: x\n', 'small.yaml', { env: {} });
    expect(small.networks).toEqual([
      {
        source: {
          kind: 'compose',
          name: 'default',
          type: 'compose:network',
          location: { file: 'small.yaml', line: 3, column: 3 },
        },
        name: 'small_default',
        driver: 'bridge',
        internal: false,
      },
    ]);
    expect(fromCompose('services:\n  a:\n    network_mode: none\n', 'x.yaml').networks).toEqual([]);
  });
});

describe('fromCompose: odd but valid input', () => {
  it('reads tmpfs as a single string, environment as a list and labels as a list', () => {
    const s = fromCompose(
      'services:\n  a:\n    tmpfs: /run\n    labels: ["dev.bulkhead.role=worker"]\n    environment: ["A=1"]\n    healthcheck:\n      test: curl -f http://localhost\n',
      'a.yaml',
    ).containers[0];
    expect(s).toMatchObject({
      tmpfs: { '/run': '' },
      labels: { 'dev.bulkhead.role': 'worker' },
      ingress: false,
      env: [{ name: 'A', value: '1' }],
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost'] },
    });
  });

  it('reads IPv6 host addresses and keeps only the ends of very wide port ranges', () => {
    const s = fromCompose('services:\n  a:\n    ports: ["[::1]:8080:80", "1-65535:1-65535"]\n', 'a.yaml')
      .containers[0];
    expect(Array.isArray(s?.ports) && s.ports[0]).toEqual({
      containerPort: 80,
      hostPort: 8080,
      hostIp: '::1',
      origin: 'services.a.ports[0]',
    });
    expect(Array.isArray(s?.ports) && s.ports.length).toBe(3);
  });

  it('refuses settings Docker Compose would refuse, naming the first field path (never the value)', () => {
    // These used to become UNKNOWN, so a file compose would not even load read as "not known yet".
    const src =
      'services:\n  a:\n    privileged: maybe-secret\n    cap_drop: {all: true}\n    mem_limit: lots\n    ports: [{}]\n    deploy: 5\n';
    expect(errorOf(src)).toBe(
      'bad.yaml:4:5: services.a.cap_drop: expected a list of strings (and 4 more value(s) Docker Compose would refuse)',
    );
    try {
      fromCompose(src, 'bad.yaml');
    } catch (e) {
      expect((e as InputError).paths).toEqual([
        'services.a.cap_drop',
        'services.a.deploy',
        'services.a.mem_limit',
        'services.a.ports[0].target',
        'services.a.privileged',
      ]);
    }
  });

  it('accepts an empty service', () => {
    expect(fromCompose('services:\n  a:\n', 'a.yaml').containers[0]?.source.name).toBe('a');
  });
});

describe('fromCompose: errors name the file, the place and the fix, never a value', () => {
  it.each([
    ['a YAML syntax error', 'services:\n  web:\n    image: "unterminated\n'],
    ['a tab used for indentation', 'services:\n\tweb:\n'],
    ['a duplicate key', 'services:\n  web:\n    image: a\n    image: b\n'],
    ['no services key', 'version: "3"\nnetworks: {}\n'],
    ['services as a list', 'services:\n  - web\n'],
    ['a service that is a string', 'services:\n  web: nginx:latest-secret-tag\n'],
    ['a top-level list', '- a\n- b\n'],
    ['two documents', 'services: {}\n---\nservices: {}\n'],
  ])('%s', (_what, src) => {
    const message = errorOf(src);
    expect(message).toMatch(/^bad\.yaml:\d+:\d+: /);
    expect(message).not.toMatch(/unterminated|nginx|latest-secret-tag/);
    expect(message).toMatchSnapshot();
  });

  it('rejects an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      bomb.push(
        `${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
      );
    }
    bomb.push('services: {}');
    expect(errorOf(bomb.join('\n'))).toMatch(/aliases expand to more than 200,000 extra values/);
  });

  it('rejects text over the size cap before parsing it', () => {
    expect(errorOf(`# ${'x'.repeat(COMPOSE_MAX_BYTES)}\nservices: {}\n`)).toMatch(/larger than 10 MB/);
  });
});
