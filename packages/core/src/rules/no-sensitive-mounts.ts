import { judgeHostSources } from './support/host-sources.js';
import { type ContainerRule, fail, type Severity } from './types.js';

/** How bad mounting a host location is, read-only and read-write; `undefined` read-only = allowed. */
interface Grade {
  readOnly: Severity | undefined;
  readWrite: Severity;
}

const CREDENTIALS: Grade = { readOnly: 'critical', readWrite: 'critical' };
const KERNEL: Grade = { readOnly: 'high', readWrite: 'critical' };
const ENGINE_STATE: Grade = { readOnly: 'critical', readWrite: 'critical' };
const SYSTEM: Grade = { readOnly: 'medium', readWrite: 'high' };
const PUBLIC_DATA: Grade = { readOnly: undefined, readWrite: 'high' };

/**
 * Host locations, most specific first: a path takes the grade of the longest entry that is the
 * path itself or one of its parent directories (`exact` entries match only the path itself).
 * Why each grade is what it is, is in the rule's rationale.
 */
const LOCATIONS: readonly { path: string; grade: Grade; exact?: true }[] = [
  // The whole host filesystem.
  { path: '/', grade: CREDENTIALS, exact: true },
  // Credentials: reading them is the compromise.
  { path: '/etc', grade: CREDENTIALS, exact: true },
  { path: '/etc/shadow', grade: CREDENTIALS },
  { path: '/etc/gshadow', grade: CREDENTIALS },
  { path: '/etc/shadow-', grade: CREDENTIALS },
  { path: '/etc/gshadow-', grade: CREDENTIALS },
  { path: '/etc/sudoers', grade: CREDENTIALS },
  { path: '/etc/sudoers.d', grade: CREDENTIALS },
  { path: '/etc/ssh', grade: CREDENTIALS },
  { path: '/etc/kubernetes', grade: CREDENTIALS },
  { path: '/etc/docker', grade: CREDENTIALS },
  { path: '/root', grade: CREDENTIALS },
  { path: '/home', grade: CREDENTIALS, exact: true },
  // Engine and orchestrator state: every other container's filesystem, volumes and secrets.
  { path: '/var/lib/docker', grade: ENGINE_STATE },
  { path: '/var/lib/containerd', grade: ENGINE_STATE },
  { path: '/var/lib/kubelet', grade: ENGINE_STATE },
  { path: '/var/lib/containers', grade: ENGINE_STATE },
  { path: '/var/lib/cri-o', grade: ENGINE_STATE },
  { path: '/var/spool/cron', grade: ENGINE_STATE },
  // Kernel interfaces: written, they change the running kernel or devices; read, they leak every host process.
  { path: '/proc', grade: KERNEL },
  { path: '/sys', grade: KERNEL },
  { path: '/dev', grade: KERNEL },
  { path: '/boot', grade: KERNEL },
  { path: '/lib/modules', grade: KERNEL },
  { path: '/usr/lib/modules', grade: KERNEL },
  // Host programs, libraries and configuration: written, they run as root on the host next time.
  { path: '/etc', grade: SYSTEM },
  { path: '/bin', grade: SYSTEM },
  { path: '/sbin', grade: SYSTEM },
  { path: '/lib', grade: SYSTEM },
  { path: '/lib32', grade: SYSTEM },
  { path: '/lib64', grade: SYSTEM },
  { path: '/libx32', grade: SYSTEM },
  { path: '/usr', grade: SYSTEM },
  { path: '/var', grade: SYSTEM, exact: true },
  { path: '/var/lib', grade: SYSTEM, exact: true },
  { path: '/var/log', grade: SYSTEM },
  { path: '/run', grade: SYSTEM, exact: true },
  { path: '/var/run', grade: SYSTEM, exact: true },
  // Public data every host has: commonly mounted read-only (time zone, CA certificates).
  { path: '/etc/localtime', grade: PUBLIC_DATA },
  { path: '/etc/timezone', grade: PUBLIC_DATA },
  { path: '/usr/share/zoneinfo', grade: PUBLIC_DATA },
  { path: '/etc/ssl/certs', grade: PUBLIC_DATA },
  { path: '/etc/ca-certificates', grade: PUBLIC_DATA },
  { path: '/etc/pki/ca-trust', grade: PUBLIC_DATA },
  { path: '/usr/share/ca-certificates', grade: PUBLIC_DATA },
];

const BY_PATH = new Map<string, { grade: Grade; exact: boolean }[]>();
for (const l of LOCATIONS) {
  const list = BY_PATH.get(l.path) ?? [];
  list.push({ grade: l.grade, exact: l.exact === true });
  BY_PATH.set(l.path, list);
}

