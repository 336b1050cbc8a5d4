/**
 * Unit conversions: every adapter hands rules bytes and nano-CPUs, whatever the source wrote, and
 * rules read sizes the same way (a log max-size). In model/ because both layers use them.
 */
import { UNKNOWN, type Val } from './value.js';

const MIB = 1024 * 1024;
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp])?i?b?\s*$/i;
const MULT: Record<string, number> = { k: 1024, m: MIB, g: 1024 * MIB, t: 1024 * 1024 * MIB, p: 1024 ** 5 };

/**
 * A size such as `512m`, `1.5G`, `64MiB`, `1024` or `100b` in bytes (binary multiples, as docker's
 * `RAMInBytes`). A number is bytes already. Anything else is {@link UNKNOWN}.
 */
export function sizeToBytes(v: unknown): Val<number> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : UNKNOWN;
  if (typeof v !== 'string') return UNKNOWN;
  if (v.trim() === '-1') return -1;
  const m = SIZE.exec(v);
  if (!m) return UNKNOWN;
  const n = Number(m[1]) * (m[2] ? (MULT[m[2].toLowerCase()] ?? 1) : 1);
  return Number.isFinite(n) ? Math.floor(n) : UNKNOWN;
}

/** Pulumi's `memory`/`memorySwap` (MB) in bytes; `-1` (unlimited swap) stays `-1`. */
export function mbToBytes(v: Val<number> | undefined): Val<number> | undefined {
  if (typeof v !== 'number') return v;
  return v < 0 ? -1 : v * MIB;
}

/** A CPU count (`"1.5"`, `0.5`) in nano-CPUs. */
export function cpusToNano(v: unknown): Val<number> | undefined {
  if (v === undefined || v === null) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(v)) n = Number(v);
  else return UNKNOWN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e9) : UNKNOWN;
}
