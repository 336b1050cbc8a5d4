import { catalog } from '@bulkhead/core';

// The one place `bulkhead fix` takes its secure values from. Today they live in the compose
// remediation text of core's rules (the text `validate` prints as the fix), so a fix writes exactly
// what the finding told the user to write. When core gains a module of secure values, point these
// at it; nothing else in src/fix names a value.

/** The first capture of `pattern` in rule `id`'s compose remediation; throws at load if core's text moved. */
function fromRemediation(id: string, pattern: RegExp): string {
  const text = catalog.get(id)?.remediation.compose ?? '';
  const m = pattern.exec(text);
  if (!m?.[1]) throw new Error(`bulkhead fix: rule ${id}'s compose remediation no longer states ${pattern}`);
  return m[1];
}

/** Secure values of compose fields, as core's remediation states them. */
export const SECURE = Object.freeze({
  /** `cap_drop` entry that drops everything (drop-all-capabilities). */
  capDropAll: fromRemediation('drop-all-capabilities', /cap_drop: \[(\w+)\]/),
  /** `security_opt` entry (no-new-privileges). */
  noNewPrivileges: fromRemediation('no-new-privileges', /`(no-new-privileges:true)`/),
  /** `tmpfs` options for a writable path (tmpfs-hardened). */
  tmpfsOptions: fromRemediation('tmpfs-hardened', /`\/tmp:([^`]+)`/),
  /** `mem_limit` and `memswap_limit` (memory-limit). */
  memory: fromRemediation('memory-limit', /mem_limit: (\w+)`/),
  /** `cpus` (cpu-limit). */
  cpus: Number(fromRemediation('cpu-limit', /cpus: ([\d.]+)`/)),
  /** `pids_limit` (pids-limit). */
  pids: Number(fromRemediation('pids-limit', /pids_limit: (\d+)`/)),
  /** `ulimits` (ulimits-set). */
  nofile: Number(fromRemediation('ulimits-set', /nofile: (\d+)/)),
  nproc: Number(fromRemediation('ulimits-set', /nproc: (\d+)/)),
  /** Host address ports are bound to (ports-bound-to-interface). */
  portIp: fromRemediation('ports-bound-to-interface', /"(\d+\.\d+\.\d+\.\d+):/),
  /** `logging` (bounded-logs). */
  logDriver: fromRemediation('bounded-logs', /driver: ([\w-]+)/),
  logMaxSize: fromRemediation('bounded-logs', /max-size: (\w+)/),
  logMaxFile: fromRemediation('bounded-logs', /max-file: "(\d+)"/),
  /** Numeric non-root `user` (non-root-user). */
  user: fromRemediation('non-root-user', /user: "(\d+:\d+)"/),
});