/**
 * The grade of a normalized host path: the entry for the path itself, else the nearest parent
 * directory's entry that covers its subtree; `undefined` when the path is not sensitive.
 */
function gradeOf(path: string): Grade | undefined {
  if (!path.startsWith('/')) return undefined;
  let p = path;
  for (;;) {
    const hits = BY_PATH.get(p);
    if (hits) {
      const hit = p === path ? hits[0] : hits.find((h) => !h.exact);
      if (hit) return hit.grade;
    }
    if (p === '/') return undefined;
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
  }
}

/**
 * The severity of mounting a normalized host path (`readOnly` says how), or `undefined` when the
 * mount is not sensitive.
 */
export function sensitiveMountSeverity(path: string, readOnly: boolean): Severity | undefined {
  const g = gradeOf(path);
  if (!g) return undefined;
  return readOnly ? g.readOnly : g.readWrite;
}

/** True when a normalized host path is a sensitive host location (read-write). */
export function isSensitiveHostPath(path: string): boolean {
  return gradeOf(path) !== undefined;
}

/** CIS 5.6: sensitive host directories give the container the host's configuration, kernel or state. */
export const noSensitiveMounts: ContainerRule = {
  id: 'no-sensitive-mounts',
  scope: 'container',
  title: 'Containers must not mount sensitive host directories',
  severity: 'high',
  level: 'baseline',
  rationale:
    'Mounting a system directory, or any directory below one, gives the container the secrets, ' +
    'kernel interfaces or programs of the host. Each finding is graded by what the location exposes (the longest ' +
    'matching entry wins; paths are compared after removing `//`, `.`, `..` and trailing slashes). ' +
    '**Critical**, read-only or not: `/` itself (the whole host), `/etc` itself, credentials ' +
    '(`/etc/shadow`, `/etc/gshadow`, `/etc/sudoers(.d)`, `/etc/ssh`, `/etc/kubernetes`, `/etc/docker`, ' +
    '`/root`, `/home` itself) because reading them is the compromise, and the state of the container ' +
    'engines and cron (`/var/lib/docker`, `/var/lib/containerd`, `/var/lib/kubelet`, `/var/lib/containers`, ' +
    '`/var/lib/cri-o`, `/var/spool/cron`) because it holds the filesystems, volumes and secrets of every ' +
    'other container, or runs code as root. **Critical read-write, high read-only**: the kernel interfaces ' +
    '`/proc`, `/sys`, `/dev`, `/boot`, `/lib/modules` and `/usr/lib/modules` and everything below them: ' +
    'written, they change the running or next-booted kernel and its devices (a container escape); read, ' +
    'they still expose every host process, device and kernel setting. **High read-write, medium ' +
    'read-only**: the rest of `/etc`, `/bin`, `/sbin`, `/lib*`, `/usr`, `/var/log` and below, and `/var`, ' +
    '`/var/lib`, `/run`, `/var/run` themselves: written, they replace programs or configuration the host ' +
    'runs as root; read, they disclose configuration and logs. **Allowed read-only, high read-write**: ' +
    'public data every host carries (`/etc/localtime`, `/etc/timezone`, `/usr/share/zoneinfo`, ' +
    '`/etc/ssl/certs`, `/etc/ca-certificates`, `/etc/pki/ca-trust`, `/usr/share/ca-certificates`): ' +
    'written, a planted CA certificate lets the container intercept the TLS connections of the host. ' +
    'Engine sockets are judged by `no-docker-socket`; symbolic links on the host are not followed.',
  remediation: {
    pulumi:
      'Mount only an application-specific directory (or a named volume) in `volumes`/`mounts`, read-only ' +
      'where possible.',
    compose: 'Replace the host-directory bind in `volumes` with an application directory or a named volume.',
    dockerRun: 'Bind only application directories (`-v /srv/app/data:/data:ro`) or use named volumes.',
  },
  references: {
    nist: '4.5.5',
    cis: '5.6',
    docs: 'https://docs.docker.com/engine/storage/bind-mounts/',
  },
  example: {
    insecure: { mounts: [{ type: 'bind', source: '/etc', target: '/host/etc', readOnly: true }] },
    fails: 'mounts[0].source',
  },
  check(spec) {
    return judgeHostSources(spec, (s) => {
      // A read-only flag not known yet is judged as read-write: the worse case.
      const readOnly = s.readOnly === true;
      const severity = sensitiveMountSeverity(s.path, readOnly);
      if (severity === undefined) return undefined;
      return fail(
        `mounts[${s.index}].source`,
        readOnly ? 'mounts a sensitive host directory' : 'mounts a sensitive host directory read-write',
        severity,
      );
    });
  },
};
