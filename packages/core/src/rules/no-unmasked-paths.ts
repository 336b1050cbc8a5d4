import { forbidSecurityOpt } from './support/security-opts.js';
import type { ContainerRule } from './types.js';

/** PSS baseline "Procfs Mount Type": keep /proc and /sys paths masked and read-only. */
export const noUnmaskedPaths: ContainerRule = {
  id: 'no-unmasked-paths',
  scope: 'container',
  title: 'Containers must keep /proc and /sys masked',
  severity: 'critical',
  level: 'baseline',
  rationale:
    'Docker masks files such as /proc/kcore, /proc/sysrq-trigger and /sys/firmware and mounts parts of ' +
    '/proc read-only. `systempaths=unconfined` exposes them: a process can read kernel memory, trigger ' +
    'sysrq or change kernel settings that affect the whole host.',
  remediation: {
    pulumi: 'Remove `"systempaths=unconfined"` from `securityOpts`.',
    compose: 'Remove `systempaths=unconfined` from `security_opt`.',
    dockerRun: 'Do not pass `--security-opt systempaths=unconfined`.',
  },
  references: {
    nist: '4.4.3',
    pss: 'Procfs Mount Type (baseline)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
  },
  example: {
    insecure: {
      securityOpt: ['no-new-privileges:true', 'apparmor=docker-default', 'systempaths=unconfined'],
    },
    fails: 'securityOpt[2]',
  },
  check: (spec) =>
    forbidSecurityOpt(spec, (o) =>
      o.key === 'systempaths' && o.value.trim().toLowerCase() === 'unconfined'
        ? 'unmasks /proc and /sys paths'
        : false,
    ),
};
