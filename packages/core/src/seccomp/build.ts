import { InputError } from '../errors.js';
import {
  DOCKER_DEFAULT_ARCH_MAP,
  DOCKER_DEFAULT_ERRNO,
  DOCKER_DEFAULT_RULES,
  type DockerDefaultRule,
  type DockerRuleCondition,
} from './docker-default.js';
import { canonicalSeccompProfile, isUnconditional } from './json.js';
import { isKnownSyscall, KNOWN_SYSCALLS } from './syscalls.js';
import {
  ALLOW_ACTIONS,
  CAPABILITIES,
  type Capability,
  DENY_ACTIONS,
  type SeccompAction,
  type SeccompArch,
  type SeccompFilter,
  type SeccompProfile,
  type SeccompSyscall,
} from './types.js';
import { conditionKey, validateSeccompProfile } from './validate.js';

/** Architectures the builder can target. */
export const BUILD_ARCHITECTURES = ['x86_64', 'aarch64'] as const;
/** An architecture the builder can target. */
export type BuildArchitecture = (typeof BUILD_ARCHITECTURES)[number];

const ARCH_INFO: Record<
  BuildArchitecture,
  { native: SeccompArch; sub: SeccompArch[]; goArches: readonly string[] }
> = {
  // Go names as moby's conditions spell them, for the native ABI and its compat ABIs.
  x86_64: {
    native: 'SCMP_ARCH_X86_64',
    sub: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    goArches: ['amd64', 'x32', 'x86', '386'],
  },
  aarch64: { native: 'SCMP_ARCH_AARCH64', sub: ['SCMP_ARCH_ARM'], goArches: ['arm64', 'arm'] },
};

/** Options of {@link buildSeccompProfile}. */
export interface BuildSeccompOptions {
  /** Syscalls to allow unconditionally on top of Docker's default allowlist. */
  add?: readonly string[];
  /** Syscalls to refuse, including every conditional or argument-filtered entry for them. */
  remove?: readonly string[];
  /** Architectures the filter covers (with their compat ABIs). Default: both. */
  architectures?: readonly BuildArchitecture[];
  /** errno for refused syscalls. Default 1 (EPERM), as Docker. */
  errnoRet?: number;
  /**
   * Capabilities the container keeps (`CAP_` prefix optional). Default none, matching
   * `HardenedContainer`, which drops ALL. Docker's capability-gated groups are resolved against
   * this set when the profile is built: a group needing a capability is kept only if the
   * container has it, and the CAP_SYS_ADMIN-less filters on `clone`/`clone3` apply unless it has
   * CAP_SYS_ADMIN. The output therefore has no capability conditions.
   */
  capabilities?: readonly string[];
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function suggestion(name: string): string {
  let best: string | undefined;
  let bestD = 3;
  for (const known of KNOWN_SYSCALLS) {
    const d = editDistance(name, known);
    if (d < bestD) [best, bestD] = [known, d];
  }
  return best ? `; did you mean "${best}"?` : '; use a Linux syscall name such as "mkdirat"';
}

const short = (s: unknown) => {
  const t = typeof s === 'string' ? s : String(s);
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 37)}...` : t);
};

interface ResolvedOptions {
  add: string[];
  remove: Set<string>;
  arches: BuildArchitecture[];
  errnoRet: number;
  caps: Set<Capability>;
}

function resolveOptions(opts: BuildSeccompOptions): ResolvedOptions {
  const problems: { path: string; message: string }[] = [];
  const names = (key: 'add' | 'remove'): string[] => {
    const list = opts[key] ?? [];
    if (!Array.isArray(list)) {
      problems.push({ path: key, message: `${key} must be a list of syscall names` });
      return [];
    }
    const ok: string[] = [];
    list.forEach((n: unknown, i) => {
      if (typeof n !== 'string' || !isKnownSyscall(n)) {
        problems.push({
          path: `${key}[${i}]`,
          message: `unknown syscall ${short(n)}${typeof n === 'string' ? suggestion(n) : ''}`,
        });
      } else ok.push(n);
    });
    return ok;
  };
  const add = names('add');
  const remove = names('remove');
  const addSet = new Set(add);
  remove.forEach((n, i) => {
    if (addSet.has(n)) {
      problems.push({
        path: `remove[${(opts.remove ?? []).indexOf(n, i)}]`,
        message: `"${n}" is also in add; a syscall cannot be both added and removed`,
      });
    }
  });
  const arches = [...(opts.architectures ?? BUILD_ARCHITECTURES)];
  if (arches.length === 0)
    problems.push({ path: 'architectures', message: 'list at least one: x86_64 or aarch64' });
  arches.forEach((a, i) => {
    if (!(BUILD_ARCHITECTURES as readonly string[]).includes(a)) {
      problems.push({
        path: `architectures[${i}]`,
        message: `unknown architecture ${short(a)}; use x86_64 or aarch64`,
      });
    }
  });
  const errnoRet = opts.errnoRet ?? DOCKER_DEFAULT_ERRNO;
  if (!Number.isInteger(errnoRet) || errnoRet < 1 || errnoRet > 4095) {
    problems.push({ path: 'errnoRet', message: 'errnoRet must be an errno from 1 to 4095 (1 is EPERM)' });
  }
  const caps = new Set<Capability>();
  (opts.capabilities ?? []).forEach((c, i) => {
    const name =
      typeof c === 'string'
        ? c.toUpperCase().startsWith('CAP_')
          ? c.toUpperCase()
          : `CAP_${c.toUpperCase()}`
        : '';
    if ((CAPABILITIES as readonly string[]).includes(name)) caps.add(name as Capability);
    else
      problems.push({
        path: `capabilities[${i}]`,
        message: `unknown capability ${short(c)}; use a name such as NET_BIND_SERVICE`,
      });
  });
  if (problems.length) {
    throw new InputError(
      `Invalid seccomp options:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      problems.map((p) => p.path),
    );
  }
  return { add, remove: new Set(remove), arches: arches as BuildArchitecture[], errnoRet, caps };
}

