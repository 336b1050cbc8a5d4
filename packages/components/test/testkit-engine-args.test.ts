import { Secret } from '@bulkhead/core';
import {
  CONTAINER_TYPE,
  type DeployableResource,
  NETWORK_TYPE,
  parseGoDuration,
  planContainer,
  planNetwork,
  type TranslateContext,
} from '../src/testkit/engine-args.js';

const ctx: TranslateContext = {
  engineName: 'run1-web',
  image: 'busybox:local',
  extraLabels: { 'dev.bulkhead.testkit.run': 'run1' },
  resolveNetwork: (ref) => (ref === 'backend' || ref === 'backend-id' ? 'run1-backend' : ref),
  resolveContainer: (ref) => (ref === 'db' ? 'run1-db' : undefined),
};

const container = (inputs: Record<string, unknown>, name = 'web'): DeployableResource => ({
  type: CONTAINER_TYPE,
  name,
  urn: `urn:pulumi:test::p::${CONTAINER_TYPE}::${name}`,
  inputs: { image: 'busybox@sha256:abc', ...inputs },
});
const plan = (inputs: Record<string, unknown>) => planContainer(container(inputs), ctx);
const host = (inputs: Record<string, unknown>) => plan(inputs).create.HostConfig ?? {};

describe('planContainer translates provider arguments like the kreuzwerker provider', () => {
  it('names the container, uses the overridden image and adds the run labels to the program labels', () => {
    const p = plan({ labels: [{ label: 'app', value: 'web' }] });
    expect(p.create.name).toBe('run1-web');
    expect(p.create.Image).toBe('busybox:local');
    expect(p.create.Labels).toEqual({ app: 'web', 'dev.bulkhead.testkit.run': 'run1' });
  });

  it('converts memory, memorySwap, memoryReservation and shmSize from MB to bytes and keeps swap -1', () => {
    expect(host({ memory: 32, memorySwap: 64, memoryReservation: 16, shmSize: 8 })).toMatchObject({
      Memory: 32 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
      MemoryReservation: 16 * 1024 * 1024,
      ShmSize: 8 * 1024 * 1024,
    });
    expect(host({ memory: 32, memorySwap: -1 }).MemorySwap).toBe(-1);
  });

  it('passes security options verbatim, including an inline seccomp profile', () => {
    const seccomp = JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] });
    expect(host({ securityOpts: ['no-new-privileges:true', `seccomp=${seccomp}`] }).SecurityOpt).toEqual([
      'no-new-privileges:true',
      `seccomp=${seccomp}`,
    ]);
  });

  it('maps capabilities, ulimits, tmpfs, readOnly, runtime, privileged, sysctls and groupAdds', () => {
    expect(
      host({
        capabilities: { adds: ['NET_BIND_SERVICE'], drops: ['ALL'] },
        ulimits: [{ name: 'nproc', soft: 32, hard: 32 }],
        tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
        readOnly: true,
        runtime: 'runsc',
        privileged: false,
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
        groupAdds: ['10001'],
      }),
    ).toMatchObject({
      CapAdd: ['NET_BIND_SERVICE'],
      CapDrop: ['ALL'],
      Ulimits: [{ Name: 'nproc', Soft: 32, Hard: 32 }],
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
      ReadonlyRootfs: true,
      Runtime: 'runsc',
      Privileged: false,
      Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      GroupAdd: ['10001'],
    });
  });

  it('maps user, envs, command, entrypoints, workingDir, hostname and sets Init false when unset as the provider does', () => {
    const p = plan({
      user: '10001:10001',
      envs: ['A=1'],
      command: ['sleep', '60'],
      entrypoints: ['/bin/sh', '-c'],
      workingDir: '/tmp',
      hostname: 'h',
    });
    expect(p.create).toMatchObject({
      User: '10001:10001',
      Env: ['A=1'],
      Cmd: ['sleep', '60'],
      Entrypoint: ['/bin/sh', '-c'],
      WorkingDir: '/tmp',
      Hostname: 'h',
    });
    expect(p.create.HostConfig?.Init).toBe(false);
    expect(host({ init: true }).Init).toBe(true);
  });

  it('converts healthcheck durations to nanoseconds', () => {
    expect(
      plan({
        healthcheck: {
          tests: ['CMD', 'true'],
          interval: '1m30s',
          timeout: '500ms',
          startPeriod: '2s',
          retries: 3,
        },
      }).create.Healthcheck,
    ).toEqual({ Test: ['CMD', 'true'], Interval: 90e9, Timeout: 5e8, StartPeriod: 2e9, Retries: 3 });
  });

  it('maps restart with maxRetryCount and defaults to "no"', () => {
    expect(host({ restart: 'on-failure', maxRetryCount: 3 }).RestartPolicy).toEqual({
      Name: 'on-failure',
      MaximumRetryCount: 3,
    });
    expect(host({}).RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
  });

  it('maps logDriver and logOpts with json-file as the default driver', () => {
    expect(host({ logOpts: { 'max-size': '10m' } }).LogConfig).toEqual({
      Type: 'json-file',
      Config: { 'max-size': '10m' },
    });
    expect(host({ logDriver: 'local' }).LogConfig?.Type).toBe('local');
  });

  it('publishes ports with the provider defaults (tcp, 0.0.0.0, random host port)', () => {
    const p = plan({
      ports: [
        { internal: 80, external: 8080, ip: '127.0.0.1' },
        { internal: 53, protocol: 'udp' },
      ],
    });
    expect(p.create.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(p.create.HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '53/udp': [{ HostIp: '0.0.0.0', HostPort: '' }],
    });
  });

  it('creates the container on its first network and connects the others, with the resource name as alias', () => {
    const p = plan({
      name: 'web-1',
      networksAdvanced: [{ name: 'backend-id', aliases: ['api'] }, { name: 'none' }],
    });
    expect(p.create.HostConfig?.NetworkMode).toBe('run1-backend');
    expect(p.create.NetworkingConfig?.EndpointsConfig?.['run1-backend']?.Aliases).toEqual([
      'api',
      'web',
      'web-1',
    ]);
    expect(p.connect).toEqual([{ network: 'none', endpoint: { Aliases: ['web', 'web-1'] } }]);
  });

  it('resolves networkMode and container:<name> modes to engine names', () => {
    expect(host({ networkMode: 'backend' }).NetworkMode).toBe('run1-backend');
    expect(host({ networkMode: 'none' }).NetworkMode).toBe('none');
    expect(host({ pidMode: 'container:db', ipcMode: 'host', usernsMode: 'host' })).toMatchObject({
      PidMode: 'container:run1-db',
      IpcMode: 'host',
      UsernsMode: 'host',
    });
  });

  it('turns volumes into binds, named volumes, anonymous volumes and volumes-from', () => {
    const p = plan({
      volumes: [
        { hostPath: '/srv', containerPath: '/data', readOnly: true },
        { volumeName: 'cache', containerPath: '/cache' },
        { containerPath: '/scratch' },
        { fromContainer: 'db' },
      ],
    });
    expect(p.create.HostConfig?.Binds).toEqual(['/srv:/data:ro', 'cache:/cache']);
    expect(p.create.Volumes).toEqual({ '/scratch': {} });
    expect(p.create.HostConfig?.VolumesFrom).toEqual(['run1-db']);
  });

  it('maps mounts with their bind, volume and tmpfs options', () => {
    expect(
      host({
        mounts: [
          {
            type: 'bind',
            source: '/srv',
            target: '/srv',
            readOnly: true,
            bindOptions: { propagation: 'rprivate' },
          },
          { type: 'volume', source: 'v', target: '/v', volumeOptions: { noCopy: true, driverName: 'local' } },
          { type: 'tmpfs', target: '/t', tmpfsOptions: { sizeBytes: 1024, mode: 0o700 } },
        ],
      }).Mounts,
    ).toEqual([
      {
        Type: 'bind',
        Source: '/srv',
        Target: '/srv',
        ReadOnly: true,
        BindOptions: { Propagation: 'rprivate' },
      },
      {
        Type: 'volume',
        Source: 'v',
        Target: '/v',
        VolumeOptions: { NoCopy: true, DriverConfig: { Name: 'local' } },
      },
      { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: 0o700 } },
    ]);
  });

  it('maps devices with the provider defaults for container path and permissions', () => {
    expect(host({ devices: [{ hostPath: '/dev/fuse' }] }).Devices).toEqual([
      { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
    ]);
  });

  it('turns cpus into NanoCpus and ignores cpuQuota/cpuPeriod when cpus is set', () => {
    expect(host({ cpus: '0.5', cpuQuota: 1000 })).toMatchObject({ NanoCpus: 5e8 });
    expect(host({ cpus: '0.5', cpuQuota: 1000 }).CpuQuota).toBeUndefined();
    expect(host({ cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512, cpuSet: '0' })).toMatchObject({
      CpuQuota: 50000,
      CpuPeriod: 100000,
      CpuShares: 512,
      CpusetCpus: '0',
    });
  });

  it('unwraps secrets in Pulumi RPC form and core Secret objects', () => {
    const rpcSecret = {
      '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
      value: ['TOKEN=x'],
    };
    expect(plan({ envs: rpcSecret }).create.Env).toEqual(['TOKEN=x']);
    expect(plan({ user: new Secret('10001') }).create.User).toBe('10001');
  });

  it('honours start, mustRun, wait/waitTimeout and containerReadRefreshTimeoutMilliseconds', () => {
    expect(plan({})).toMatchObject({
      start: true,
      mustRun: true,
      runningTimeoutMs: 15000,
      waitHealthyMs: undefined,
    });
    expect(
      plan({
        start: false,
        mustRun: false,
        wait: true,
        waitTimeout: 5,
        containerReadRefreshTimeoutMilliseconds: 100,
      }),
    ).toMatchObject({ start: false, mustRun: false, runningTimeoutMs: 100, waitHealthyMs: 5000 });
  });
});

