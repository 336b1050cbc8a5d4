/**
 * The programs the isolation probes deploy: the hardened stack is built by the real
 * `HardenedContainer` and `SegmentedStack` components; the baseline is the same image with explicit
 * insecure flags (root, extra capabilities, no seccomp/AppArmor confinement, writable root, no
 * limits, one shared network). Both run through `runProgramUnderMocks` and `deployToEngine`.
 */
import { HardenedContainer, SegmentedStack } from '@bulkhead/components';
import { type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/testkit';
import * as docker from '@pulumi/docker';

/** The four columns of the matrix. */
export type Profile = 'hardened' | 'baseline' | 'gvisor' | 'gvisor-baseline';
export const PROFILES: readonly Profile[] = ['hardened', 'baseline', 'gvisor', 'gvisor-baseline'];

/** Process bound of the probe container (`maxProcesses`); the nproc probe tries twice as many. */
export const NPROC_BOUND = 32;
/** Memory limit of the memory probe container, in MB; the probe allocates twice as much. */
export const MEMORY_LIMIT_MB = 32;
/** The syscall the hardened probe container's seccomp profile removes from the default allowlist. */
export const REMOVED_SYSCALL = 'personality';
/** Port the link servers listen on. */
export const SERVER_PORT = 8080;

/** Containers every profile deploys, by role; resource names are `<short>-<role>`. */
export const ROLES = ['probe', 'mem', 'a', 'b', 'c', 'd'] as const;
export type Role = (typeof ROLES)[number];

const SHORT: Record<Profile, string> = { hardened: 'h', baseline: 'b', gvisor: 'g', 'gvisor-baseline': 'gb' };

/**
 * Resource name of a role in a profile. Distinct names per profile also give the hardened
 * containers distinct uids (the component derives the uid from the name), so the per-uid
 * `nproc` limits of concurrently deployed profiles never add up.
 */
export const nameOf = (profile: Profile, role: Role): string => `${SHORT[profile]}-${role}`;

const IDLE = ['sleep', '3600'];
const SERVER = ['nc', '-ll', '-p', String(SERVER_PORT), '-e', 'echo', 'pong'];

/** The hardened stack, from the real components (runc or gVisor). */
export function hardenedProgram(
  profile: 'hardened' | 'gvisor',
  image: string,
): Promise<RegisteredResource[]> {
  const sandbox: 'gvisor' | 'none' = profile === 'gvisor' ? 'gvisor' : 'none';
  const n = (role: Role) => nameOf(profile, role);
  const healthcheck = { test: ['CMD', 'true'] };
  return runProgramUnderMocks(() => {
    new HardenedContainer(n('probe'), {
      image,
      command: IDLE,
      sandbox,
      healthcheck,
      maxProcesses: NPROC_BOUND,
      seccomp: { remove: [REMOVED_SYSCALL] },
    });
    new HardenedContainer(n('mem'), {
      image,
      command: IDLE,
      sandbox,
      healthcheck,
      memoryMb: MEMORY_LIMIT_MB,
    });
    // The link probes: a SegmentedStack named like the profile, so its containers are `<short>-a` …
    // Each link gets its own internal network with just its two ends on it.
    const service = (command: string[]) => ({ image, command, sandbox, healthcheck });
    new SegmentedStack(SHORT[profile], {
      services: { a: service(IDLE), b: service(SERVER), c: service(IDLE), d: service(SERVER) },
      links: [`a->b:${SERVER_PORT}`, `c->d:${SERVER_PORT}`],
    });
  });
}

/**
 * The insecure baseline: same image, root, `SYS_ADMIN`/`NET_RAW`/`CHOWN` added one by one
 * (`--privileged` and `--cap-add ALL` are refused on the test host), seccomp (and AppArmor, when
 * the host has it) unconfined, writable root, an exec-able tmpfs on /tmp, no limits, and every
 * container on one shared network.
 */
export function baselineProgram(
  profile: 'baseline' | 'gvisor-baseline',
  image: string,
  apparmor: boolean,
): Promise<RegisteredResource[]> {
  const n = (role: Role) => nameOf(profile, role);
  const runtime = profile === 'gvisor-baseline' ? 'runsc' : 'runc';
  return runProgramUnderMocks(() => {
    const shared = new docker.Network(`${SHORT[profile]}-shared`, { name: `${SHORT[profile]}-shared` });
    const insecure = (role: Role, command: string[]) =>
      new docker.Container(n(role), {
        image,
        command,
        runtime,
        user: '0',
        capabilities: { adds: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] },
        securityOpts: ['seccomp=unconfined', ...(apparmor ? ['apparmor=unconfined'] : [])],
        readOnly: false,
        tmpfs: { '/tmp': 'rw,exec,size=64m' },
        networksAdvanced: [{ name: shared.name }],
      });
    insecure('probe', IDLE);
    insecure('mem', IDLE);
    insecure('a', IDLE);
    insecure('b', SERVER);
    insecure('c', IDLE);
    insecure('d', SERVER);
  });
}
