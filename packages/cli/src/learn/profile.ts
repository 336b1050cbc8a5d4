import {
  canonicalSeccompProfile,
  DOCKER_DEFAULT_RULES,
  dockerDefaultSyscalls,
  InputError,
  LEARNED_MARKER,
  LEARNED_REQUIRES_NNP,
  type SeccompArch,
  type SeccompProfile,
  validateSeccompProfile,
} from '@bulkhead/core';

/**
 * What runc itself calls after it installed the filter and before the container's process runs
 * (with no_new_privs runc installs it last, right before `execve`), plus what any static C
 * program needs to start and exit. Found empirically on runc 1.1.5 by starting busybox `true`
 * (non-root, `--cap-drop ALL`, no-new-privileges) under a profile with only candidate calls and
 * removing each in turn, twice: without `futex` runc init spins forever; without `fstatfs`,
 * `openat` or `getdents64` it cannot check `/proc/self/fd` or open its exec fifo; without
 * `write`/`close` it cannot report over its sync pipe; `mprotect` and `rt_sigreturn` are the Go
 * runtime's; `execve` starts the process; `brk`, `arch_prctl` and `exit_group` are the C
 * library's start-up and exit.
 */
export const RUNC_MINIMUM: readonly string[] = Object.freeze(
  [
    'arch_prctl',
    'brk',
    'close',
    'execve',
    'exit_group',
    'fstatfs',
    'futex',
    'getdents64',
    'mprotect',
    'openat',
    'rt_sigreturn',
    'write',
  ].sort(),
);

/** Calls that, when a workload makes them, deserve a look before they are allowed for good. */
export const DANGEROUS_SYSCALLS: readonly string[] = Object.freeze([
  'acct',
  'add_key',
  'bpf',
  'clock_settime',
  'delete_module',
  'finit_module',
  'fsconfig',
  'fsmount',
  'fsopen',
  'init_module',
  'ioperm',
  'iopl',
  'kexec_file_load',
  'kexec_load',
  'keyctl',
  'lookup_dcookie',
  'mount',
  'move_mount',
  'name_to_handle_at',
  'open_by_handle_at',
  'open_tree',
  'perf_event_open',
  'pivot_root',
  'process_vm_readv',
  'process_vm_writev',
  'ptrace',
  'quotactl',
  'reboot',
  'request_key',
  'setns',
  'settimeofday',
  'swapoff',
  'swapon',
  'umount2',
  'unshare',
  'userfaultfd',
  'vhangup',
]);

/** `uname -m` → the libseccomp architecture token. */
export function seccompArch(machine: string): SeccompArch {
  switch (machine) {
    case 'x86_64':
    case 'x64':
      return 'SCMP_ARCH_X86_64';
    case 'aarch64':
    case 'arm64':
      return 'SCMP_ARCH_AARCH64';
    default:
      throw new InputError(
        `cannot learn on architecture ${JSON.stringify(machine)}: only x86_64 and aarch64 are supported`,
        ['architecture'],
      );
  }
}

/** The summary of a learned profile. */
export interface LearnedSummary {
  architecture: SeccompArch;
  /** Calls the workload made, sorted. */
  used: string[];
  /** What runc needed on top of them. */
  runcAdded: string[];
  /** Everything the profile allows, sorted. */
  allowed: string[];
  /** Docker's default unconditional allowlist size. */
  dockerDefaultCount: number;
  /** Calls Docker's default allows that this profile denies. */
  deniedFromDefault: string[];
  /** `1 - allowed / dockerDefault`, as a percentage with one decimal. */
  reductionPercent: number;
  /** Dangerous calls the workload made (they are in the profile; review them). */
  dangerousUsed: string[];
}

/** The comment the learned allow entry carries: where it came from and for which architecture. */
export function learnedComment(arch: SeccompArch, source: string): string {
  return `${LEARNED_MARKER} from ${source}; valid for ${arch} only; ${LEARNED_REQUIRES_NNP}`;
}

/**
 * `clone` as Docker's default allows it without CAP_SYS_ADMIN: only with no namespace flag set
 * (the mask of every CLONE_NEW* flag compared equal to 0), so a learned profile never lets the
 * workload create namespaces just because it forks.
 */
const CLONE_WITHOUT_NAMESPACES = (() => {
  const rule = DOCKER_DEFAULT_RULES.find(
    (r) => r.names.length === 1 && r.names[0] === 'clone' && r.args && !r.onlyIf,
  );
  if (!rule?.args) throw new Error("Docker's default data lost its clone filter");
  return rule.args.map((a) => ({ ...a }));
})();

/**
 * A default-deny (EPERM) profile allowing exactly `used` plus {@link RUNC_MINIMUM}, for one
 * architecture only (no compat sub-architectures: a 32-bit call on x86_64 is refused). `clone3`
 * gets ENOSYS when not learned, as in Docker's default, so C libraries fall back to `clone`.
 * Validated with core's validator.
 */
export function learnedProfile(used: readonly string[], arch: SeccompArch, source: string): SeccompProfile {
  const minimum = RUNC_MINIMUM.filter((n) => n !== 'arch_prctl' || arch === 'SCMP_ARCH_X86_64');
  const allowed = [...new Set([...used, ...minimum])].sort();
  const syscalls: SeccompProfile['syscalls'] = [
    {
      names: allowed.filter((n) => n !== 'clone'),
      action: 'SCMP_ACT_ALLOW',
      comment: learnedComment(arch, source),
    },
  ];
  if (allowed.includes('clone')) {
    syscalls.push({
      names: ['clone'],
      action: 'SCMP_ACT_ALLOW',
      args: CLONE_WITHOUT_NAMESPACES,
      comment: 'threads and processes, no new namespaces (as Docker allows clone without CAP_SYS_ADMIN)',
    });
  }
  if (!allowed.includes('clone3')) {
    syscalls.push({
      names: ['clone3'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: 38,
      comment: 'ENOSYS so the C library falls back to clone',
    });
  }
  const profile = canonicalSeccompProfile({
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    architectures: [arch],
    syscalls,
  });
  const checked = validateSeccompProfile(profile);
  if (!checked.ok) {
    throw new InputError(
      `the learned profile is invalid:\n${checked.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
      checked.errors.map((e) => e.path),
    );
  }
  return checked.profile;
}

/** Allowed (unconditionally or not) names of a profile. */
export function profileAllows(profile: SeccompProfile): string[] {
  const names = (profile.syscalls ?? [])
    .filter((s) => s.action === 'SCMP_ACT_ALLOW' || s.action === 'SCMP_ACT_LOG')
    .flatMap((s) => s.names);
  return [...new Set(names)].sort();
}

/** The numbers and lists the report shows for a learned (or merged) profile. */
export function summarize(profile: SeccompProfile, used: readonly string[]): LearnedSummary {
  const allowed = profileAllows(profile);
  const allowedSet = new Set(allowed);
  const usedSet = new Set(used);
  const def = dockerDefaultSyscalls();
  const arch = profile.architectures?.[0] ?? profile.archMap?.[0]?.architecture ?? 'SCMP_ARCH_X86_64';
  return {
    architecture: arch,
    used: [...usedSet].sort(),
    runcAdded: RUNC_MINIMUM.filter((n) => !usedSet.has(n)),
    allowed,
    dockerDefaultCount: def.length,
    deniedFromDefault: def.filter((n) => !allowedSet.has(n)),
    reductionPercent: Math.round((1 - allowed.length / def.length) * 1000) / 10,
    dangerousUsed: DANGEROUS_SYSCALLS.filter((n) => usedSet.has(n)),
  };
}
