/**
 * Behaviour-preserving fixes for `remediate` enforcement, keyed by the id of the catalog rule each
 * one satisfies. A fix edits a copy of the resource's raw inputs and only where the program left
 * the setting unset: an explicit choice (`no-new-privileges:false`, an `ip`, added capabilities)
 * is never overridden, and an unknown value is never touched. Whether a fix worked is decided by
 * running the rule again on the result (see policies.ts), not here.
 */
import { PULUMI_TYPES, SECURE, UNKNOWN_SENTINELS } from '@bulkhead/core';
import { isPolicySecret } from './props.js';

/** One fix: mutates `props` and returns true when it changed something. */
export interface Fix {
  /** Resource types the fix knows how to edit. */
  types: readonly string[];
  apply(props: Record<string, unknown>): boolean;
}

function plain(v: unknown): unknown {
  return isPolicySecret(v) ? plain(v.value) : v;
}

function isUnknownRaw(v: unknown): boolean {
  const p = plain(v);
  return typeof p === 'string' && UNKNOWN_SENTINELS.has(p);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isPolicySecret(v);
}

/** A known list, or `undefined` when absent, `'other'` when unknown, secret or not a list. */
function knownList(v: unknown): unknown[] | undefined | 'other' {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some(isUnknownRaw)) return 'other';
  return v;
}

const CONTAINER = [PULUMI_TYPES.container] as const;

/** Fixes by rule id. Every key must be a catalog rule id (a test checks). */
export const FIXES: Readonly<Record<string, Fix>> = {
  'no-new-privileges': {
    types: CONTAINER,
    apply(p) {
      const opts = knownList(p.securityOpts);
      if (opts === 'other') return false;
      const list = opts ?? [];
      if (list.some((o) => /^\s*no-new-privileges/i.test(String(plain(o))))) return false;
      p.securityOpts = [...list, SECURE.noNewPrivileges];
      return true;
    },
  },
  'drop-all-capabilities': {
    types: CONTAINER,
    apply(p) {
      if (p.capabilities === undefined || p.capabilities === null) {
        p.capabilities = { drops: [SECURE.capDrop] };
        return true;
      }
      const caps = p.capabilities;
      if (!isObject(caps)) return false;
      const adds = knownList(caps.adds);
      if (adds === 'other' || (adds !== undefined && adds.length > 0)) return false;
      const drops = knownList(caps.drops);
      if (drops === 'other') return false;
      caps.drops = [SECURE.capDrop];
      return true;
    },
  },
  'ports-bound-to-interface': {
    types: CONTAINER,
    apply(p) {
      const ports = knownList(p.ports);
      if (ports === undefined || ports === 'other') return false;
      let changed = false;
      for (const port of ports) {
        if (isObject(port) && (port.ip === undefined || port.ip === null)) {
          port.ip = SECURE.portIp;
          changed = true;
        }
      }
      return changed;
    },
  },
  'bounded-logs': {
    types: CONTAINER,
    apply(p) {
      if (plain(p.logDriver) !== SECURE.logDriver) return false;
      if (p.logOpts === undefined || p.logOpts === null) p.logOpts = {};
      const opts = p.logOpts;
      if (!isObject(opts) || opts['max-size'] !== undefined) return false;
      opts['max-size'] = SECURE.logMaxSize;
      if (opts['max-file'] === undefined) opts['max-file'] = String(SECURE.logMaxFiles);
      return true;
    },
  },
};
