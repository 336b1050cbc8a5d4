import { SECURE as CORE, catalog } from '@bulkhead/core';

// The one place `bulkhead fix` takes its secure values from: core's SECURE, the values the rules'
// remediation text (what `validate` prints as the fix) is written from, in compose's spelling.

/** The first capture of `pattern` in rule `id`'s compose remediation; throws at load if core's text moved. */
function fromRemediation(id: string, pattern: RegExp): string {
  const text = catalog.get(id)?.remediation.compose ?? '';
  const m = pattern.exec(text);
  if (!m?.[1]) throw new Error(`bulkhead fix: rule ${id}'s compose remediation no longer states ${pattern}`);
  return m[1];
}

/** Secure values of compose fields. */
export const SECURE = Object.freeze({
  /** `cap_drop` entry that drops everything (drop-all-capabilities). */
  capDropAll: CORE.capDrop,
  /** `security_opt` entry (no-new-privileges). */
  noNewPrivileges: CORE.noNewPrivileges,
  /**
   * `tmpfs` options for a writable path (tmpfs-hardened). Not in core's SECURE yet: the rule's text
   * and `init` write 64m, the components' default is SECURE.tmpfsSize; until they agree, the fix
   * writes what the finding says.
   */
  tmpfsOptions: fromRemediation('tmpfs-hardened', /`\/tmp:([^`]+)`/),
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
