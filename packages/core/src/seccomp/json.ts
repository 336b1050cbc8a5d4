import { InputError } from '../errors.js';
import type { SeccompArg, SeccompFilter, SeccompProfile, SeccompSyscall } from './types.js';
import { conditionKey, validateSeccompProfile } from './validate.js';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = <T extends string>(xs: readonly T[]): T[] => [...new Set(xs)].sort(byCodeUnit);

function canonicalFilter(f: SeccompFilter | undefined): SeccompFilter | undefined {
  if (!f) return undefined;
  const out: SeccompFilter = {};
  if (f.arches?.length) out.arches = sortedUnique(f.arches);
  if (f.caps?.length) out.caps = sortedUnique(f.caps);
  if (f.minKernel) out.minKernel = f.minKernel;
  return Object.keys(out).length ? out : undefined;
}

function canonicalArg(a: SeccompArg): SeccompArg {
  // valueTwo 0 is what Docker assumes when it is absent.
  return a.valueTwo
    ? { index: a.index, value: a.value, valueTwo: a.valueTwo, op: a.op }
    : { index: a.index, value: a.value, op: a.op };
}

const argKey = (a: SeccompArg) => `${a.index}:${a.op}:${a.value}:${a.valueTwo ?? 0}`;

/** One entry with fixed key order, sorted arrays and no empty fields (names left for the caller). */
function canonicalEntry(s: SeccompSyscall, names: string[]): SeccompSyscall {
  const out: SeccompSyscall = { names, action: s.action };
  if (s.errnoRet !== undefined) out.errnoRet = s.errnoRet;
  if (s.args?.length) {
    const args = new Map(s.args.map((a) => [argKey(a), canonicalArg(a)]));
    out.args = [...args.entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([, a]) => a);
  }
  const includes = canonicalFilter(s.includes);
  if (includes) out.includes = includes;
  const excludes = canonicalFilter(s.excludes);
  if (excludes) out.excludes = excludes;
  if (s.comment) out.comment = s.comment;
  return out;
}

/** True when an entry applies with no argument, architecture, capability or kernel condition. */
export function isUnconditional(s: SeccompSyscall): boolean {
  return !s.args?.length && !canonicalFilter(s.includes) && !canonicalFilter(s.excludes);
}

/**
 * The canonical form of a profile: fixed key order, sorted and de-duplicated names, arguments,
 * architectures and conditions, and entries that differ only in their names merged into one,
 * then ordered deterministically (unconditional entries first). Seccomp matching does not depend
 * on entry order, so the canonical form means exactly what the input means.
 */
export function canonicalSeccompProfile(profile: SeccompProfile): SeccompProfile {
  const out: SeccompProfile = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  if (profile.architectures?.length) out.architectures = sortedUnique(profile.architectures);
  if (profile.archMap?.length) {
    const byArch = new Map(profile.archMap.map((m) => [m.architecture, m]));
    out.archMap = [...byArch.values()]
      .sort((a, b) => byCodeUnit(a.architecture, b.architecture))
      .map((m) => ({
        architecture: m.architecture,
        subArchitectures: sortedUnique(m.subArchitectures ?? []),
      }));
  }
  if (profile.listenerPath !== undefined) out.listenerPath = profile.listenerPath;
  if (profile.listenerMetadata !== undefined) out.listenerMetadata = profile.listenerMetadata;
  if (profile.flags?.length) out.flags = sortedUnique(profile.flags);

  const groups = new Map<string, { entry: SeccompSyscall; names: Set<string> }>();
  for (const s of profile.syscalls ?? []) {
    const shape = canonicalEntry(s, []);
    const key = JSON.stringify(shape);
    const group = groups.get(key) ?? { entry: shape, names: new Set<string>() };
    for (const n of s.names) group.names.add(n);
    groups.set(key, group);
  }
  const entries = [...groups.values()]
    .filter((g) => g.names.size > 0)
    .map((g) => ({ ...g.entry, names: sortedUnique([...g.names]) }));
  const sortKey = (s: SeccompSyscall) =>
    `${isUnconditional(s) ? 0 : 1}|${s.action}|${String(s.errnoRet ?? '').padStart(4, '0')}|${s.names[0]}|${conditionKey(s)}|${s.comment ?? ''}`;
  entries.sort((a, b) => byCodeUnit(sortKey(a), sortKey(b)));
  out.syscalls = entries;
  return out;
}

/**
 * Serializes a profile as compact, stable JSON (see {@link canonicalSeccompProfile}): the same
 * profile always gives the same string, whatever the order of its names or entries. Suitable for
 * `docker run --security-opt seccomp=<file>` and the Engine API's inline `seccomp=<json>`.
 */
export function seccompToJson(profile: SeccompProfile): string {
  return JSON.stringify(canonicalSeccompProfile(profile));
}

/**
 * The security option carrying a profile inline: `seccomp=<json>`, as the Docker Engine API and
 * the Pulumi docker provider's `securityOpts` take it.
 * @throws {@link InputError} when the profile is not valid (see `validateSeccompProfile`).
 */
export function seccompSecurityOpt(profile: SeccompProfile): string {
  const result = validateSeccompProfile(profile);
  if (!result.ok) {
    throw new InputError(
      `Invalid seccomp profile:\n${result.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
      result.errors.map((e) => e.path),
    );
  }
  return `seccomp=${seccompToJson(result.profile)}`;
}