/** Docker's condition evaluation for capabilities, done at build time. */
function capsAllow(rule: DockerDefaultRule, caps: ReadonlySet<Capability>): boolean {
  if (rule.onlyIf?.caps && !rule.onlyIf.caps.every((c) => caps.has(c))) return false;
  if (rule.unless?.caps?.some((c) => caps.has(c))) return false;
  return true;
}

function archFilter(
  cond: DockerRuleCondition | undefined,
  goArches: ReadonlySet<string>,
): string[] | undefined {
  return cond?.arches?.filter((a) => goArches.has(a));
}

/** One of moby's rules as a Docker profile entry, with capability conditions resolved away. */
function ruleToEntry(rule: DockerDefaultRule, goArches: ReadonlySet<string>): SeccompSyscall | undefined {
  const entry: SeccompSyscall = {
    names: [...rule.names],
    action: rule.action === 'allow' ? 'SCMP_ACT_ALLOW' : 'SCMP_ACT_ERRNO',
  };
  if (rule.action !== 'allow') entry.errnoRet = rule.action.errno;
  if (rule.args) entry.args = rule.args.map((a) => ({ ...a }));
  const includes: SeccompFilter = {};
  const onlyArches = archFilter(rule.onlyIf, goArches);
  if (onlyArches) {
    if (onlyArches.length === 0) return undefined; // not for any targeted architecture
    includes.arches = onlyArches;
  }
  if (rule.onlyIf?.minKernel) includes.minKernel = rule.onlyIf.minKernel;
  if (Object.keys(includes).length) entry.includes = includes;
  const exceptArches = archFilter(rule.unless, goArches);
  if (exceptArches?.length) entry.excludes = { arches: exceptArches };
  return entry;
}

/** Removes `names` from every entry, dropping entries left empty. */
function without(entries: SeccompSyscall[], names: ReadonlySet<string>): SeccompSyscall[] {
  return entries
    .map((e) => ({ ...e, names: e.names.filter((n) => !names.has(n)) }))
    .filter((e) => e.names.length > 0);
}