describe('planContainer refuses what it cannot deploy faithfully', () => {
  it('rejects an unknown (preview) value, naming the resource and the field', () => {
    expect(() => plan({ networksAdvanced: [{ name: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' }] })).toThrow(
      'container "web": argument `networksAdvanced[0].name` is unknown (a value computed during preview). ' +
        'A preview-only program cannot be deployed: run the program with preview off so every input is known.',
    );
    expect(() => plan({ user: { __pulumiUnknown: true } })).toThrow('argument `user` is unknown');
  });

  it('rejects uploads instead of silently deploying without the files', () => {
    expect(() => plan({ uploads: [{ file: '/x', content: 'y' }] })).toThrow(
      'container "web": argument `uploads` is not supported by the test kit. Remove it for the engine test, or deploy with the real provider (`pulumi up`).',
    );
  });

  it('accepts attach: false but rejects attach: true', () => {
    expect(() => plan({ attach: false })).not.toThrow();
    expect(() => plan({ attach: true })).toThrow('argument `attach` is not supported');
  });

  it('rejects a misspelt argument', () => {
    expect(() => plan({ readonly: true })).toThrow('argument `readonly` is not a known argument');
  });

  it('names the field path of a wrongly typed argument without echoing its value', () => {
    let message = '';
    try {
      plan({ ulimits: [{ name: 'nproc', soft: 'hunter2', hard: 1 }] });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      'container "web": argument `ulimits[0].soft` must be a number, got a string. Pass it the way the @pulumi/docker argument type declares it.',
    );
  });

  it('rejects a healthcheck duration that is not a Go duration', () => {
    expect(() => plan({ healthcheck: { tests: ['CMD', 'true'], interval: '10 seconds' } })).toThrow(
      'argument `healthcheck.interval` is not a duration',
    );
  });
});

describe('planNetwork', () => {
  const network = (inputs: Record<string, unknown>): DeployableResource => ({
    type: NETWORK_TYPE,
    name: 'backend',
    urn: 'urn:x',
    inputs,
  });
  it('maps internal, driver, options, labels and ipamConfigs', () => {
    expect(
      planNetwork(
        network({
          internal: true,
          options: { 'com.docker.network.bridge.enable_icc': 'false' },
          labels: [{ label: 'dev.bulkhead.link', value: 'a->b' }],
          ipamConfigs: [{ subnet: '10.9.0.0/24', gateway: '10.9.0.1' }],
        }),
        { engineName: 'run1-backend', extraLabels: { run: '1' } },
      ),
    ).toEqual({
      Name: 'run1-backend',
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: true,
      Options: { 'com.docker.network.bridge.enable_icc': 'false' },
      Labels: { 'dev.bulkhead.link': 'a->b', run: '1' },
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.9.0.0/24', Gateway: '10.9.0.1' }] },
    });
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['1s', 1e9],
    ['1.5s', 1.5e9],
    ['250ms', 2.5e8],
    ['2h45m', 2 * 3600e9 + 45 * 60e9],
    ['10us', 1e4],
  ])('parses %s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));
  it.each(['', '10', '1 s', 's', '1x'])('rejects %p', (text) =>
    expect(parseGoDuration(text)).toBeUndefined(),
  );
});
