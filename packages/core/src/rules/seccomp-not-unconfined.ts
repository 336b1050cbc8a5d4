import { forbidSecurityOpt } from './support/security-opts.js';
import type { ContainerRule } from './types.js';

/** CIS 5.22: the default seccomp filter blocks the syscalls behind most kernel escapes. */
export const seccompNotUnconfined: ContainerRule = {
  id: 'seccomp-not-unconfined',
  scope: 'container',
  title: 'Containers must not disable seccomp',
  severity: 'critical',
  level: 'baseline',
  rationale:
    "Docker's default seccomp profile blocks about 50 syscalls (keyctl, bpf, userfaultfd, unshare of user " +
    'namespaces, kexec…) that are the entry points of many kernel privilege-escalation exploits. ' +
    '`seccomp=unconfined` removes that layer entirely.',
  remediation: {
    pulumi:
      'Remove `"seccomp=unconfined"` from `securityOpts`; if a syscall is missing, pass a custom profile ' +
      'inline as `"seccomp=<profile JSON>"` that allows just that call.',
    compose: 'Remove `seccomp:unconfined` from `security_opt`, or point it at a custom profile.',
    dockerRun: 'Do not pass `--security-opt seccomp=unconfined`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.22',
    pss: 'Seccomp (restricted)',
    docs: 'https://docs.docker.com/engine/security/seccomp/',
  },
  example: {
    insecure: { securityOpt: ['no-new-privileges:true', 'apparmor=docker-default', 'seccomp=unconfined'] },
    fails: 'securityOpt[2]',
  },
  check: (spec) =>
    forbidSecurityOpt(spec, (o) =>
      o.key === 'seccomp' && o.value.trim().toLowerCase() === 'unconfined'
        ? 'disables the seccomp filter'
        : false,
    ),
};
