/** The `user` field (uid, gid, names) and `ulimits` entries. */
import type { ContainerSpec } from '../../model/spec.js';
import { isUnknown, type Val } from '../../model/value.js';

/** A parsed `user` setting (`uid[:gid]`, `name[:group]`). */
export type ParsedUser =
  | { state: 'absent' }
  | { state: 'unknown' }
  | {
      state: 'known';
      /** The part before `:`. */
      user: string;
      /** The part after `:`, if any. */
      group?: string;
      /** The numeric uid, when the user part is a number. */
      uid?: number;
      /** The numeric gid, when the group part is a number. */
      gid?: number;
      /** True for uid 0 or the name `root`. */
      root: boolean;
    };

/** Parses a container `user`; an empty string counts as absent (the image default applies). */
export function parseUser(v: Val<string> | undefined): ParsedUser {
  if (v === undefined) return { state: 'absent' };
  if (isUnknown(v) || typeof v !== 'string') return { state: 'unknown' };
  const raw = v.trim();
  if (raw === '') return { state: 'absent' };
  const cut = raw.indexOf(':');
  const user = (cut < 0 ? raw : raw.slice(0, cut)).trim();
  const group = cut < 0 ? undefined : raw.slice(cut + 1).trim();
  const out: ParsedUser = { state: 'known', user, root: false };
  if (/^\d+$/.test(user)) out.uid = Number(user);
  if (group !== undefined) {
    out.group = group;
    if (/^\d+$/.test(group)) out.gid = Number(group);
  }
  out.root = out.uid === 0 || user.toLowerCase() === 'root';
  return out;
}

/**
 * Whether a ulimit (`nofile`, `nproc`) is set to a positive bound: `set` (with its index), `missing`,
 * `unbounded` (set to 0 or -1) or `unknown` (the list, or an entry that could be it, is not known).
 */
export function ulimit(
  spec: ContainerSpec,
  name: string,
): { state: 'set' | 'unbounded'; index: number } | { state: 'missing' | 'unknown' } {
  const list = spec.ulimits;
  if (list === undefined) return { state: 'missing' };
  if (!Array.isArray(list)) return { state: 'unknown' };
  // The last entry of that name decides; with none, an entry whose name is not known makes it unknown.
  let state: 'set' | 'unbounded' | 'missing' | 'unknown' = 'missing';
  let at = -1;
  for (let index = 0; index < list.length; index++) {
    const l = list[index];
    const n = typeof l === 'object' && l !== null ? l.name : undefined;
    if (typeof n !== 'string') {
      if (state === 'missing') state = 'unknown';
      continue;
    }
    if (n.trim().toLowerCase() !== name) continue;
    if (typeof l!.soft !== 'number' || typeof l!.hard !== 'number') {
      state = 'unknown';
      continue;
    }
    state = l!.soft > 0 && l!.hard > 0 ? 'set' : 'unbounded';
    at = index;
  }
  return state === 'set' || state === 'unbounded' ? { state, index: at } : { state };
}
