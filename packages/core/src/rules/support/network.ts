/** Published ports and network attachments, for container and stack rules. */
import type { ContainerSpec, PortSpec } from '../../model/spec.js';
import { isUnknown, type Val } from '../../model/value.js';
import { shared } from './shared.js';

/** Published ports as a list; `'unknown'` when the list is unknown, `[]` when absent. */
export function ports(
  spec: ContainerSpec,
): ({ index: number } & (PortSpec | { unknown: true }))[] | 'unknown' {
  const list = spec.ports;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return 'unknown';
  return list.map((p, index) =>
    typeof p === 'object' && p !== null && !isUnknown(p)
      ? { index, ...p }
      : { index, unknown: true as const },
  );
}

/**
 * Whether a container publishes anything: `yes` (ports or publish-all), `no`, or `unknown`.
 * `at` is the spec path that proves it.
 */
export function publishes(
  spec: ContainerSpec,
): { state: 'yes'; at: string } | { state: 'no' } | { state: 'unknown'; at: string } {
  const list = spec.ports;
  if (spec.publishAllPorts === true) return { state: 'yes', at: 'publishAllPorts' };
  if (Array.isArray(list) && list.length > 0) return { state: 'yes', at: 'ports' };
  if (list !== undefined && !Array.isArray(list)) return { state: 'unknown', at: 'ports' };
  if (spec.publishAllPorts !== undefined && typeof spec.publishAllPorts !== 'boolean') {
    return { state: 'unknown', at: 'publishAllPorts' };
  }
  return { state: 'no' };
}

/** Network names that are Docker's built-in networks, not user-defined ones. */
export const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'default', 'host', 'none', '']);

/** One user-defined network a container is attached to (`name` undefined when not known yet). */
export interface Attachment {
  name: string | undefined;
  /** Spec path of the attachment: `networks[1]` or `networkMode`. */
  path: string;
  aliases: readonly string[];
}

/**
 * The user-defined networks a container joins, from `networks` and a `networkMode` naming a
 * network. Built-in networks and `container:<id>`/`service:<name>` modes are left out. `'unknown'` when the list
 * (or the mode) is not known.
 */
export const attachments: (spec: ContainerSpec) => Attachment[] | 'unknown' = shared(parseAttachments);

function parseAttachments(spec: ContainerSpec): Attachment[] | 'unknown' {
  const out: Attachment[] = [];
  const mode = spec.networkMode;
  if (mode !== undefined && typeof mode !== 'string') return 'unknown';
  if (typeof mode === 'string') {
    const m = mode.trim();
    // `container:<id>` (and compose's `service:<name>`) share another container's network stack.
    const lower = m.toLowerCase();
    if (!BUILTIN_NETWORKS.has(lower) && !lower.startsWith('container:') && !lower.startsWith('service:')) {
      out.push({ name: m, path: 'networkMode', aliases: NO_ALIASES });
    }
  }
  const list = spec.networks;
  if (list === undefined) return out;
  if (!Array.isArray(list)) return 'unknown';
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    const name = typeof n === 'object' && n !== null ? n.name : undefined;
    if (typeof name !== 'string') {
      out.push({ name: undefined, path: `networks[${i}]`, aliases: NO_ALIASES });
      continue;
    }
    const trimmed = name.trim();
    if (BUILTIN_NETWORKS.has(trimmed.toLowerCase())) continue;
    out.push({ name: trimmed, path: `networks[${i}]`, aliases: knownStrings(n!.aliases) });
  }
  return out;
}

const NO_ALIASES: readonly string[] = Object.freeze([]);

/** The known entries of a string list, as strings (none when the list is absent or unknown). */
function knownStrings(list: Val<Val<string>[]> | undefined): readonly string[] {
  if (!Array.isArray(list) || list.length === 0) return NO_ALIASES;
  const out: string[] = [];
  for (const v of list) if (v !== undefined && !isUnknown(v)) out.push(String(v));
  return out;
}
