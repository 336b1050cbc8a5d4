import type { FixValues } from '../types.js';

/** A plain object a fix may edit (not a list, not a secret). */
export function editableObject(v: unknown, values: FixValues): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !values.isSecret(v);
}

/** A known list, or `undefined` when absent, `'other'` when unknown, secret or not a list. */
export function knownList(v: unknown, values: FixValues): unknown[] | undefined | 'other' {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => values.isUnknown(x))) return 'other';
  return v;
}
