/** Parsed `securityOpt` entries, shared by the seven security-option rules. */
import type { ContainerSpec } from '../../model/spec.js';
import { isSecret, type MaybeSecret, reveal } from '../../model/value.js';
import { fail, type Outcome, pass, unknown } from '../types.js';
import { items } from './lists.js';
import { canExpress, collect } from './outcomes.js';
import { sharedPerSpec } from './shared.js';

/** One parsed `--security-opt` entry. */
export interface SecurityOpt {
  index: number;
  /** Lower-cased option name: `no-new-privileges`, `seccomp`, `apparmor`, `label`, `systempaths`. */
  key: string;
  /** The value after `=` or `:`; empty when the option has none. */
  value: string;
}

/** Parsed `securityOpt` entries: known ones, and the indexes of unknown ones. */
export type SecurityOpts = { opts: SecurityOpt[]; unknownAt: number[] } | 'unknown';

/** Parses `security_opt` entries, accepting both `key=value` and the legacy `key:value` forms. */
export const securityOpts: (spec: ContainerSpec) => SecurityOpts = sharedPerSpec(parseSecurityOpts);

function parseSecurityOpts(spec: ContainerSpec): SecurityOpts {
  const list = items<MaybeSecret>(spec.securityOpt);
  if (list === 'unknown') return 'unknown';
  const opts: SecurityOpt[] = [];
  const unknownAt: number[] = [];
  for (const it of list) {
    if (!it.known || (typeof it.value !== 'string' && !isSecret(it.value))) {
      unknownAt.push(it.index);
      continue;
    }
    opts.push({ index: it.index, ...parseSecurityOpt(reveal(it.value)) });
  }
  return { opts, unknownAt };
}

/** One `--security-opt` entry's lower-cased name and its value (`key=value` or `key:value`). */
export function parseSecurityOpt(entry: string): { key: string; value: string } {
  const raw = entry.trim();
  const m = /^([A-Za-z-]+)\s*[=:]\s*([\s\S]*)$/.exec(raw);
  return m ? { key: m[1]!.toLowerCase(), value: m[2]! } : { key: raw.toLowerCase(), value: '' };
}

/**
 * Reports every `securityOpt` entry `isBad` matches (one failure each, with `message`). Unknown
 * entries are unknown; a missing list or a resource type without security options passes (the
 * engine's default profiles apply).
 */
export function forbidSecurityOpt(
  spec: ContainerSpec,
  isBad: (opt: SecurityOpt) => string | false,
): Outcome | readonly Outcome[] {
  if (!canExpress(spec, 'securityOpt')) return pass();
  const parsed = securityOpts(spec);
  if (parsed === 'unknown') return unknown('securityOpt');
  const out: Outcome[] = [];
  for (const opt of parsed.opts) {
    const message = isBad(opt);
    if (message) out.push(fail(`securityOpt[${opt.index}]`, message));
  }
  for (const i of parsed.unknownAt) out.push(unknown(`securityOpt[${i}]`));
  return collect(out);
}
