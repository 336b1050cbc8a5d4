import {
  allowedSyscalls,
  dockerDefaultProfile,
  KNOWN_SYSCALLS,
  validateSeccompProfile,
} from '../seccomp/index.js';
import { canExpress } from './support/outcomes.js';
import { securityOpts } from './support/security-opts.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

let dockerDefault: ReadonlySet<string> | undefined;
const KNOWN: ReadonlySet<string> = new Set(KNOWN_SYSCALLS);

/** Restricted, advisory: the container's filter should allow no more than its learned profile. */
export const seccompWithinLearnedProfile: ContainerRule = {
  id: 'seccomp-within-learned-profile',
  scope: 'container',
  title: 'Seccomp profiles should allow no more system calls than the workload was seen to use',
  severity: 'low',
  level: 'restricted',
  rationale:
    "Docker's default profile allows about 350 system calls; a typical service makes a few dozen. Every " +
    'allowed call the workload never makes is kernel attack surface left open for an attacker who gets code ' +
    'execution in the container. When a profile was learned from the workload (`bulkhead seccomp learn`), ' +
    'the container should run with it, or with nothing broader. The rule applies only where a learned ' +
    'profile was given (`bulkhead validate --learned-profile`).',
  remediation: {
    pulumi:
      'Pass the learned profile to HardenedContainer: `seccomp: { profile: readFileSync("<file>", "utf8") }`, ' +
      'or `securityOpts: [seccompSecurityOpt(profile)]` with the validated profile.',
    compose: 'Put the learned profile JSON inline in `security_opt: ["seccomp=<profile JSON>"]`.',
    dockerRun: 'Pass `--security-opt seccomp=<learned profile file>`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.22',
    pss: 'Seccomp (restricted)',
    docs: 'https://docs.docker.com/engine/security/seccomp/',
  },
  example: {
    insecure: { learnedSeccomp: { allowed: ['read', 'write', 'exit_group'], source: 'learned.json' } },
    fails: 'securityOpt',
  },
  check(spec) {
    const learned = spec.learnedSeccomp;
    if (learned === undefined || !canExpress(spec, 'securityOpt')) return pass();
    const parsed = securityOpts(spec);
    if (parsed === 'unknown') return unknown('securityOpt');
    const opt = parsed.opts.findLast((o) => o.key === 'seccomp');
    const later = parsed.unknownAt.find((i) => opt === undefined || i > opt.index);
    if (later !== undefined) return unknown(`securityOpt[${later}]`);
    const path = opt ? `securityOpt[${opt.index}]` : 'securityOpt';
    const value = opt?.value.trim() ?? '';
    let allowed: ReadonlySet<string>;
    let what: string;
    if (opt === undefined || value === '' || value.toLowerCase() === 'builtin') {
      dockerDefault ??= allowedSyscalls(dockerDefaultProfile());
      allowed = dockerDefault;
      what = "Docker's default seccomp profile";
    } else if (value.toLowerCase() === 'unconfined') {
      allowed = new Set(KNOWN_SYSCALLS);
      what = 'no seccomp filter (unconfined)';
    } else {
      const result = validateSeccompProfile(value);
      // A path, a malformed or an allow-by-default profile is seccomp-profile-valid's finding.
      if (!result.ok) return pass();
      allowed = allowedSyscalls(result.profile);
      what = 'its seccomp profile';
    }
    const learnedSet = new Set(learned.allowed);
    // Only Linux syscall names, so the message never carries other text from the profile.
    const extra = [...allowed].filter((n) => !learnedSet.has(n) && KNOWN.has(n)).sort();
    if (extra.length === 0) return pass();
    const shown = extra.slice(0, 5).join(', ');
    return fail(
      path,
      `${what} allows ${extra.length} system call${extra.length === 1 ? '' : 's'} the learned profile does not ` +
        `(${shown}${extra.length > 5 ? ', …' : ''}); run it with the learned profile`,
    );
  },
};
