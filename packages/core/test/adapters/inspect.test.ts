/**
 * The inspect adapter, tested on `docker inspect` output captured from the real engine in this
 * run: containers are created (never started) with the flags under test, inspected, and the JSON
 * goes through the adapter and the rules.
 */
import { fromDockerInspect } from '../../src/adapters/index.js';
import { evaluate, InputError } from '../../src/index.js';
import type { ContainerSpec, ResourceSet } from '../../src/model/spec.js';
import { isUnknown, UNKNOWN } from '../../src/model/value.js';
import { describeWithEngine, docker, EngineScratch, TEST_IMAGE } from '../support/engine.js';

describeWithEngine('fromDockerInspect on output of the real engine', () => {
  const scratch = new EngineScratch('inspect');
  let set: ResourceSet;
  let hardened: ContainerSpec;
  let risky: ContainerSpec;
  let bare: ContainerSpec;
  let netName: string;

  beforeAll(() => {
    netName = scratch.createNetwork('backend', [
      '--internal',
      '--label',
      'tier=backend',
      '-o',
      'com.docker.network.bridge.enable_icc=false',
    ]);
    const hardenedName = scratch.createContainer('hardened', [
      '--network',
      netName,
      '--network-alias',
      'web',
      '--cap-drop',
      'ALL',
      '--cap-add',
      'NET_BIND_SERVICE',
      '--security-opt',
      'no-new-privileges',
      '--read-only',
      '--tmpfs',
      '/tmp:size=16m,noexec,nosuid,nodev',
      '-m',
      '64m',
      '--memory-swap',
      '64m',
      '--cpus',
      '0.5',
      '--pids-limit',
      '50',
      '-u',
      '10001:10001',
      '--group-add',
      '10001',
      '--restart',
      'on-failure:3',
      '--ulimit',
      'nofile=1024:2048',
      '--init',
      '--health-cmd',
      '/bin/true',
      '--log-opt',
      'max-size=10m',
      '-l',
      'dev.bulkhead.role=ingress',
      '-l',
      'dev.bulkhead.links=db:5432',
      '-p',
      '127.0.0.1:8080:80',
      '-e',
      'PORT=8080',
      '--runtime',
      'runc',
    ]);
    const vol = scratch.volume('data');
    const riskyName = scratch.createContainer('risky', [
      '--network',
      netName,
      '--security-opt',
      'systempaths=unconfined',
      '--security-opt',
      'seccomp=unconfined',
      '--cap-add',
      'SYS_ADMIN',
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      '-v',
      `${vol}:/data`,
      '--mount',
      'type=bind,source=/tmp,target=/host-tmp,bind-propagation=rshared',
      '--pid',
      'host',
      '--ipc',
      'host',
      '--device',
      '/dev/null:/dev/xnull:r',
      '-p',
      '80:80/tcp',
      '--sysctl',
      'net.ipv4.ip_unprivileged_port_start=0',
      '--no-healthcheck',
    ]);
    const bareName = scratch.createContainer('bare', ['--network', 'none']);
    const json = JSON.parse(docker(['inspect', hardenedName, riskyName, bareName]));
    const nets = JSON.parse(docker(['network', 'inspect', netName]));
    // Containers and networks mixed in one document, as `docker inspect a b net` prints them.
    set = fromDockerInspect([...json, ...nets]);
    const byName = (n: string) => {
      const c = set.containers.find((x) => x.source.name === n);
      if (!c) throw new Error(`no spec for ${n}`);
      return c;
    };
    hardened = byName(hardenedName);
    risky = byName(riskyName);
    bare = byName(bareName);
  }, 120_000);

  afterAll(() => scratch.cleanup());

  it('names containers without the leading slash and types them docker:container', () => {
    expect(set.containers).toHaveLength(3);
    expect(hardened.source).toMatchObject({ kind: 'inspect', type: 'docker:container' });
    expect(hardened.source.name.startsWith('/')).toBe(false);
  });

  it('reads the hardening flags of a hardened container in bytes and nano-CPUs', () => {
    expect(hardened).toMatchObject({
      image: TEST_IMAGE,
      user: '10001:10001',
      groupAdd: ['10001'],
      privileged: false,
      capDrop: ['ALL'],
      capAdd: ['CAP_NET_BIND_SERVICE'],
      readOnlyRootfs: true,
      tmpfs: { '/tmp': 'size=16m,noexec,nosuid,nodev' },
      networkMode: netName,
      networks: [{ name: netName, origin: `NetworkSettings.Networks.${netName}` }],
      memory: 64 * 1024 * 1024,
      memorySwap: 64 * 1024 * 1024,
      nanoCpus: 500_000_000,
      pidsLimit: 50,
      ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }],
      healthcheck: { test: ['CMD-SHELL', '/bin/true'] },
      restart: { policy: 'on-failure', maxRetries: 3 },
      ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m' },
      init: true,
      runtime: 'runc',
      links: ['db:5432'],
      ingress: true,
    });
    expect(hardened.securityOpt).toContain('no-new-privileges');
    expect(hardened.securityOpt).not.toContain('systempaths=unconfined');
    expect(hardened.env).toContainEqual({
      name: 'PORT',
      value: '8080',
      origin: expect.stringMatching(/^Config\.Env\[\d+\]$/),
    });
    expect(Array.isArray(hardened.networks) && hardened.networks[0]?.aliases).toContain('web');
  });

  it('records systempaths=unconfined from the empty MaskedPaths the engine reports', () => {
    expect(risky.securityOpt).toContain('systempaths=unconfined');
    expect(risky.securityOpt).toContain('seccomp=unconfined');
  });

  it('reads binds, named volumes and propagation from Mounts', () => {
    const mounts = risky.mounts as NonNullable<Exclude<ContainerSpec['mounts'], typeof UNKNOWN>>;
    expect(mounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'bind',
          source: '/var/run/docker.sock',
          target: '/var/run/docker.sock',
          readOnly: false,
        }),
        expect.objectContaining({ type: 'volume', source: expect.stringMatching(/-data$/), target: '/data' }),
        expect.objectContaining({
          type: 'bind',
          source: '/tmp',
          target: '/host-tmp',
          propagation: 'rshared',
        }),
      ]),
    );
  });

  it('reads host namespaces, devices, ports on every interface and a disabled health check', () => {
    expect(risky).toMatchObject({
      pidMode: 'host',
      ipcMode: 'host',
      devices: [{ hostPath: '/dev/null', containerPath: '/dev/xnull', permissions: 'r' }],
      ports: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      healthcheck: { disabled: true },
    });
    expect(Array.isArray(risky.ports) && risky.ports[0]?.hostIp).toBeUndefined();
  });

  it('reads an empty Config.User as root and engine "not set" zeros as absent', () => {
    expect(risky.user).toBe('0');
    expect(bare.memory).toBeUndefined();
    expect(bare.nanoCpus).toBeUndefined();
    expect(bare.pidsLimit).toBeUndefined();
    expect(bare.networkMode).toBe('none');
    expect(bare.restart).toEqual({ policy: 'no', maxRetries: 0 });
  });

  it('reads the network from docker network inspect', () => {
    expect(set.networks).toEqual([
      {
        source: expect.objectContaining({ kind: 'inspect', name: netName, type: 'docker:network' }),
        name: netName,
        driver: 'bridge',
        internal: true,
        attachable: false,
        ipv6: false,
        options: { 'com.docker.network.bridge.enable_icc': 'false' },
        labels: { tier: 'backend' },
      },
    ]);
  });

  /** The risks the risky container was created with, one rule each. */
  const RISKS = [
    'no-unmasked-paths',
    'seccomp-not-unconfined',
    'no-docker-socket',
    'no-host-pid',
    'no-host-ipc',
    'non-root-user',
  ];

  it('lets the rules fail the risky container at inspect paths', () => {
    const report = evaluate({ containers: [risky], networks: [] }, { only: RISKS });
    const failed = Object.fromEntries(
      report.findings.filter((f) => f.status === 'fail').map((f) => [f.ruleId, f.path]),
    );
    expect(failed).toMatchObject({
      'no-unmasked-paths': expect.stringMatching(/^HostConfig\.SecurityOpt/),
      'seccomp-not-unconfined': expect.stringMatching(/^HostConfig\.SecurityOpt\[\d\]$/),
      'no-docker-socket': expect.stringMatching(/^Mounts\[\d\]/),
      'no-host-pid': 'HostConfig.PidMode',
      'no-host-ipc': 'HostConfig.IpcMode',
      'non-root-user': 'Config.User',
    });
  });

  it('gives the hardened container none of those failures', () => {
    const report = evaluate(
      { containers: [hardened], networks: [] },
      { only: [...RISKS, 'no-new-privileges'] },
    );
    expect(report.findings).toEqual([]);
  });
});

