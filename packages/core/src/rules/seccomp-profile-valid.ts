import { validateSeccompProfile } from '../seccomp/index.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';
import { canExpress, collect, securityOpts } from './util.js';

/** Values of `seccomp=` that are not a custom profile. */
const NOT_A_PROFILE = new Set(['unconfined', 'builtin']);

/** Replaces quoted fragments in a validator message, so no token of the profile is echoed. */
function withoutValues(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, 'a value');
}

/**
 * Validation messages per profile text. Stacks repeat one profile across many containers (every
 * HardenedContainer built from the same allowlist carries the same JSON), so the verdict is kept
 * for the most recent {@link VERDICT_CACHE_SIZE} distinct profiles.
 */
const verdicts = new Map<string, readonly string[]>();
/** How many distinct profile texts keep their verdict. */
const VERDICT_CACHE_SIZE = 32;

/** The failure messages for one profile text (none when it is valid). */
function profileErrors(text: string): readonly string[] {
  let messages = verdicts.get(text);
  if (messages === undefined) {
    const result = validateSeccompProfile(text);
    messages = result.ok
      ? []
      : result.errors.map((e) => `seccomp profile ${e.path}: ${withoutValues(e.message)}`);
    if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(text, messages);
  }
  return messages;
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
      for (const message of profileErrors(value)) out.push(fail(path, message));
    }
    for (const i of parsed.unknownAt) out.push(unknown(`securityOpt[${i}]`));
    return collect(out);
  },
};
