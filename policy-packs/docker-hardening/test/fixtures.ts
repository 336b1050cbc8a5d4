/**
 * Pulumi inputs for the pack's tests: a compliant container, network and stack (what Bulkhead's
 * components produce), and one insecure mutation per catalog rule. A rule without an entry fails
 * the suite, so every new rule gets a protocol-level test.
 */
import { exemptLabel, LABELS, PULUMI_TYPES } from '@bulkhead/core';
import type { ResourceInput } from '@bulkhead/policy-harness';

export const CONTAINER = PULUMI_TYPES.container;
export const SERVICE = PULUMI_TYPES.service;
export const NETWORK = PULUMI_TYPES.network;

/** A docker.Container resource with these inputs. */
export const container = (properties: Record<string, unknown>, name = 'web'): ResourceInput => ({
  type: CONTAINER,
  name,
  properties,
});

/** A small custom seccomp profile, inline as the components pass it. */
export const SECCOMP = JSON.stringify({
  defaultAction: 'SCMP_ACT_ERRNO',
  architectures: ['SCMP_ARCH_X86_64'],
  syscalls: [
    { names: ['read', 'write', 'exit', 'exit_group', 'futex', 'epoll_wait'], action: 'SCMP_ACT_ALLOW' },
  ],
});

export const DIGEST_IMAGE = `registry.example/app@sha256:${'a'.repeat(64)}`;

/** `ContainerArgs` with the secure defaults `HardenedContainer` applies. */
export function compliantContainer(): Record<string, unknown> {
  return {
    image: DIGEST_IMAGE,
    name: 'app',
    user: '10001:10001',
    capabilities: { drops: ['ALL'] },
    securityOpts: ['no-new-privileges:true', `seccomp=${SECCOMP}`, 'apparmor=docker-default'],
    readOnly: true,
    tmpfs: { '/tmp': 'size=64m,noexec,nosuid,nodev' },
    memory: 256,
    cpus: '0.5',
    ulimits: [
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 256, hard: 256 },
    ],
    networksAdvanced: [{ name: 'backend' }],
    restart: 'on-failure',
    maxRetryCount: 3,
    logDriver: 'json-file',
    logOpts: { 'max-size': '10m', 'max-file': '3' },
    init: true,
    healthcheck: { tests: ['CMD', '/app/healthcheck'], interval: '30s', retries: 3 },
    cgroupnsMode: 'private',
    envs: ['LOG_LEVEL=info'],
    labels: [{ label: LABELS.component, value: 'bulkhead:docker:HardenedContainer' }],
  };
}

/** `NetworkArgs` of a hardened network. */
export function compliantNetwork(name = 'backend'): Record<string, unknown> {
  return { name, internal: true, options: { 'com.docker.network.bridge.enable_icc': 'false' } };
}

function withLabels(props: Record<string, unknown>, labels: Record<string, string>): Record<string, unknown> {
  const list = [...((props.labels as { label: string; value: string }[]) ?? [])];
  for (const [label, value] of Object.entries(labels)) list.push({ label, value });
  return { ...props, labels: list };
}

/** A segmented stack: an ingress publishing on loopback, an api linked to a db, on internal networks. */
export function compliantStack(): ResourceInput[] {
  return [
    {
      type: NETWORK,
      name: 'frontend',
      properties: {
        ...compliantNetwork('frontend'),
        internal: false,
        labels: [
          { label: exemptLabel('network-internal'), value: 'the ingress must be reachable from the host' },
        ],
      },
    },
    { type: NETWORK, name: 'backend', properties: compliantNetwork('backend') },
    {
      type: CONTAINER,
      name: 'ingress',
      properties: withLabels(
        {
          ...compliantContainer(),
          networksAdvanced: [{ name: 'frontend' }],
          ports: [{ internal: 8080, external: 8080, ip: '127.0.0.1' }],
        },
        { [LABELS.role]: 'ingress' },
      ),
    },
    {
      type: CONTAINER,
      name: 'api',
      properties: withLabels(compliantContainer(), { [LABELS.links]: 'db:5432' }),
    },
    { type: CONTAINER, name: 'db', properties: compliantContainer() },
  ];
}

type Props = Record<string, unknown>;