/** Drops names from conditional ALLOW entries when an unconditional ALLOW entry already has them. */
function dropRedundant(entries: SeccompSyscall[]): SeccompSyscall[] {
  const always = new Set(
    entries.filter((e) => e.action === 'SCMP_ACT_ALLOW' && isUnconditional(e)).flatMap((e) => e.names),
  );
  return entries
    .map((e) =>
      e.action === 'SCMP_ACT_ALLOW' && !isUnconditional(e)
        ? { ...e, names: e.names.filter((n) => !always.has(n)) }
        : e,
    )
    .filter((e) => e.names.length > 0);
}

/**
 * Builds a default-deny seccomp profile from Docker's default allowlist.
 *
 * The profile refuses every syscall not listed with EPERM (`SCMP_ACT_ERRNO`, errno 1) and allows
 * Docker's unconditional list plus its argument-filtered entries (`socket` except AF_VSOCK,
 * `personality` personas, `clone` without namespace flags, `clone3` → ENOSYS), the kernel-gated
 * `ptrace` group (kept with its `minKernel` condition, which Docker evaluates) and the
 * architecture-specific calls of the targeted architectures. Capability-gated groups are
 * resolved for `capabilities` (default none: `HardenedContainer` drops ALL), so `mount`, `bpf`,
 * `chroot`, `reboot` and the like are refused. `remove` refuses a name everywhere, `add` allows a
 * name unconditionally.
 * @throws {@link InputError} naming the option and the bad value (such as an unknown syscall).
 */
export function buildSeccompProfile(opts: BuildSeccompOptions = {}): SeccompProfile {
  const o = resolveOptions(opts);
  const goArches = new Set(o.arches.flatMap((a) => ARCH_INFO[a].goArches));
  let entries = DOCKER_DEFAULT_RULES.filter((r) => capsAllow(r, o.caps))
    .map((r) => ruleToEntry(r, goArches))
    .filter((e): e is SeccompSyscall => e !== undefined);
  entries = without(entries, new Set([...o.remove, ...o.add]));
  if (o.add.length) entries.push({ names: [...o.add], action: 'SCMP_ACT_ALLOW' });
  return canonicalSeccompProfile({
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: o.errnoRet,
    archMap: o.arches.map((a) => ({
      architecture: ARCH_INFO[a].native,
      subArchitectures: [...ARCH_INFO[a].sub],
    })),
    syscalls: dropRedundant(entries),
  });
}

/** The names Docker's default profile allows unconditionally, sorted. */
export function dockerDefaultSyscalls(): readonly string[] {
  const names = DOCKER_DEFAULT_RULES.filter(
    (r) => r.action === 'allow' && !r.args && !r.onlyIf && !r.unless,
  ).flatMap((r) => r.names);
  return Object.freeze([...new Set(names)].sort());
}

function conditionToFilter(c: DockerRuleCondition): SeccompFilter {
  const f: SeccompFilter = {};
  if (c.arches) f.arches = [...c.arches];
  if (c.caps) f.caps = [...c.caps];
  if (c.minKernel) f.minKernel = c.minKernel;
  return f;
}

/**
 * Docker's default profile itself, rebuilt from the recorded data in moby's JSON form (every
 * condition kept, all eight architecture families in `archMap`). Useful as a reference or a
 * base for a denylist-style change; for containers prefer {@link buildSeccompProfile}.
 */
export function dockerDefaultProfile(): SeccompProfile {
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: DOCKER_DEFAULT_ERRNO,
    archMap: DOCKER_DEFAULT_ARCH_MAP.map((m) => ({
      architecture: m.architecture,
      subArchitectures: [...m.subArchitectures],
    })),
    syscalls: DOCKER_DEFAULT_RULES.map((r) => {
      const s: SeccompSyscall = {
        names: [...r.names],
        action: r.action === 'allow' ? 'SCMP_ACT_ALLOW' : 'SCMP_ACT_ERRNO',
      };
      if (r.action !== 'allow') s.errnoRet = r.action.errno;
      if (r.args) s.args = r.args.map((a) => ({ ...a }));
      if (r.mobyComment) s.comment = r.mobyComment;
      if (r.onlyIf) s.includes = conditionToFilter(r.onlyIf);
      if (r.unless) s.excludes = conditionToFilter(r.unless);
      return s;
    }),
  };
}

const isAllow = (a: SeccompAction) => (ALLOW_ACTIONS as readonly string[]).includes(a);

