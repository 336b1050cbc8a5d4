import {
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
  fromPulumiServiceArgs,
  PULUMI_TYPES,
  SEALED,
} from '../../src/adapters/index.js';
import { catalog, evaluate, sourcePath } from '../../src/index.js';
import { isSecret, isUnknown, reveal, UNKNOWN } from '../../src/model/value.js';

const SIG = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
const UNKNOWN_STRING = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const secret = (value: unknown) => ({ ...SIG, value });

/** Inputs of a well-hardened docker.Container, as a program would write them. */
const hardened = () => ({
  image: 'registry.example/web@sha256:' + 'a'.repeat(64),
  user: '10001:10001',
  groupAdds: ['10001'],
  privileged: false,
  capabilities: { drops: ['ALL'], adds: ['NET_BIND_SERVICE'] },
  securityOpts: ['no-new-privileges:true', 'apparmor=docker-default'],
  readOnly: true,
  tmpfs: { '/tmp': 'size=16m,noexec,nosuid,nodev' },
  volumes: [
    { hostPath: '/srv/web', containerPath: '/data', readOnly: true },
    { volumeName: 'cache', containerPath: '/cache' },
  ],
  mounts: [
    {
      type: 'bind',
      source: '/etc/web',
      target: '/etc/web',
      readOnly: true,
      bindOptions: { propagation: 'rslave' },
    },
  ],
  networksAdvanced: [{ name: 'web-internal', aliases: ['web'] }],
  memory: 256,
  memorySwap: 256,
  cpus: '0.5',
  cpuShares: 512,
  devices: [{ hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' }],
  ports: [{ internal: 8080, external: 80, ip: '127.0.0.1', protocol: 'tcp' }, { internal: 9090 }],
  healthcheck: { tests: ['CMD', '/bin/true'], interval: '30s' },
  restart: 'on-failure',
  maxRetryCount: 3,
  sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
  ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
  envs: ['PORT=8080', 'EMPTY=', 'NOVALUE'],
  logDriver: 'json-file',
  logOpts: { 'max-size': '10m' },
  init: true,
  runtime: 'runsc',
  labels: [
    { label: 'dev.bulkhead.role', value: 'ingress' },
    { label: 'dev.bulkhead.links', value: 'db:5432, cache' },
  ],
  hostname: 'web',
  command: ['serve', '--port', '8080'],
});

describe('fromPulumiContainerArgs', () => {
  it('maps every hardening input of ContainerArgs to the spec, with bytes and nano-CPUs', () => {
    const spec = fromPulumiContainerArgs(hardened(), { name: 'web', urn: 'urn:x' });
    expect(spec).toEqual({
      source: expect.objectContaining({
        kind: 'pulumi',
        name: 'web',
        urn: 'urn:x',
        type: PULUMI_TYPES.container,
      }),
      image: 'registry.example/web@sha256:' + 'a'.repeat(64),
      user: '10001:10001',
      groupAdd: ['10001'],
      privileged: false,
      capAdd: ['NET_BIND_SERVICE'],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges:true', 'apparmor=docker-default'],
      readOnlyRootfs: true,
      tmpfs: { '/tmp': 'size=16m,noexec,nosuid,nodev' },
      mounts: [
        { type: 'bind', source: '/srv/web', target: '/data', readOnly: true, origin: 'volumes[0]' },
        { type: 'volume', source: 'cache', target: '/cache', origin: 'volumes[1]' },
        {
          type: 'bind',
          source: '/etc/web',
          target: '/etc/web',
          readOnly: true,
          propagation: 'rslave',
          origin: 'mounts[0]',
        },
      ],
      networks: [{ name: 'web-internal', aliases: ['web'], origin: 'networksAdvanced[0]' }],
      memory: 256 * 1024 * 1024,
      memorySwap: 256 * 1024 * 1024,
      nanoCpus: 500_000_000,
      cpuShares: 512,
      devices: [
        { hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm', origin: 'devices[0]' },
      ],
      ports: [
        { containerPort: 8080, hostPort: 80, hostIp: '127.0.0.1', protocol: 'tcp', origin: 'ports[0]' },
        { containerPort: 9090, origin: 'ports[1]' },
      ],
      healthcheck: { test: ['CMD', '/bin/true'] },
      restart: { policy: 'on-failure', maxRetries: 3 },
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      ulimits: [{ name: 'nofile', soft: 1024, hard: 2048, origin: 'ulimits[0]' }],
      env: [
        { name: 'PORT', value: '8080', origin: 'envs[0]' },
        { name: 'EMPTY', value: '', origin: 'envs[1]' },
        { name: 'NOVALUE', value: UNKNOWN, origin: 'envs[2]' },
      ],
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m' },
      init: true,
      runtime: 'runsc',
      labels: { 'dev.bulkhead.role': 'ingress', 'dev.bulkhead.links': 'db:5432, cache' },
      hostname: 'web',
      command: ['serve', '--port', '8080'],
      links: ['db:5432', 'cache'],
      ingress: true,
    });
  });

  it('declares that docker.Container cannot express a pids limit', () => {
    const spec = fromPulumiContainerArgs({ image: 'x' });
    expect(spec.source.cannotExpress?.has('pidsLimit')).toBe(true);
    expect(spec.pidsLimit).toBeUndefined();
  });

  it('leaves unset inputs absent so the engine defaults apply', () => {
    const spec = fromPulumiContainerArgs({ image: 'x' }, { name: 'bare' });
    const set = Object.entries(spec).filter(([, v]) => v !== undefined);
    expect(set.map(([k]) => k).sort()).toEqual(['image', 'source']);
  });

  it('translates spec paths into ContainerArgs paths through fieldPaths and item origins', () => {
    const spec = fromPulumiContainerArgs(hardened());
    expect(sourcePath(spec, 'capDrop')).toBe('capabilities.drops');
    expect(sourcePath(spec, 'capAdd[0]')).toBe('capabilities.adds[0]');
    expect(sourcePath(spec, 'securityOpt[1]')).toBe('securityOpts[1]');
    expect(sourcePath(spec, 'readOnlyRootfs')).toBe('readOnly');
    expect(sourcePath(spec, 'mounts[2].source')).toBe('mounts[0].source');
    expect(sourcePath(spec, 'mounts[1]')).toBe('volumes[1]');
    expect(sourcePath(spec, 'env[2].value')).toBe('envs[2].value');
    expect(sourcePath(spec, 'networks[0]')).toBe('networksAdvanced[0]');
    expect(sourcePath(spec, 'nanoCpus')).toBe('cpus');
  });

  it('reports a failing setting at its Pulumi path', () => {
    const props = { ...hardened(), securityOpts: ['apparmor=docker-default'], privileged: true };
    const report = evaluate(
      { containers: [fromPulumiContainerArgs(props, { name: 'web' })], networks: [] },
      {
        only: ['no-new-privileges', 'no-privileged'],
      },
    );
    expect(report.findings.map((f) => [f.ruleId, f.status, f.path])).toEqual([
      ['no-privileged', 'fail', 'privileged'],
      ['no-new-privileges', 'fail', 'securityOpts'],
    ]);
  });

  it('reads memorySwap -1 (unlimited) as -1, not -1 MB', () => {
    expect(fromPulumiContainerArgs({ memorySwap: -1 }).memorySwap).toBe(-1);
  });

  it('turns deviceRequests into the --gpus value they amount to and points at deviceRequests', () => {
    const spec = fromPulumiContainerArgs({ deviceRequests: [{ count: -1, capabilities: [['gpu']] }] });
    expect(spec.gpus).toBe('all');
    expect(sourcePath(spec, 'gpus')).toBe('deviceRequests');
    expect(fromPulumiContainerArgs({ deviceRequests: [{ deviceIds: ['0', '2'] }] }).gpus).toBe('device=0,2');
  });

  it('reads a healthcheck of ["NONE"] as disabled', () => {
    expect(fromPulumiContainerArgs({ healthcheck: { tests: ['NONE'] } }).healthcheck).toEqual({
      test: ['NONE'],
      disabled: true,
    });
  });

  it('treats the provider default ip 0.0.0.0 as all interfaces (absent)', () => {
    const spec = fromPulumiContainerArgs({ ports: [{ internal: 80, external: 8080, ip: '0.0.0.0' }] });
    expect(spec.ports).toEqual([{ containerPort: 80, hostPort: 8080, origin: 'ports[0]' }]);
  });
});

describe('unknown values', () => {
  it.each([
    ['the wire sentinel string', UNKNOWN_STRING],
    ['the boolean sentinel', '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7'],
    ['the setMocks object', { __pulumiUnknown: true }],
    ['an unresolved Output', { __pulumiOutput: true }],
  ])('maps %s to UNKNOWN in every field kind', (_what, u) => {
    const spec = fromPulumiContainerArgs({
      user: u,
      privileged: u,
      memory: u,
      capabilities: u,
      securityOpts: u,
      tmpfs: u,
      labels: u,
      envs: u,
    });
    for (const f of [
      'user',
      'privileged',
      'memory',
      'capAdd',
      'capDrop',
      'securityOpt',
      'tmpfs',
      'labels',
      'env',
      'links',
      'ingress',
    ] as const) {
      expect([f, isUnknown(spec[f])]).toEqual([f, true]);
    }
  });

  it('maps unknown list items and null items to UNKNOWN items', () => {
    const spec = fromPulumiContainerArgs({ capabilities: { drops: ['ALL', UNKNOWN_STRING, null] } });
    expect(spec.capDrop).toEqual(['ALL', UNKNOWN, UNKNOWN]);
  });

  it('maps an unknown item of an object list to an item whose every field is unknown', () => {
    const spec = fromPulumiContainerArgs({ ports: [UNKNOWN_STRING], mounts: [{ __pulumiUnknown: true }] });
    expect(spec.ports).toEqual([
      { containerPort: UNKNOWN, hostPort: UNKNOWN, hostIp: UNKNOWN, protocol: UNKNOWN, origin: 'ports[0]' },
    ]);
    expect(spec.mounts).toEqual([
      { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin: 'mounts[0]' },
    ]);
  });

  it('turns a getter that throws (the policy SDK unknown proxy) into UNKNOWN', () => {
    const props = new Proxy({ image: 'x', user: UNKNOWN_STRING } as Record<string, unknown>, {
      get(target, key) {
        const v = target[key as string];
        if (v === UNKNOWN_STRING) throw new Error("string value at .user can't be known during preview");
        return v;
      },
    });
    const spec = fromPulumiContainerArgs(props);
    expect(spec.image).toBe('x');
    expect(isUnknown(spec.user)).toBe(true);
  });

  it('makes an unknown label name unknown for the whole label map, links and ingress', () => {
    const spec = fromPulumiContainerArgs({ labels: [{ label: UNKNOWN_STRING, value: 'x' }] });
    expect(isUnknown(spec.labels)).toBe(true);
    expect(isUnknown(spec.ingress)).toBe(true);
  });

  it('treats a props value that is not an object as a container about which nothing is known', () => {
    const spec = fromPulumiContainerArgs(UNKNOWN_STRING as unknown as Record<string, unknown>);
    expect(isUnknown(spec.privileged)).toBe(true);
    expect(isUnknown(spec.capDrop)).toBe(true);
    expect(spec.pidsLimit).toBeUndefined();
  });
});

describe('wrong field types', () => {
  it('become UNKNOWN instead of throwing or guessing', () => {
    const spec = fromPulumiContainerArgs({
      privileged: 'yes',
      memory: '256',
      cpus: 'lots',
      capabilities: ['ALL'],
      securityOpts: 'no-new-privileges',
      ports: [{ internal: '80' }],
      labels: { a: 'b' },
      restart: 5,
    });
    expect(spec.privileged).toBe(UNKNOWN);
    expect(spec.memory).toBe(UNKNOWN);
    expect(spec.nanoCpus).toBe(UNKNOWN);
    expect(spec.capAdd).toBe(UNKNOWN);
    expect(spec.securityOpt).toBe(UNKNOWN);
    expect(spec.ports).toEqual([{ containerPort: UNKNOWN, origin: 'ports[0]' }]);
    expect(spec.labels).toBe(UNKNOWN);
    expect(spec.restart).toEqual({ policy: UNKNOWN });
  });
});

describe('secrets', () => {
  it('keeps wrapped values Secret where the model allows and unwraps them elsewhere', () => {
    const spec = fromPulumiContainerArgs({
      image: secret('registry.example/private:1'),
      user: secret('10001'),
      securityOpts: secret(['no-new-privileges:true']),
      envs: [secret('API_TOKEN=abc123'), 'PORT=80'],
      labels: [{ label: 'owner', value: secret('team-a') }],
      command: secret(['--password', 'pw']),
    });
    expect(isSecret(spec.image)).toBe(true);
    expect(spec.user).toBe('10001');
    expect(Array.isArray(spec.securityOpt) && isSecret(spec.securityOpt[0])).toBe(true);
    if (!Array.isArray(spec.env)) throw new Error('env');
    expect(spec.env[0]?.name).toBe('API_TOKEN');
    expect(isSecret(spec.env[0]?.value)).toBe(true);
    expect(spec.env[1]?.value).toBe('80');
    const labels = spec.labels as Record<string, unknown>;
    expect(isSecret(labels.owner)).toBe(true);
    expect(JSON.stringify(spec)).not.toMatch(/abc123|team-a|private|"pw"/);
  });

  it('keeps the secret content readable for rules through reveal', () => {
    const spec = fromPulumiContainerArgs({ securityOpts: secret(['seccomp=unconfined']) });
    const opt = (spec.securityOpt as unknown[])[0];
    expect(isSecret(opt) && reveal(opt)).toBe('seccomp=unconfined');
  });

  (catalog.has('no-secrets-in-env') ? it : it.skip)(
    'lets no-secrets-in-env pass a secret-wrapped value and fail the same value in plain text',
    () => {
      const run = (envs: unknown) =>
        evaluate(
          { containers: [fromPulumiContainerArgs({ envs })], networks: [] },
          { only: ['no-secrets-in-env'] },
        ).findings;
      expect(run([secret('DB_PASSWORD=hunter2')])).toEqual([]);
      expect(run(['DB_PASSWORD=hunter2'])).toEqual([
        expect.objectContaining({ status: 'fail', path: 'envs[0]' }),
      ]);
    },
  );

  it('is a sealed secret (secret and unknown) when only ciphertext is present', () => {
    const spec = fromPulumiContainerArgs({ image: { ...SIG, ciphertext: 'AAAA' } });
    expect(spec.image).toBe(SEALED);
    expect(isSecret(spec.image) && isUnknown(spec.image)).toBe(true);
    expect(() => reveal(SEALED)).toThrow(/not known/);
    expect(String(SEALED)).toBe('[secret]');
  });
});

describe('fromPulumiServiceArgs', () => {
  const service = () => ({
    name: 'api',
    labels: [{ label: 'dev.bulkhead.role', value: 'ingress' }],
    taskSpec: {
      containerSpec: {
        image: 'registry.example/api:1',
        user: '10001',
        groups: ['10001'],
        capDrops: ['ALL'],
        capAdds: ['NET_BIND_SERVICE'],
        readOnly: true,
        privileges: { seLinuxContext: { disable: true } },
        mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }],
        env: { TOKEN: 'x', A: '1' },
        healthcheck: { tests: ['CMD', 'true'] },
        sysctl: { 'net.core.somaxconn': '1024' },
        init: true,
        commands: ['serve'],
        args: ['--verbose'],
        labels: [{ label: 'dev.bulkhead.links', value: 'db' }],
      },
      resources: { limits: { memoryBytes: 134217728, nanoCpus: 250000000 } },
      restartPolicy: { condition: 'on-failure', maxAttempts: 3 },
      logDriver: { name: 'json-file', options: { 'max-size': '10m' } },
      networksAdvanceds: [{ name: 'backend' }],
    },
    endpointSpec: { ports: [{ targetPort: 8080, publishedPort: 80, protocol: 'tcp' }] },
  });

  it('maps the swarm task spec to the container model', () => {
    const spec = fromPulumiServiceArgs(service(), { name: 'api' });
    expect(spec).toMatchObject({
      image: 'registry.example/api:1',
      user: '10001',
      groupAdd: ['10001'],
      capDrop: ['ALL'],
      capAdd: ['NET_BIND_SERVICE'],
      readOnlyRootfs: true,
      securityOpt: ['label=disable'],
      mounts: [{ type: 'bind', source: '/var/run/docker.sock', origin: 'taskSpec.containerSpec.mounts[0]' }],
      env: [
        { name: 'A', value: '1', origin: 'taskSpec.containerSpec.env.A' },
        { name: 'TOKEN', value: 'x', origin: 'taskSpec.containerSpec.env.TOKEN' },
      ],
      memory: 134217728,
      nanoCpus: 250000000,
      restart: { policy: 'on-failure', maxRetries: 3 },
      logDriver: 'json-file',
      networks: [{ name: 'backend', origin: 'taskSpec.networksAdvanceds[0]' }],
      ports: [{ containerPort: 8080, hostPort: 80, protocol: 'tcp', origin: 'endpointSpec.ports[0]' }],
      command: ['serve', '--verbose'],
      ingress: true,
      links: ['db'],
    });
    expect(sourcePath(spec, 'capDrop')).toBe('taskSpec.containerSpec.capDrops');
  });

  it('declares what a service cannot express so rules can say so plainly', () => {
    const spec = fromPulumiServiceArgs(service());
    expect([...(spec.source.cannotExpress ?? [])].sort()).toEqual(
      ['memorySwap', 'pidsLimit', 'securityOpt', 'tmpfs', 'ulimits'].sort(),
    );
    expect(spec.source.type).toBe(PULUMI_TYPES.service);
  });

  it('is wholly unknown when the task spec is unknown', () => {
    const spec = fromPulumiServiceArgs({ taskSpec: UNKNOWN_STRING });
    expect(isUnknown(spec.image)).toBe(true);
    expect(spec.securityOpt).toBeUndefined();
  });
});

describe('fromPulumiNetworkArgs', () => {
  it('maps a docker.Network', () => {
    const net = fromPulumiNetworkArgs(
      {
        name: 'backend',
        driver: 'bridge',
        internal: true,
        attachable: false,
        ipv6: false,
        options: { 'com.docker.network.bridge.enable_icc': 'false' },
        labels: [{ label: 'dev.bulkhead.egress-reason', value: 'none' }],
      },
      { name: 'backend-net' },
    );
    expect(net).toEqual({
      source: expect.objectContaining({ kind: 'pulumi', name: 'backend-net', type: PULUMI_TYPES.network }),
      name: 'backend',
      driver: 'bridge',
      internal: true,
      attachable: false,
      ipv6: false,
      options: { 'com.docker.network.bridge.enable_icc': 'false' },
      labels: { 'dev.bulkhead.egress-reason': 'none' },
    });
  });

  it('has an unknown name when the provider auto-names the network', () => {
    expect(isUnknown(fromPulumiNetworkArgs({ internal: true }).name)).toBe(true);
  });
});

describe('fromPulumiResources', () => {
  it('picks containers, services and networks by type token and ignores everything else', () => {
    const set = fromPulumiResources([
      {
        type: PULUMI_TYPES.container,
        name: 'web',
        urn: 'urn:web',
        parent: 'urn:comp',
        props: { image: 'x' },
      },
      { type: PULUMI_TYPES.service, name: 'api', props: { taskSpec: { containerSpec: { image: 'y' } } } },
      { type: PULUMI_TYPES.network, name: 'net', props: { name: 'net' } },
      { type: 'docker:index/remoteImage:RemoteImage', name: 'img', props: { name: 'x' } },
      { type: 'aws:s3/bucket:Bucket', name: 'b', props: {} },
    ]);
    expect(set.containers.map((c) => [c.source.name, c.source.type, c.source.urn, c.source.parent])).toEqual([
      ['web', PULUMI_TYPES.container, 'urn:web', 'urn:comp'],
      ['api', PULUMI_TYPES.service, undefined, undefined],
    ]);
    expect(set.networks.map((n) => n.name)).toEqual(['net']);
  });
});
