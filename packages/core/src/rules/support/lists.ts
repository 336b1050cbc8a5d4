import { isUnknown, type Val } from '../../model/value.js';

/** A known list item with its index, or the index of an unknown one. */
export type Item<T> = { index: number; value: T; known: true } | { index: number; known: false };

/**
 * Items of a possibly-unknown list. Returns `'unknown'` when the list itself is unknown and an
 * empty array when it is absent.
 */
export function items<T>(list: Val<Val<T>[]> | undefined): Item<T>[] | 'unknown' {
  if (list === undefined) return [];
  if (isUnknown(list)) return 'unknown';
  if (!Array.isArray(list)) return 'unknown';
  return list.map((v, index) =>
    isUnknown(v) || v === undefined ? { index, known: false } : { index, value: v as T, known: true },
  );
}

/** A known map entry, or the key of an unknown one. */
export type Entry<T> = { key: string; value: T; known: true } | { key: string; known: false };

/**
 * Entries of a possibly-unknown map (`sysctls`, `logOpts`, `tmpfs`, network `options`). Returns
 * `'unknown'` when the map itself is unknown and an empty array when it is absent.
 */
export function entries<T>(map: Val<Record<string, Val<T>>> | undefined): Entry<T>[] | 'unknown' {
  if (map === undefined) return [];
  if (isUnknown(map) || typeof map !== 'object' || map === null || Array.isArray(map)) return 'unknown';
  return Object.entries(map).map(([key, v]) =>
    isUnknown(v) || v === undefined ? { key, known: false } : { key, value: v as T, known: true },
  );
}

/** The value of one map key: absent, unknown or known. */
export function entry<T>(
  map: Val<Record<string, Val<T>>> | undefined,
  key: string,
): { state: 'absent' } | { state: 'unknown' } | { state: 'known'; value: T } {
  const all = entries(map);
  if (all === 'unknown') return { state: 'unknown' };
  const hit = all.find((e) => e.key === key);
  if (!hit) return { state: 'absent' };
  return hit.known ? { state: 'known', value: hit.value } : { state: 'unknown' };
}