/**
 * Names a profile lets run, unconditionally or under some condition (an argument filter, an
 * architecture, a capability or a kernel version): every name of an `SCMP_ACT_ALLOW` or
 * `SCMP_ACT_LOG` entry.
 * @throws {@link InputError} for a profile whose default action is not a deny: there, every
 * unlisted name runs too and the set would mislead.
 */
export function allowedSyscalls(profile: SeccompProfile): Set<string> {
  if (!(DENY_ACTIONS as readonly string[]).includes(profile.defaultAction)) {
    throw new InputError(
      `allowedSyscalls needs a default-deny profile; defaultAction ${profile.defaultAction} lets unlisted syscalls run`,
      ['defaultAction'],
    );
  }
  return new Set((profile.syscalls ?? []).filter((s) => isAllow(s.action)).flatMap((s) => s.names));
}

function archSet(p: SeccompProfile): string[] {
  const all = [
    ...(p.architectures ?? []),
    ...(p.archMap ?? []).flatMap((m) => [m.architecture, ...(m.subArchitectures ?? [])]),
  ];
  return [...new Set(all)].sort();
}

function validated(p: SeccompProfile, which: string): SeccompProfile {
  const r = validateSeccompProfile(p);
  if (r.ok) return r.profile;
  throw new InputError(
    `Cannot merge: the ${which} seccomp profile is invalid:\n${r.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    r.errors.map((e) => e.path),
  );
}

/**
 * Merges two default-deny profiles into one that allows every syscall either allows (a union, as
 * needed when combining learned profiles). The default action, errno and architectures come
 * from `a`; a refusing entry (such as `clone3` → ENOSYS) is kept only for names the other profile
 * does not allow. Where both refuse a name differently under the same conditions, `a` wins.
 * @throws {@link InputError} when either profile is invalid or they cover different architectures.
 */
export function mergeSeccompProfiles(a: SeccompProfile, b: SeccompProfile): SeccompProfile {
  const pa = validated(a, 'first');
  const pb = validated(b, 'second');
  const archA = archSet(pa);
  const archB = archSet(pb);
  if (archA.join() !== archB.join()) {
    throw new InputError(
      `Cannot merge seccomp profiles for different architectures: the first covers ${archA.join(', ') || 'the native one only'}, ` +
        `the second ${archB.join(', ') || 'the native one only'}; build both for the same architectures`,
      ['architectures'],
    );
  }
  const allowedA = allowedSyscalls(pa);
  const allowedB = allowedSyscalls(pb);
  const always = new Set(
    [...(pa.syscalls ?? []), ...(pb.syscalls ?? [])]
      .filter((s) => s.action === 'SCMP_ACT_ALLOW' && isUnconditional(s))
      .flatMap((s) => s.names),
  );
  const effects = new Map<string, string>();
  const merged: SeccompSyscall[] = [{ names: [...always], action: 'SCMP_ACT_ALLOW' }];
  const take = (entries: readonly SeccompSyscall[], other: ReadonlySet<string>) => {
    for (const s of entries) {
      if (s.action === 'SCMP_ACT_ALLOW' && isUnconditional(s)) continue;
      const cond = conditionKey(s);
      const effect = `${s.action}(${s.errnoRet ?? ''})`;
      const names = s.names.filter((n) => {
        if (always.has(n) && isAllow(s.action)) return false;
        if (!isAllow(s.action)) {
          if (other.has(n) || always.has(n)) return false;
          const prior = effects.get(`${n}|${cond}`);
          if (prior !== undefined && prior !== effect) return false;
          effects.set(`${n}|${cond}`, effect);
        }
        return true;
      });
      if (names.length) merged.push({ ...s, names });
    }
  };
  take(pa.syscalls ?? [], allowedB);
  take(pb.syscalls ?? [], allowedA);
  const out: SeccompProfile = { ...pa, syscalls: dropRedundant(merged) };
  const flags = [...(pa.flags ?? []), ...(pb.flags ?? [])];
  if (flags.length) out.flags = flags;
  if (out.listenerPath === undefined && pb.listenerPath !== undefined) out.listenerPath = pb.listenerPath;
  return canonicalSeccompProfile(out);
}
