import type { ContainerSpec } from '../model/spec.js';
import { isUnknown, type MaybeSecret, reveal, type Val } from '../model/value.js';
import { fail, type Outcome, pass, unknown } from './types.js';

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

/** One parsed `--security-opt` entry. */
export interface SecurityOpt {
  index: number;
  /** Lower-cased option name: `no-new-privileges`, `seccomp`, `apparmor`, `label`, `systempaths`. */
  key: string;
  /** The value after `=` or `:`; empty when the option has none. */
  value: string;
}

/** Parses `security_opt` entries, accepting both `key=value` and the legacy `key:value` forms. */
export function securityOpts(spec: ContainerSpec): { opts: SecurityOpt[]; unknownAt: number[] } | 'unknown' {
  const list = items<MaybeSecret>(spec.securityOpt);
  if (list === 'unknown') return 'unknown';
  const opts: SecurityOpt[] = [];
  const unknownAt: number[] = [];
  for (const it of list) {
    if (!it.known) {
      unknownAt.push(it.index);
      continue;
    }
    const raw = reveal(it.value).trim();
    const m = /^([A-Za-z-]+)\s*[=:]\s*([\s\S]*)$/.exec(raw);
    opts.push(
      m
        ? { index: it.index, key: m[1]!.toLowerCase(), value: m[2]! }
        : { index: it.index, key: raw.toLowerCase(), value: '' },
    );
  }
  return { opts, unknownAt };
}

/**
 * Checks that a boolean-ish setting is not switched on (privileged, publish-all…): absent and
 * false pass, unknown is unknown.
 */
export function mustNotBeTrue(v: Val<boolean> | undefined, path: string, message: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v === true ? fail(path, message) : pass();
}

/** Checks a namespace mode (`pidMode`, `ipcMode`…) is not `host`. */
export function notHostMode(v: Val<string> | undefined, path: string, what: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v.trim().toLowerCase() === 'host' ? fail(path, `shares the host's ${what} namespace`) : pass();
}

/** Upper-cased capability name without the `CAP_` prefix. */
export function capName(c: string): string {
  const up = c.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}
