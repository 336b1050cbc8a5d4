import { forbidSecurityOpt } from './support/security-opts.js';
import type { ContainerRule } from './types.js';

/** SELinux types a container process may run as (PSS baseline's list). */
const CONTAINER_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** CIS 5.3: keep SELinux labelling; do not disable it or pick a privileged type. */
export const selinuxNotDisabled: ContainerRule = {
  id: 'selinux-not-disabled',
  scope: 'container',
  title: 'Containers must not disable SELinux labelling',
  severity: 'high',
  level: 'baseline',
  rationale:
    'On SELinux hosts (RHEL, Fedora) the container_t type keeps a process away from host files even when ' +
    'it runs as root. `label=disable` runs it unconfined, and a custom type such as spc_t, user or role ' +
    'gives it the host policy of a privileged process.',
  remediation: {
    pulumi:
      'Remove `"label=disable"` (and any `label=type:`, `label=user:` or `label=role:` entry outside the ' +
      'container types) from `securityOpts`.',
    compose: 'Remove `label:disable` (or `label=disable`) from `security_opt`.',
    dockerRun: 'Do not pass `--security-opt label=disable`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.3',
    pss: 'SELinux (baseline)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
  },
  example: {
    insecure: { securityOpt: ['no-new-privileges:true', 'apparmor=docker-default', 'label=disable'] },
    fails: 'securityOpt[2]',
  },
  check: (spec) =>
    forbidSecurityOpt(spec, (o) => {
      if (o.key !== 'label') return false;
      const value = o.value.trim();
      const lower = value.toLowerCase();
      if (lower === 'disable') return 'disables SELinux labelling';
      const m = /^(type|user|role)\s*[:=]\s*(.*)$/i.exec(value);
      if (!m) return false;
      const part = m[1]!.toLowerCase();
      if (part === 'type') {
        return CONTAINER_TYPES.has(m[2]!.trim()) ? false : 'sets an SELinux type outside the container types';
      }
      return `sets an SELinux ${part}, which only privileged workloads need`;
    }),
};
