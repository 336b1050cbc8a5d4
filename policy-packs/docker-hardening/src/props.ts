/**
 * Reading resource properties the way `@pulumi/policy` hands them over, without tripping on
 * unknowns.
 *
 * The policy SDK wraps `props` in a proxy that throws `UnknownValueError` when policy code reads a
 * value that is not known yet (a computed output during `pulumi preview`); on Remediate a second
 * proxy unwraps secrets on read. Underneath is plain deserialized JSON in which an unknown is
 * Pulumi's sentinel string (`04da6b54-…`), a secret is its plain value (Analyze) or an SDK
 * `Secret` instance (Remediate). Core's adapters read sentinel strings as UNKNOWN, so the pack
 * hands them the proxy's target and no rule ever sees a throwing read.
 */
import { PULUMI_SECRET_SIG, PULUMI_SIG_KEY } from '@bulkhead/core';
import { Secret as PolicySecret } from '@pulumi/policy';

const IS_PROXY = '__isSpecialProxy';
const PROXY_TARGET = '__getSpecialProxyTarget';

/** Pulumi's wire form of a secret, which core's adapters read as a secret. */
const SIG_KEY = PULUMI_SIG_KEY;
const SECRET_SIG = PULUMI_SECRET_SIG;

/**
 * The object behind the policy SDK's proxies. Falls back to the value itself when it is not a
 * proxy (core's adapters also read through the proxy, turning throwing reads into UNKNOWN).
 */
export function rawProps(props: unknown): Record<string, unknown> {
  let t = props as Record<string, unknown>;
  for (let depth = 0; depth < 4; depth++) {
    if (t === null || typeof t !== 'object') break;
    let target: unknown;
    try {
      if (t[IS_PROXY] !== true) break;
      target = t[PROXY_TARGET];
    } catch {
      break;
    }
    if (target === null || typeof target !== 'object' || target === t) break;
    t = target as Record<string, unknown>;
  }
  return t ?? {};
}

/** True for the SDK's `Secret` wrapper (present in Remediate's properties). */
export function isPolicySecret(v: unknown): v is PolicySecret {
  return v instanceof PolicySecret;
}

/**
 * Converts raw Remediate properties for core's adapters: SDK `Secret` instances become Pulumi's
 * secret wire form (which the adapters keep secret). Other values are shared, not copied.
 */
export function forAdapters(v: unknown): unknown {
  if (isPolicySecret(v)) return { [SIG_KEY]: SECRET_SIG, value: forAdapters(v.value) };
  if (Array.isArray(v)) return v.map(forAdapters);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = forAdapters(e);
    return out;
  }
  return v;
}

/**
 * A deep copy of plain arrays and objects; SDK `Secret` instances (and anything else that is not
 * plain data) are kept as they are, so a remediation cannot unwrap a secret by copying it.
 */
export function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = clonePlain(e);
    return out as T;
  }
  return v;
}
