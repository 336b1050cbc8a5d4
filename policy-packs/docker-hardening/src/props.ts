/**
 * Remediate's properties for core's adapters and back. On Remediate the SDK hands policy code its
 * `Secret` class for secret values (sdk.ts reads them from behind its proxy): they become Pulumi's
 * secret wire form for the adapters, and a fix keeps them as they are.
 */
import { Secret as PolicySecret } from '@pulumi/policy';
import { wireSecret } from './sdk.js';

/** True for the SDK's `Secret` wrapper (present in Remediate's properties). */
export function isPolicySecret(v: unknown): v is PolicySecret {
  return v instanceof PolicySecret;
}

/**
 * Converts raw Remediate properties for core's adapters: SDK `Secret` instances become Pulumi's
 * secret wire form (which the adapters keep secret). Other values are shared, not copied.
 */
export function forAdapters(v: unknown): unknown {
  if (isPolicySecret(v)) return wireSecret(forAdapters(v.value));
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
