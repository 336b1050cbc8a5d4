/** Linux capability names, the critical ones, and parsed `capAdd` / `capDrop`. */
import type { ContainerSpec } from '../../model/spec.js';
import type { Val } from '../../model/value.js';
import { items } from './lists.js';
import { sharedPerSpec } from './shared.js';

/** Upper-cased capability name without the `CAP_` prefix. */
export function capName(c: string): string {
  const up = c.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/**
 * Capabilities (as {@link capName} spells them) whose add-back `bulkhead fix` leaves to the user
 * when it drops ALL: with `ALL` added, dropping ALL changes nothing; with NET_RAW, no-net-raw still
 * fails. The workload asked for them, so the change is the user's to make.
 */
export const ADD_BACKS_LEFT_TO_USER: ReadonlySet<string> = new Set(['NET_RAW', 'ALL']);

/** Every Linux capability name (without `CAP_`), as of Linux 6.x, plus Docker's `ALL`. */
export const LINUX_CAPABILITIES: ReadonlySet<string> = new Set(
  (
    'ALL CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE ' +
    'NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT ' +
    'SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE ' +
    'AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ ' +
    'PERFMON BPF CHECKPOINT_RESTORE'
  ).split(' '),
);

/**
 * Capabilities that amount to host root or a kernel attack surface when added: each is a known
 * container-escape or host-tampering primitive.
 */
export const CRITICAL_CAPABILITIES: ReadonlySet<string> = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'LINUX_IMMUTABLE',
]);

/** A capability list entry, normalized with {@link capName}. */
export interface Cap {
  index: number;
  name: string;
}

/** Normalized entries of `capAdd`/`capDrop`, with the indexes of unknown entries. */
export type ParsedCaps = { caps: Cap[]; unknownAt: number[] } | 'unknown';

/** The container's `capAdd` entries, parsed once per spec within an evaluation. */
export const capAdds: (spec: ContainerSpec) => ParsedCaps = sharedPerSpec((spec) => parseCaps(spec.capAdd));

/** The container's `capDrop` entries, parsed once per spec within an evaluation. */
export const capDrops: (spec: ContainerSpec) => ParsedCaps = sharedPerSpec((spec) => parseCaps(spec.capDrop));

function parseCaps(list: Val<Val<string>[]> | undefined): ParsedCaps {
  const all = items<string>(list);
  if (all === 'unknown') return 'unknown';
  const out: Cap[] = [];
  const unknownAt: number[] = [];
  for (const it of all) {
    if (!it.known || typeof it.value !== 'string') unknownAt.push(it.index);
    else out.push({ index: it.index, name: capName(it.value) });
  }
  return { caps: out, unknownAt };
}

/** How a message names a capability: its name when it is a real capability, else generically. */
export function describeCap(name: string): string {
  return LINUX_CAPABILITIES.has(name) ? `capability ${name}` : 'an unrecognized capability';
}
