/**
 * Docker's seccomp profile schema (the JSON `docker run --security-opt seccomp=…` and the Engine
 * API's `HostConfig.SecurityOpt` accept), as TypeScript types plus the vocabularies the validator
 * checks against. Field names follow moby's `api/types` seccomp struct tags exactly.
 */

/** Every action libseccomp (and so Docker/runc) knows. */
export const SECCOMP_ACTIONS = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
] as const;
/** A seccomp action. */
export type SeccompAction = (typeof SECCOMP_ACTIONS)[number];

/**
 * Actions that refuse a syscall whatever happens outside the kernel, so they are acceptable as a
 * profile's `defaultAction`. Not in the list: `SCMP_ACT_ALLOW` and `SCMP_ACT_LOG` (both let the
 * call run; LOG only writes an audit record), `SCMP_ACT_TRACE` (a ptrace tracer decides) and
 * `SCMP_ACT_NOTIFY` (a user-space agent decides).
 */
export const DENY_ACTIONS = [
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
] as const satisfies readonly SeccompAction[];

/** Actions that let the syscall run (`allowedSyscalls` counts names under these). */
export const ALLOW_ACTIONS = ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'] as const satisfies readonly SeccompAction[];

/** Argument comparison operators. */
export const SECCOMP_OPERATORS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const;
/** An argument comparison operator. */
export type SeccompOperator = (typeof SECCOMP_OPERATORS)[number];

/** libseccomp architecture tokens Docker accepts in `architectures` and `archMap`. */
export const SECCOMP_ARCHES = [
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
  'SCMP_ARCH_LOONGARCH64',
  'SCMP_ARCH_M68K',
  'SCMP_ARCH_SH',
  'SCMP_ARCH_SHEB',
] as const;
/** A libseccomp architecture token. */
export type SeccompArch = (typeof SECCOMP_ARCHES)[number];

/**
 * Architecture names used in a syscall entry's `includes.arches`/`excludes.arches`. Docker
 * compares them with Go's `runtime.GOARCH` (`amd64`, `arm64`, …); moby's default profile also
 * names `x86`, `x32` and `arm` for the compat ABIs.
 */
export const CONDITION_ARCHES = [
  '386',
  'amd64',
  'x86',
  'x32',
  'arm',
  'arm64',
  'ppc',
  'ppc64',
  'ppc64le',
  's390',
  's390x',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64n32',
  'mips64len32',
  'riscv64',
  'loong64',
] as const;

/** Seccomp filter flags Docker passes through to runc. */
export const SECCOMP_FLAGS = [
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
] as const;
/** A seccomp filter flag. */
export type SeccompFlag = (typeof SECCOMP_FLAGS)[number];

/** Linux capabilities (as of 6.x), the names `includes.caps`/`excludes.caps` use. */
export const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;
/** A Linux capability name with its `CAP_` prefix. */
export type Capability = (typeof CAPABILITIES)[number];

/** One argument comparison: the call matches when `arg[index] <op> value` holds. */
export interface SeccompArg {
  /** Argument position, 0–5. */
  index: number;
  /** Value to compare with (the mask for `SCMP_CMP_MASKED_EQ`). */
  value: number;
  /** Second value: what `arg & value` must equal for `SCMP_CMP_MASKED_EQ` (0 when absent). */
  valueTwo?: number;
  op: SeccompOperator;
}

/** Conditions under which Docker keeps (`includes`) or drops (`excludes`) a syscall entry. */
export interface SeccompFilter {
  /** Go architecture names (`amd64`, `arm64`, …). */
  arches?: string[];
  /** Capabilities; `includes` needs all of them, `excludes` drops the entry if any is present. */
  caps?: string[];
  /** Minimum kernel version, `major.minor`. */
  minKernel?: string;
}

/** One syscall entry: the action to take for these names (optionally only for some arguments). */
export interface SeccompSyscall {
  names: string[];
  action: SeccompAction;
  /** errno returned for `SCMP_ACT_ERRNO`/`SCMP_ACT_TRACE`. */
  errnoRet?: number;
  /** All comparisons must hold for the entry to match. */
  args?: SeccompArg[];
  includes?: SeccompFilter;
  excludes?: SeccompFilter;
  comment?: string;
}

/** Maps a native architecture to the compat architectures its filter must also cover. */
export interface SeccompArchMap {
  architecture: SeccompArch;
  subArchitectures: SeccompArch[];
}

/** A Docker seccomp profile. */
export interface SeccompProfile {
  /** What happens to a syscall no entry matches. Bulkhead requires a deny action. */
  defaultAction: SeccompAction;
  /** errno for `defaultAction` `SCMP_ACT_ERRNO` (Docker's default is EPERM, 1). */
  defaultErrnoRet?: number;
  /** Architectures the filter covers (use either this or `archMap`). */
  architectures?: SeccompArch[];
  /** Per native architecture, the sub-architectures to cover (use either this or `architectures`). */
  archMap?: SeccompArchMap[];
  /** Unix socket of a seccomp agent, for `SCMP_ACT_NOTIFY`. */
  listenerPath?: string;
  /** Opaque data passed to the agent. */
  listenerMetadata?: string;
  flags?: SeccompFlag[];
  syscalls?: SeccompSyscall[];
}

/** A problem with a profile, addressed by its field path such as `syscalls[3].action`. */
export interface SeccompIssue {
  path: string;
  message: string;
  /** `dangerous`: allows a call more widely than Docker's default profile does. */
  kind?: 'dangerous';
  /** For `dangerous`: the capabilities under which Docker's default allows the call. */
  caps?: readonly string[];
}
