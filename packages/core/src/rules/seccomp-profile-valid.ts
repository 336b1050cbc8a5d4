import { validateSeccompProfile } from '../seccomp/index.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';
import { canExpress, collect, securityOpts } from './util.js';

/** Values of `seccomp=` that are not a custom profile. */
const NOT_A_PROFILE = new Set(['unconfined', 'builtin']);

/** Replaces quoted fragments in a validator message, so no token of the profile is echoed. */
function withoutValues(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, 'a value');
}

/** CIS 5.22: a custom seccomp profile must be well-formed, inline, and deny by default. */
export const seccompProfileValid: ContainerRule = {
  id: 'seccomp-profile-valid',
  scope: 'container',
  title: 'Custom seccomp profiles must be valid inline JSON that denies by default',
  severity: 'high',
  level: 'baseline',
  rationale:
    "A custom profile replaces Docker's default filter entirely. One with defaultAction SCMP_ACT_ALLOW is " +
    'a denylist that misses every syscall nobody thought of; a malformed one makes the container fail to ' +
    'start or, with a typo in an action, silently allows more than intended. A profile given as a file ' +
    'path is read by the client, so it does not work with a remote daemon (which is how Pulumi and ' +
    'Compose often talk to Docker): the JSON must go inline.',
  remediation: {
    pulumi:
      'Build the profile with `buildSeccompProfile` from `@bulkhead/core` and pass it inline: ' +
      '`securityOpts: [seccompSecurityOpt(profile)]` (`"seccomp=<profile JSON>"`), with defaultAction ' +
      'SCMP_ACT_ERRNO.',
    compose:
      'Put the profile JSON inline in `security_opt: ["seccomp=<profile JSON>"]`, or keep the file next to the ' +
      'compose file only when the daemon is local; deny by default.',
    dockerRun: 'Pass `--security-opt seccomp=<profile JSON>` with defaultAction SCMP_ACT_ERRNO.',
  },
  references: {
    cis: '5.22',
    pss: 'Seccomp (restricted)',
    docs: 'https://docs.docker.com/engine/security/seccomp/',
  },
  check(spec) {
    if (!canExpress(spec, 'securityOpt')) return collect([]);
    const parsed = securityOpts(spec);
    if (parsed === 'unknown') return unknown('securityOpt');
    const out: Outcome[] = [];
    for (const opt of parsed.opts) {
      if (opt.key !== 'seccomp') continue;
      const path = `securityOpt[${opt.index}]`;
      const value = opt.value.trim();
      if (NOT_A_PROFILE.has(value.toLowerCase())) continue;
      if (value === '') {
        out.push(fail(path, 'gives seccomp= without a profile'));
        continue;
      }
      if (!value.startsWith('{')) {
        out.push(
          fail(
            path,
            'gives a seccomp profile as a file path, which does not work with a remote daemon; pass the ' +
              'profile JSON inline (seccomp=<json>)',
          ),
        );
        continue;
      }
      const result = validateSeccompProfile(value);
      if (result.ok) continue;
      for (const e of result.errors) {
        out.push(fail(path, `seccomp profile ${e.path}: ${withoutValues(e.message)}`));
      }
    }
    for (const i of parsed.unknownAt) out.push(unknown(`securityOpt[${i}]`));
    return collect(out);
  },
};
