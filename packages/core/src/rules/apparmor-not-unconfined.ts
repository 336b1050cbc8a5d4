import { forbidSecurityOpt } from './support/security-opts.js';
import type { ContainerRule } from './types.js';

/** CIS 5.2: keep the docker-default (or a custom) AppArmor profile. */
export const apparmorNotUnconfined: ContainerRule = {
  id: 'apparmor-not-unconfined',
  scope: 'container',
  title: 'Containers must not disable AppArmor',
  severity: 'high',
  level: 'baseline',
  rationale:
    "On AppArmor hosts (Debian, Ubuntu) Docker's docker-default profile denies writes to /proc and /sys " +
    'files, mount and ptrace of the host. `apparmor=unconfined` removes those denials, so a process that ' +
    'gains a capability can use it against the host.',
  remediation: {
    pulumi:
      'Remove `"apparmor=unconfined"` from `securityOpts` (or name a custom profile: `"apparmor=<profile>"`).',
    compose: 'Remove `apparmor:unconfined` from `security_opt`.',
    dockerRun: 'Do not pass `--security-opt apparmor=unconfined`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.2',
    pss: 'AppArmor (baseline)',
    docs: 'https://docs.docker.com/engine/security/apparmor/',
  },
  example: {
    insecure: { securityOpt: ['no-new-privileges:true', 'apparmor=unconfined'] },
    fails: 'securityOpt[1]',
  },
  check: (spec) =>
    forbidSecurityOpt(spec, (o) =>
      o.key === 'apparmor' && o.value.trim().toLowerCase() === 'unconfined'
        ? 'disables the AppArmor profile'
        : false,
    ),
};
