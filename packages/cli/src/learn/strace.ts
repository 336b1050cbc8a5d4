import { isKnownSyscall } from '@bulkhead/core';

/** System calls found in gVisor's strace output. */
export interface TracedCalls {
  /** Linux syscall names the workload made (entered), sorted. */
  syscalls: string[];
  /** Names gVisor printed that Linux does not know (gVisor's `sys_NNN` for unimplemented calls). */
  unrecognized: string[];
  /** Number of syscall-entry lines read. */
  events: number;
}

/**
 * One gVisor strace entry line, as `runsc --strace --debug` writes it to the boot log:
 * `I1123 09:39:39.068229 5338 strace.go:561] [   1:   1] sh E brk(0x0)`. `E` is entry, `X` exit;
 * only entries are counted (a call that never returns, such as `exit_group`, has no exit line).
 */
const ENTRY = /strace\.go:\d+\] \[\s*\d+:\s*\d+\] .*? E ([a-z_][a-z0-9_]*)\(/;

/** gVisor's names that differ from the kernel's for the same call on x86_64/arm64. */
const GVISOR_ALIASES: Readonly<Record<string, string>> = {
  fstatat: 'newfstatat',
};

/**
 * Collects the syscall names from gVisor strace logs (the text of every file in the debug-log
 * directory; lines that are not strace entries are ignored).
 */
export function parseStrace(texts: Iterable<string>): TracedCalls {
  const names = new Set<string>();
  const odd = new Set<string>();
  let events = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const m = ENTRY.exec(line);
      if (!m) continue;
      events++;
      const raw = m[1]!;
      const name = GVISOR_ALIASES[raw] ?? raw;
      if (isKnownSyscall(name)) names.add(name);
      else odd.add(raw);
    }
  }
  return { syscalls: [...names].sort(), unrecognized: [...odd].sort(), events };
}