describe('fromDockerInspect on odd documents', () => {
  it('accepts a single object as well as an array', () => {
    const one = { Name: '/solo', Config: { User: 'app' }, HostConfig: { Privileged: true } };
    expect(fromDockerInspect(one).containers[0]).toMatchObject({
      source: { name: 'solo' },
      user: 'app',
      privileged: true,
    });
  });

  it('refuses a list with an entry that is neither kind, naming the entry (it used to be skipped)', () => {
    for (const stranger of [{ hello: 'world' }, 42, null]) {
      const doc = [{ Name: '/ok', HostConfig: {} }, stranger];
      expect(() => fromDockerInspect(doc)).toThrow(
        /^docker inspect output: \[1\]: not a container or network/,
      );
    }
  });

  it('turns fields of the wrong type into UNKNOWN', () => {
    const set = fromDockerInspect([
      {
        Name: '/odd',
        Config: { User: 5, Env: 'A=1' },
        HostConfig: { Privileged: 'true', CapDrop: [null, 'ALL'], Memory: 'x' },
      },
    ]);
    expect(set.containers).toHaveLength(1);
    const c = set.containers[0] as ContainerSpec;
    expect(c.user).toBe(UNKNOWN);
    expect(c.env).toBe(UNKNOWN);
    expect(c.privileged).toBe(UNKNOWN);
    expect(c.capDrop).toEqual([UNKNOWN, 'ALL']);
    expect(isUnknown(c.memory)).toBe(true);
  });

  it.each([
    ['a string', 'docker'],
    ['a number', 3],
    ['null', null],
  ])('throws InputError for %s', (_what, doc) => {
    expect(() => fromDockerInspect(doc)).toThrow(InputError);
  });
});
