import { type ContainerRule, fail } from './types.js';
import { judgeHostSources } from './util.js';

/** Host directories that must not be mounted themselves (CIS 5.6 plus the engines' state). */
const EXACT = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/proc',
  '/root',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/var/lib',
]);

/** Trees where every path below is sensitive too. */
const TREES = [
  '/boot',
  '/proc',
  '/sys',
  '/root',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
];

/** Individual files that hold host credentials. */
const FILES = new Set(['/etc/shadow', '/etc/gshadow', '/etc/sudoers']);

/** True when a normalized host path is a sensitive host location. */
export function isSensitiveHostPath(path: string): boolean {
  if (EXACT.has(path) || FILES.has(path)) return true;
  return TREES.some((t) => path === t || path.startsWith(`${t}/`));
}

/** CIS 5.6: sensitive host directories give the container the host's configuration, kernel or state. */
export const noSensitiveMounts: ContainerRule = {
  id: 'no-sensitive-mounts',
  scope: 'container',
  title: 'Containers must not mount sensitive host directories',
  severity: 'high',
  level: 'baseline',
  rationale:
    'Mounting /, /etc, /boot, /proc, /sys, /usr, /dev or the engine state under /var/lib/docker lets a ' +
    'container read host secrets and, when writable, change host binaries, configuration or other ' +
    "containers' filesystems: a direct path to host compromise.",
  remediation: {
    pulumi:
      'Mount only an application-specific directory (or a named volume) in `volumes`/`mounts`, read-only ' +
      'where possible.',
    compose: 'Replace the host-directory bind in `volumes` with an application directory or a named volume.',
    dockerRun: 'Bind only application directories (`-v /srv/app/data:/data:ro`) or use named volumes.',
  },
  references: {
    cis: '5.6',
    docs: 'https://docs.docker.com/engine/storage/bind-mounts/',
  },
  check(spec) {
    return judgeHostSources(spec, (s) =>
      isSensitiveHostPath(s.path)
        ? fail(
            `mounts[${s.index}].source`,
            s.readOnly === true
              ? 'mounts a sensitive host directory'
              : 'mounts a sensitive host directory read-write',
          )
        : undefined,
    );
  },
};
