import { isLearnedProfile, validateSeccompProfile } from '../seccomp/index.js';
import { NNP_ON } from './no-new-privileges.js';
import { capAdds, capName } from './support/capabilities.js';
import { canExpress, collect } from './support/outcomes.js';
import { securityOpts } from './support/security-opts.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

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
const verdicts = new Map<string, Verdict>();
/** What the rule concludes about one profile text. */
interface Verdict {
  messages: readonly string[];
  /** Calls allowed more widely than Docker's default, each with the capabilities that would justify it. */
  dangerous: readonly { message: string; caps: readonly string[] }[];
  /** Learned by `bulkhead seccomp learn`: needs no-new-privileges. */
  learned: boolean;
}
/** How many distinct profile texts keep their verdict. */
const VERDICT_CACHE_SIZE = 32;

/** The failure messages for one profile text (none when it is valid), and whether it was learned. */
function profileErrors(text: string): Verdict {
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    const result = validateSeccompProfile(text);
    // Dangerous allowances name only syscalls and capabilities from Bulkhead's own lists.
    verdict = result.ok
      ? {
          messages: [],
          dangerous: result.warnings
            .filter((w) => w.kind === 'dangerous')
            .map((w) => ({
              message: `seccomp profile ${w.path}: ${w.message}`,
              caps: (w.caps ?? []).map(capName),
            })),
          learned: isLearnedProfile(result.profile),
        }
      : {
          messages: result.errors.map((e) => `seccomp profile ${e.path}: ${withoutValues(e.message)}`),
          dangerous: [],
          learned: false,
        };
    if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(text, verdict);
  }
  return verdict;
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
    "Compose often talk to Docker): the JSON must go inline. A profile that allows a call Docker's default " +
    'keeps for containers holding a capability (mount, unshare, setns, bpf, ptrace, init_module, reboot…, ' +
    "derived from Docker's own data) re-opens what the default closes, and is flagged with the reason. A " +
    'profile learned by `bulkhead seccomp learn` lists only the calls made after runc set no_new_privs, so ' +
    'it works only together with no-new-privileges.',
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
    nist: '4.4.3',
    cis: '5.22',
    pss: 'Seccomp (restricted)',
    docs: 'https://docs.docker.com/engine/security/seccomp/',
  },
  example: {
    insecure: {
      securityOpt: [
        'no-new-privileges:true',
        'apparmor=docker-default',
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}',
      ],
    },
    fails: 'securityOpt[2]',
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
      const verdict = profileErrors(value);
      for (const message of verdict.messages) out.push(fail(path, message));
      if (verdict.dangerous.length > 0) {
        // A container that keeps the capability gets the call under Docker's default profile too.
        const adds = capAdds(spec);
        const kept = new Set(adds === 'unknown' ? [] : adds.caps.map((c) => c.name));
        for (const d of verdict.dangerous) {
          if (!kept.has('ALL') && !d.caps.some((c) => kept.has(c))) out.push(fail(path, d.message));
        }
      }
      if (verdict.learned) {
        const nnp = parsed.opts.findLast((o) => o.key === 'no-new-privileges');
        const nnpUnknown = parsed.unknownAt.some((i) => nnp === undefined || i > nnp.index);
        if (!nnpUnknown && (nnp === undefined || !NNP_ON.has(nnp.value.trim().toLowerCase()))) {
          out.push(
            fail(
              path,
              'uses a profile learned by `bulkhead seccomp learn` without no-new-privileges: a learned profile ' +
                'lists only the calls made after runc set no_new_privs; without it runc installs the filter ' +
                'before dropping privileges and the container fails to start ("operation not permitted"); ' +
                'add no-new-privileges:true',
            ),
          );
        }
      }
    }
    for (const i of parsed.unknownAt) out.push(unknown(`securityOpt[${i}]`));
    return collect(out);
  },
};
