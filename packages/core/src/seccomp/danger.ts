/**
 * Which allowed syscalls make a profile weaker than Docker's default, derived from the recorded
 * moby data (docker-default.ts), not from a hand-kept list: a name Docker allows only under a
 * capability (`includes.caps`) — or, for `ptrace` and `process_vm_*`, on kernels from 4.8, and for
 * `clone`, without namespace flags — is dangerous when a profile allows it with less.
 */
import { CLONE_NAMESPACE_MASK, DOCKER_DEFAULT_RULES, type DockerDefaultRule } from './docker-default.js';
import {
  ALLOW_ACTIONS,
  type Capability,
  type SeccompIssue,
  type SeccompProfile,
  type SeccompSyscall,
} from './types.js';

/** One dangerous name: the capabilities Docker requires for it and why. */
export interface CapabilityGated {
  name: string;
  /** Any one of these lets Docker allow the call (CAP_BPF or CAP_SYS_ADMIN for `bpf`). */
  caps: readonly Capability[];
  /** Docker's reason, from the rule that gates it. */
  why: string;
}

const isUnconditionalAllow = (r: DockerDefaultRule) =>
  r.action === 'allow' && !r.args && !r.onlyIf && !r.unless;

/**
 * The calls Docker's default profile allows only under a capability, derived from its rules'
 * `includes.caps`, minus the names it allows to every container. Sorted by name.
 */
export const CAPABILITY_GATED: readonly CapabilityGated[] = (() => {
  const free = new Set(DOCKER_DEFAULT_RULES.filter(isUnconditionalAllow).flatMap((r) => r.names));
  const byName = new Map<string, { caps: Set<Capability>; why: string }>();
  for (const r of DOCKER_DEFAULT_RULES) {
    if (r.action !== 'allow' || !r.onlyIf?.caps?.length) continue;
    for (const name of r.names) {
      if (free.has(name)) continue;
      const e = byName.get(name) ?? { caps: new Set<Capability>(), why: r.why };
      for (const c of r.onlyIf.caps) e.caps.add(c);
      byName.set(name, e);
    }
  }
  return Object.freeze(
    [...byName]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, e]) => Object.freeze({ name, caps: Object.freeze([...e.caps].sort()), why: e.why })),
  );
})();

const GATED = new Map(CAPABILITY_GATED.map((g) => [g.name, g]));

/** Kernel versions compared as numbers (`4.10` > `4.8`). */
function kernelAtLeast(have: string | undefined, need: string): boolean {
  if (have === undefined) return false;
  const [a = 0, b = 0] = have.split('.').map(Number);
  const [c = 0, d = 0] = need.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

/**
 * True when entry `e` allows `name` no more widely than one of Docker's own cap-less rules for it:
 * the same argument filters (clone without namespace flags) and at least its kernel condition.
 */
function asNarrowAsDocker(name: string, e: SeccompSyscall): boolean {
  for (const r of DOCKER_DEFAULT_RULES) {
    if (r.action !== 'allow' || !r.names.includes(name) || r.onlyIf?.caps?.length) continue;
    if (r.onlyIf?.minKernel && !kernelAtLeast(e.includes?.minKernel, r.onlyIf.minKernel)) continue;
    const args = r.args ?? [];
    const same = args.every((a) =>
      (e.args ?? []).some((b) => b.index === a.index && b.op === a.op && b.value === a.value),
    );
    if (same) return true;
  }
  return false;
}

/**
 * The allow entries of a profile that let a container make a call Docker's default profile keeps
 * for containers holding a capability, each with Docker's reason. An entry is fine when it is
 * conditioned on one of those capabilities (`includes.caps`) or is as narrow as Docker's cap-less
 * rule for the name (`clone` with the namespace-flag filter, `ptrace` from kernel 4.8).
 */
export function dangerousAllowances(profile: SeccompProfile): SeccompIssue[] {
  const out: SeccompIssue[] = [];
  (profile.syscalls ?? []).forEach((e, i) => {
    if (!(ALLOW_ACTIONS as readonly string[]).includes(e.action)) return;
    e.names.forEach((name, j) => {
      const g = GATED.get(name);
      if (!g) return;
      if (e.includes?.caps?.some((c) => (g.caps as readonly string[]).includes(c))) return;
      if (asNarrowAsDocker(name, e)) return;
      const extra =
        name === 'clone'
          ? ` (Docker allows clone without it only when no namespace flag is set: args [{index: 0, value: ${CLONE_NAMESPACE_MASK}, op: SCMP_CMP_MASKED_EQ}])`
          : '';
      out.push({
        caps: g.caps,
        path: `syscalls[${i}].names[${j}]`,
        message:
          `allows ${name}, which Docker's default profile allows only with ${g.caps.join(' or ')}: ${g.why}${extra}; ` +
          `remove it, or add includes: {caps: [${g.caps[0]}]} if the container keeps that capability`,
      });
    });
  });
  return out;
}

/**
 * The `comment` marker `bulkhead seccomp learn` writes on a learned profile's entries: such a
 * profile lists only the calls the workload made after runc set no_new_privs, so it works only
 * with no-new-privileges (without it runc installs the filter earlier and the container fails to
 * start with "operation not permitted").
 */
export const LEARNED_MARKER = 'learned by bulkhead seccomp learn';
/** What the learned profile's comment says about its requirement. */
export const LEARNED_REQUIRES_NNP = 'requires no-new-privileges';

/** True for a profile learned by `bulkhead seccomp learn` (its entries carry {@link LEARNED_MARKER}). */
export function isLearnedProfile(profile: SeccompProfile): boolean {
  return (profile.syscalls ?? []).some((s) => s.comment?.includes(LEARNED_MARKER) === true);
}
