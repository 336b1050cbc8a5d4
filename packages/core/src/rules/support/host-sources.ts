/** Host paths a container reaches through mounts and devices, and judging them. */
import type { ContainerSpec } from '../../model/spec.js';
import { type Outcome, unknown } from '../types.js';
import { collect } from './outcomes.js';
import { sharedPerSpec } from './shared.js';

/**
 * Normalizes a host path for comparison: backslashes stay, duplicate and trailing slashes go, `.`
 * and `..` segments are resolved (`/var//run/../run/docker.sock` → `/var/run/docker.sock`).
 */
export function normalizeHostPath(p: string): string {
  const trimmed = p.trim();
  if (!trimmed.startsWith('/')) return trimmed;
  const out: string[] = [];
  for (const seg of trimmed.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** A host path a mount exposes: known, unknown, or not a host path (named volume, tmpfs). */
export type HostSource =
  | { index: number; state: 'host'; path: string; readOnly: boolean | 'unknown' }
  | { index: number; state: 'unknown'; reason?: string };

/**
 * The host paths of bind mounts (and named pipes) in `mounts`. A mount counts as a bind when its
 * type says so or, with the type unknown, when its source is an absolute path (a volume name cannot
 * contain `/`). Returns `'unknown'` when the list itself is unknown.
 */
export const hostSources: (spec: ContainerSpec) => HostSource[] | 'unknown' = sharedPerSpec(parseHostSources);

function parseHostSources(spec: ContainerSpec): HostSource[] | 'unknown' {
  const list = spec.mounts;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return 'unknown';
  const out: HostSource[] = [];
  list.forEach((m, index) => {
    if (typeof m !== 'object' || m === null) {
      out.push({ index, state: 'unknown' });
      return;
    }
    const type = typeof m.type === 'string' ? m.type.toLowerCase() : undefined;
    if (type !== undefined && type !== 'bind' && type !== 'npipe') return;
    if (typeof m.source !== 'string') {
      // An unknown type with an unknown source could still be a bind mount.
      if (m.source !== undefined || type === undefined) {
        out.push(
          typeof m.unknownReason === 'string'
            ? { index, state: 'unknown', reason: m.unknownReason }
            : { index, state: 'unknown' },
        );
      }
      return;
    }
    if (type === undefined && !m.source.trim().startsWith('/')) return;
    const ro = m.readOnly === undefined ? false : typeof m.readOnly === 'boolean' ? m.readOnly : 'unknown';
    out.push({ index, state: 'host', path: normalizeHostPath(m.source), readOnly: ro });
  });
  return out;
}

/** A mount that exposes a known host path. */
export type KnownHostSource = Extract<HostSource, { state: 'host' }>;

/**
 * Judges every host path a container mounts: an unknown mount list or entry is unknown, and
 * `judge` gives the outcome for each known host path (`undefined` when it passes).
 */
export function judgeHostSources(
  spec: ContainerSpec,
  judge: (s: KnownHostSource) => Outcome | undefined,
): Outcome | readonly Outcome[] {
  const sources = hostSources(spec);
  if (sources === 'unknown') return unknown('mounts');
  const out: Outcome[] = [];
  for (const s of sources) {
    const o =
      s.state === 'unknown'
        ? s.reason === undefined
          ? unknown(`mounts[${s.index}]`)
          : unknown(`mounts[${s.index}]`, s.reason)
        : judge(s);
    if (o) out.push(o);
  }
  return collect(out);
}