/** How to break one rule. */
export type Mutation =
  | { kind: 'container'; does: string; mutate(p: Props): Props }
  | { kind: 'network'; does: string; mutate(p: Props): Props }
  | { kind: 'stack'; does: string; resources(): ResourceInput[] }
  /** The control cannot be set through this surface; the test proves the pack stays silent. */
  | { kind: 'not-expressible'; does: string; mutate(p: Props): Props };

const c = (does: string, mutate: (p: Props) => Props): Mutation => ({ kind: 'container', does, mutate });
const n = (does: string, mutate: (p: Props) => Props): Mutation => ({ kind: 'network', does, mutate });
const secOpt = (p: Props, opt: string): Props => ({
  ...p,
  securityOpts: [...(p.securityOpts as string[]), opt],
});
const mount =
  (source: string, extra: Props = {}): ((p: Props) => Props) =>
  (p) => ({
    ...p,
    mounts: [{ type: 'bind', source, target: '/data', readOnly: true, ...extra }],
  });

/** One insecure change per rule id, named by the control it breaks. */
export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'no-privileged': c('sets privileged: true', (p) => ({ ...p, privileged: true })),
  'no-critical-capabilities': c('adds SYS_ADMIN', (p) => ({
    ...p,
    capabilities: { drops: ['ALL'], adds: ['SYS_ADMIN'] },
  })),
  'drop-all-capabilities': c('drops nothing', (p) => ({ ...p, capabilities: { drops: ['MKNOD'] } })),
  'capability-allowlist': c('adds CHOWN', (p) => ({
    ...p,
    capabilities: { drops: ['ALL'], adds: ['CHOWN'] },
  })),
  'no-net-raw': c('adds NET_RAW', (p) => ({ ...p, capabilities: { drops: ['ALL'], adds: ['NET_RAW'] } })),
  'no-new-privileges': c('switches no-new-privileges off', (p) => ({
    ...p,
    securityOpts: ['no-new-privileges:false', `seccomp=${SECCOMP}`],
  })),
  'seccomp-not-unconfined': c('sets seccomp=unconfined', (p) => secOpt(p, 'seccomp=unconfined')),
  'seccomp-profile-valid': c('passes a seccomp profile that allows every syscall', (p) => ({
    ...p,
    securityOpts: [
      'no-new-privileges:true',
      `seccomp=${JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW' })}`,
    ],
  })),
  'apparmor-not-unconfined': c('sets apparmor=unconfined', (p) => secOpt(p, 'apparmor=unconfined')),
  'selinux-not-disabled': c('sets label=disable', (p) => secOpt(p, 'label=disable')),
  'no-unmasked-paths': c('sets systempaths=unconfined', (p) => secOpt(p, 'systempaths=unconfined')),
  'non-root-user': c('runs as root', (p) => ({ ...p, user: '0:0' })),
  'numeric-user': c('names the user', (p) => ({ ...p, user: 'app' })),
  'no-privileged-groups': c('adds the docker group', (p) => ({ ...p, groupAdds: ['docker'] })),
  'read-only-rootfs': c('makes the root fs writable', (p) => ({ ...p, readOnly: false })),
  'tmpfs-hardened': c('mounts tmpfs without noexec', (p) => ({ ...p, tmpfs: { '/tmp': 'size=64m' } })),
  'no-host-network': c('uses the host network', (p) => ({ ...p, networkMode: 'host', networksAdvanced: [] })),
  'no-host-pid': c('shares the host PID namespace', (p) => ({ ...p, pidMode: 'host' })),
  'no-host-ipc': c('shares the host IPC namespace', (p) => ({ ...p, ipcMode: 'host' })),
  'no-host-uts': {
    kind: 'not-expressible',
    does: 'docker.Container has no utsMode input, so a UTS mode never reaches the pack',
    mutate: (p) => ({ ...p, utsMode: 'host' }),
  },
  'seccomp-within-learned-profile': {
    kind: 'not-expressible',
    does: 'a learned profile is given to `bulkhead validate --learned-profile`, never to the pack, so this rule passes here',
    mutate: (p) => ({ ...p, securityOpts: [...((p.securityOpts as string[]) ?? []), 'seccomp=unconfined'] }),
  },
  'no-host-userns': c('shares the host user namespace', (p) => ({ ...p, usernsMode: 'host' })),
  'no-host-cgroupns': c('shares the host cgroup namespace', (p) => ({ ...p, cgroupnsMode: 'host' })),
  'no-cgroup-parent': c('sets a cgroup parent', (p) => ({ ...p, cgroupParent: '/custom' })),
  'memory-limit': c('sets no memory limit', ({ memory: _, ...p }) => p),
  'cpu-limit': c('sets no CPU limit', ({ cpus: _, ...p }) => p),
  'pids-limit': c('drops the nproc ulimit workaround', (p) => ({
    ...p,
    ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }],
  })),
  'ulimits-set': c('sets no ulimits', ({ ulimits: _, ...p }) => p),
  'no-docker-socket': c('mounts the Docker socket', mount('/var/run/docker.sock')),
  'no-sensitive-mounts': c('mounts /etc', mount('/etc')),
  'no-shared-propagation': c(
    'mounts with rshared propagation',
    mount('/srv/data', { bindOptions: { propagation: 'rshared' } }),
  ),
  'bind-mounts-read-only': c('binds a host path read-write', mount('/srv/data', { readOnly: false })),
  'no-host-devices': c('maps /dev/sda', (p) => ({ ...p, devices: [{ hostPath: '/dev/sda' }] })),
  'ports-bound-to-interface': c('publishes on all interfaces', (p) => ({
    ...p,
    ports: [{ internal: 8080, external: 8080 }],
  })),
  'no-privileged-ports': c('publishes host port 80', (p) => ({
    ...p,
    ports: [{ internal: 8080, external: 80, ip: '127.0.0.1' }],
  })),
  'ports-only-on-ingress': c('publishes without the ingress role', (p) => ({
    ...p,
    ports: [{ internal: 8080, external: 8080, ip: '127.0.0.1' }],
  })),
  'isolated-network': c('uses the default bridge', (p) => ({ ...p, networksAdvanced: [] })),
  healthcheck: c('declares no health check', ({ healthcheck: _, ...p }) => p),
  'bounded-restarts': c('restarts always', ({ maxRetryCount: _, ...p }) => ({ ...p, restart: 'always' })),
  'safe-sysctls': c('sets kernel.shmmax', (p) => ({ ...p, sysctls: { 'kernel.shmmax': '65536' } })),
  'image-digest-pinned': c('refers to the image by tag', (p) => ({ ...p, image: 'nginx:1.27' })),
  'no-secrets-in-env': c('passes a password in env', (p) => ({
    ...p,
    envs: ['DB_PASSWORD=hunter2-hunter2'],
  })),
  'bounded-logs': c('sets no max-size', ({ logOpts: _, ...p }) => p),
  'init-process': c('runs without init', (p) => ({ ...p, init: false })),
  'runtime-allowlist': c('uses an unknown runtime', (p) => ({ ...p, runtime: 'exotic-runtime' })),
  'network-internal': n('is not internal', (p) => ({ ...p, internal: false })),
  'network-icc-disabled': n('leaves ICC on', ({ options: _, ...p }) => p),
  'shared-network-needs-link': {
    kind: 'stack',
    does: 'puts two containers without a link on one network',
    resources: () => [
      { type: NETWORK, name: 'backend', properties: compliantNetwork('backend') },
      { type: CONTAINER, name: 'a', properties: compliantContainer() },
      { type: CONTAINER, name: 'b', properties: compliantContainer() },
    ],
  },
  'exemption-labels-valid': {
    kind: 'stack',
    does: 'labels a container with a placeholder exemption reason (TODO)',
    resources: () => [
      {
        type: CONTAINER,
        name: 'api',
        properties: {
          ...compliantContainer(),
          labels: [
            ...((compliantContainer().labels as object[] | undefined) ?? []),
            { label: exemptLabel('no-privileged'), value: 'TODO: explain why this is privileged' },
          ],
        },
      },
    ],
  },
  'backend-on-internal-network': {
    kind: 'stack',
    does: 'attaches a backend to a network that is not internal',
    resources: () => [
      { type: NETWORK, name: 'backend', properties: { ...compliantNetwork('backend'), internal: false } },
      { type: CONTAINER, name: 'api', properties: compliantContainer() },
    ],
  },
};
