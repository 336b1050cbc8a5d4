import { SECURE as CORE } from '@bulkhead/core';

// The one place `bulkhead fix` takes its secure values from: core's SECURE, the values the rules'
// remediation text (what `validate` prints as the fix) is written from, in compose's spelling.

/** Secure values of compose fields. */
export const SECURE = Object.freeze({
  /** `cap_drop` entry that drops everything (drop-all-capabilities). */
  capDropAll: CORE.capDrop,
  /** `security_opt` entry (no-new-privileges). */
  noNewPrivileges: CORE.noNewPrivileges,
  /** `tmpfs` options for a writable path (tmpfs-hardened). */
  tmpfsOptions: CORE.tmpfsOptions,
  /** `mem_limit` and `memswap_limit` (memory-limit). */
  memory: `${CORE.memoryMb}m`,
  /** Pulumi `memory` and `memorySwap`, in MB. */
  memoryMb: CORE.memoryMb,
  /** `cpus` (cpu-limit). */
  cpus: Number(CORE.cpus),
  /** Pulumi `cpus` (a string in `ContainerArgs`). */
  cpusText: CORE.cpus,
  /** `pids_limit` (pids-limit). */
  pids: CORE.maxProcesses,
  /** `ulimits` (ulimits-set). */
  nofile: CORE.maxOpenFiles,
  nproc: CORE.maxProcesses,
  /** Host address ports are bound to (ports-bound-to-interface). */
  portIp: CORE.portIp,
  /** `logging` (bounded-logs). */
  logDriver: CORE.logDriver,
  logMaxSize: CORE.logMaxSize,
  logMaxFile: String(CORE.logMaxFiles),
  /** Numeric non-root `user` (non-root-user). */
  user: CORE.exampleUser,
});
