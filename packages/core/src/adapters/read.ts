/**
 * Tolerant readers shared by the adapters. Inputs arrive in many encodings: plain JSON, Pulumi's
 * wire form (secret wrappers, unknown sentinel strings), `setMocks` objects
 * (`{__pulumiUnknown: true}`), encrypted stack-export secrets, preview JSON `[secret]` strings
 * and the policy SDK's proxies that throw when an unknown is read. Every reader returns a
 * known value, {@link UNKNOWN} or `undefined` (absent) and never throws: a field of the wrong type
 * becomes {@link UNKNOWN}, so the rule that reads it says *unknown* instead of guessing.
 */
import { LABELS } from '../model/labels.js';
import { type ContainerSpec, type NetworkSpec, newNetworkSpec, type SourceInfo } from '../model/spec.js';
import {
  isUnknown,
  type MaybeSecret,
  markSecretKeys,
  reveal,
  Secret,
  UNKNOWN,
  type Unknown,
  type Val,
} from '../model/value.js';

/** Key of Pulumi's secret signature (`resource.SigKey`). */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
/** Signature value marking a secret (`resource.SecretSig`). */
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Pulumi's unknown sentinel for a string (the engine sends every unknown as this to an analyzer). */
export const UNKNOWN_SENTINEL = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/**
 * Pulumi's unknown sentinels as they travel over gRPC and appear in preview JSON and the policy
 * analyzer (string, boolean, number, array, asset, archive, object).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_SENTINEL,
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

/**
 * A secret whose content is not in the input: encrypted (`ciphertext`) in a stack export, or
 * shown as `[secret]` in preview JSON. It is both a {@link Secret} (`isSecret` is true, so a rule
 * can tell the value is managed as a secret) and unknown (`isUnknown` is true, so no rule reads
 * its content). {@link SealedSecret.reveal} throws rather than hand out a fake value.
 */
export class SealedSecret extends Secret {
  /** Makes `isUnknown()` true for this value. */
  readonly __bulkheadUnknown = true as const;
  constructor() {
    super('');
  }
  /** Always throws: the content of a sealed secret is not known. Check `isUnknown` first. */
  override reveal(): never {
    throw new Error('the content of this secret is encrypted in the input and not known');
  }
}

/** The single sealed-secret value. */
export const SEALED: SealedSecret = new SealedSecret();
Object.freeze(SEALED);

/** How the input encodes special values. */
export interface ReadContext {
  /** Preview JSON prints secrets as the string `[secret]`. */
  previewSecrets: boolean;
}

/** Default context: mocks, the wire and the analyzer. */
export const PLAIN: ReadContext = Object.freeze({ previewSecrets: false });
/** Preview JSON context. */
export const PREVIEW: ReadContext = Object.freeze({ previewSecrets: true });

/**
 * A peeled raw value: wrappers removed. `v` is the plain value, {@link UNKNOWN} or {@link SEALED};
 * `s` says a secret wrapper was removed on the way (or an enclosing value was secret).
 */
export interface Peeled {
  v: unknown;
  s: boolean;
}

/**
 * Reads `o[k]` of an object (absent for anything else). It does not guard against getters that
 * throw: the adapters call {@link safeCopy} and start over when one does (the policy SDK's proxy
 * throws on unknown values), so the common case stays a plain property read.
 */
export function get(o: unknown, k: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  return (o as Record<string, unknown>)[k];
}

/**
 * `read`, retried on a {@link safeCopy} of the props when it throws: a getter of the policy SDK's
 * proxy throws on an unknown value, and the copy reads it as unknown instead.
 */
export function guarded<T>(
  read: (props: unknown, source: SourceInfo, ctx: ReadContext) => T,
): (props: unknown, source: SourceInfo, ctx: ReadContext) => T {
  return (props, source, ctx) => {
    try {
      return read(props, source, ctx);
    } catch {
      return read(safeCopy(props), source, ctx);
    }
  };
}

/**
 * A plain copy of `v` in which every value whose getter throws (or that is nested deeper than
 * 32 levels) is {@link UNKNOWN}. Used only after a fast read threw.
 */
export function safeCopy(v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null) return typeof v === 'function' ? UNKNOWN : v;
  try {
    if (v instanceof Secret || isUnknown(v)) return v;
  } catch {
    return UNKNOWN; // a proxy whose every read throws
  }
  if (depth > 32) return UNKNOWN;
  const read = (k: string | number): unknown => {
    try {
      return safeCopy((v as Record<string | number, unknown>)[k], depth + 1);
    } catch {
      return UNKNOWN;
    }
  };
  try {
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => read(i));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setKey(out, k, read(k));
    return out;
  } catch {
    return UNKNOWN;
  }
}

/**
 * Removes Pulumi wrappers from a raw value. Returns the plain value with a flag telling whether it
 * was secret; unknown encodings become {@link UNKNOWN} and content-less secrets {@link SEALED}.
 */
export function peel(raw: unknown, secret: boolean, ctx: ReadContext): Peeled {
  let v = raw;
  let s = secret;
  for (let depth = 0; depth < 64; depth++) {
    if (typeof v === 'string') {
      if (UNKNOWN_SENTINELS.has(v)) return { v: UNKNOWN, s };
      if (ctx.previewSecrets && v === '[secret]') return { v: SEALED, s: true };
      return { v, s };
    }
    if (typeof v !== 'object' || v === null) return { v, s };
    if (isUnknown(v)) return { v: v instanceof SealedSecret ? SEALED : UNKNOWN, s: s || v instanceof Secret };
    if (v instanceof Secret) return { v: v.reveal(), s: true };
    const o = v as Record<string, unknown>;
    let sig: unknown;
    let pu: unknown;
    try {
      sig = o[SIG_KEY];
      pu = o.__pulumiUnknown ?? o.__pulumiOutput;
    } catch {
      return { v: UNKNOWN, s };
    }
    if (pu === true) return { v: UNKNOWN, s };
    if (sig === undefined) return { v, s };
    if (sig !== SECRET_SIG) return { v: UNKNOWN, s }; // another kind of resource value (asset, reference…)
    s = true;
    const inner = get(o, 'value');
    if (inner !== undefined) {
      v = inner;
      continue;
    }
    const plaintext = get(o, 'plaintext');
    if (typeof plaintext === 'string') {
      // `pulumi stack export --show-secrets`: the value serialized as JSON.
      try {
        v = JSON.parse(plaintext);
      } catch {
        v = plaintext;
      }
      continue;
    }
    return { v: SEALED, s: true };
  }
  return { v: UNKNOWN, s };
}

/** A boolean field. */
export function bool(raw: unknown, ctx: ReadContext = PLAIN): Val<boolean> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return raw;
  const { v } = peel(raw, false, ctx);
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : UNKNOWN;
}

/** A finite number field. */
export function num(raw: unknown, ctx: ReadContext = PLAIN): Val<number> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : UNKNOWN;
  const { v } = peel(raw, false, ctx);
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : UNKNOWN;
}

/** True for a string that is its own value: no unknown sentinel, no preview's `[secret]`. */
function isPlainString(raw: unknown, ctx: ReadContext): raw is string {
  return (
    typeof raw === 'string' && !UNKNOWN_SENTINELS.has(raw) && !(ctx.previewSecrets && raw === '[secret]')
  );
}

/** A string field whose secrecy does not matter to any rule (secrets are unwrapped). */
export function str(raw: unknown, ctx: ReadContext = PLAIN): Val<string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (isPlainString(raw, ctx)) return raw;
  const { v } = peel(raw, false, ctx);
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : UNKNOWN;
}

/** A string that stays a {@link Secret} when its source marked it secret. */
export function secretStr(
  raw: unknown,
  secret: boolean,
  ctx: ReadContext = PLAIN,
): Val<MaybeSecret> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (isPlainString(raw, ctx)) return secret ? new Secret(raw) : raw;
  const p = peel(raw, secret, ctx);
  if (p.v === undefined || p.v === null) return undefined;
  if (p.v === SEALED) return SEALED;
  if (typeof p.v !== 'string') return UNKNOWN;
  return p.s ? new Secret(p.v) : p.v;
}

/**
 * A list field. `item` turns each raw element (with the inherited secret flag) into a value.
 * Absent stays absent; a non-list or an unknown list is {@link UNKNOWN}.
 */
export function list<T>(
  raw: unknown,
  item: (raw: unknown, secret: boolean, index: number) => T,
  ctx: ReadContext = PLAIN,
  secret = false,
): Val<T[]> | undefined {
  if (raw === undefined || raw === null) return undefined;
  let arr: unknown = raw;
  let s = secret;
  if (!Array.isArray(raw)) {
    const p = peel(raw, secret, ctx);
    if (p.v === undefined || p.v === null) return undefined;
    if (!Array.isArray(p.v)) return UNKNOWN;
    arr = p.v;
    s = p.s;
  }
  const a = arr as unknown[];
  const n = a.length;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    out[i] = item(a[i], s, i);
  }
  return out;
}

/** Element reader for a list of plain strings: `null`/`undefined`/wrong type → {@link UNKNOWN}. */
export function strItem(ctx: ReadContext): (raw: unknown) => Val<string> {
  return ctx === PREVIEW ? strItemPreview : strItemPlain;
}
const strItemPlain = (raw: unknown): Val<string> => str(raw, PLAIN) ?? UNKNOWN;
const strItemPreview = (raw: unknown): Val<string> => str(raw, PREVIEW) ?? UNKNOWN;

/** Element reader for a list of possibly-secret strings. */
export function secretItem(ctx: ReadContext): (raw: unknown, secret: boolean) => Val<MaybeSecret> {
  return (raw, secret) => secretStr(raw, secret, ctx) ?? UNKNOWN;
}

/** A plain string list (`capDrop`, `groupAdd`…); `null` elements are unknown. */
export function strList(raw: unknown, ctx: ReadContext = PLAIN): Val<Val<string>[]> | undefined {
  return list(raw, strItem(ctx), ctx);
}

/**
 * A string map (`sysctls`, `tmpfs`, `logOpts`). Non-string scalars are stringified (compose
 * writes `nofile: 1024`); other values become {@link UNKNOWN}.
 */
export function strMap(raw: unknown, ctx: ReadContext = PLAIN): Val<Record<string, Val<string>>> | undefined {
  const m = mapOf(
    raw,
    (v) => {
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return str(v, ctx) ?? '';
    },
    ctx,
  );
  return m;
}

/** A map whose values may be secret (`labels`). */
export function secretMap(
  raw: unknown,
  ctx: ReadContext = PLAIN,
): Val<Record<string, Val<MaybeSecret>>> | undefined {
  return mapOf(
    raw,
    (v, s) => {
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return secretStr(v, s, ctx) ?? '';
    },
    ctx,
  );
}

function mapOf<T>(
  raw: unknown,
  value: (raw: unknown, secret: boolean) => T,
  ctx: ReadContext,
): Val<Record<string, T>> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const p = peel(raw, false, ctx);
  if (p.v === undefined || p.v === null) return undefined;
  if (typeof p.v !== 'object' || Array.isArray(p.v) || isUnknown(p.v)) return UNKNOWN;
  const out: Record<string, T> = {};
  let keys: string[];
  try {
    keys = Object.keys(p.v);
  } catch {
    return UNKNOWN;
  }
  for (const k of keys) setKey(out, k, value(get(p.v, k), p.s));
  // A map wrapped as a whole in a secret hides its keys too (a sysctl or mount name can be secret).
  return p.s ? markSecretKeys(out) : out;
}

/** Sets `rec[key]` as an own property, even for `__proto__`. */
export function setKey<T>(rec: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    rec[key] = value;
  }
}

/** True when `v` is a plain (non-array, non-null) object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The object inside a raw value for nested settings (`capabilities`, `healthcheck`): the object,
 * {@link UNKNOWN}, or `undefined` when absent. Secret flag is reported through `secret`.
 */
export function obj(raw: unknown, ctx: ReadContext = PLAIN): Record<string, unknown> | Unknown | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (
    isObject(raw) &&
    !(SIG_KEY in raw) &&
    raw.__pulumiUnknown === undefined &&
    raw.__pulumiOutput === undefined &&
    !isUnknown(raw)
  ) {
    return raw;
  }
  const { v } = peel(raw, false, ctx);
  if (v === undefined || v === null) return undefined;
  return isObject(v) && !isUnknown(v) ? v : UNKNOWN;
}

/** Splits `KEY=VALUE`; a missing `=` gives an unknown value (taken from the environment at run time). */
export function envEntry(
  raw: unknown,
  secret: boolean,
  origin: string,
  ctx: ReadContext,
): { name: Val<string>; value?: Val<MaybeSecret>; origin: string } {
  let text: string;
  let isSecret = secret;
  if (isPlainString(raw, ctx)) text = raw;
  else {
    const p = peel(raw, secret, ctx);
    if (p.v === SEALED) return { name: UNKNOWN, value: SEALED, origin };
    if (typeof p.v !== 'string') return { name: UNKNOWN, value: UNKNOWN, origin };
    text = p.v;
    isSecret = p.s;
  }
  const eq = text.indexOf('=');
  if (eq < 0) return { name: text, value: UNKNOWN, origin };
  const value = text.slice(eq + 1);
  return { name: text.slice(0, eq), value: isSecret ? new Secret(value) : value, origin };
}

/**
 * `links` and `ingress` from Bulkhead's labels (`dev.bulkhead.links`, `dev.bulkhead.role`).
 * `extra` adds links declared another way (compose `depends_on`).
 */
export function linksFromLabels(
  labels: ContainerSpec['labels'],
  extra: readonly string[] = [],
): Pick<ContainerSpec, 'links' | 'ingress'> {
  if (labels === undefined) return extra.length > 0 ? { links: [...extra] } : {};
  if (isUnknown(labels)) return { links: UNKNOWN, ingress: UNKNOWN };
  const out: Pick<ContainerSpec, 'links' | 'ingress'> = {};
  const rawLinks = Object.hasOwn(labels, LABELS.links) ? labels[LABELS.links] : undefined;
  if (rawLinks !== undefined && isUnknown(rawLinks)) {
    out.links = UNKNOWN;
  } else {
    const links = [...extra];
    if (rawLinks !== undefined) {
      for (const part of reveal(rawLinks).split(',')) {
        const t = part.trim();
        if (t && !links.includes(t)) links.push(t);
      }
    }
    if (rawLinks !== undefined || extra.length > 0) out.links = links;
  }
  const role = Object.hasOwn(labels, LABELS.role) ? labels[LABELS.role] : undefined;
  if (role !== undefined)
    out.ingress = isUnknown(role) ? UNKNOWN : reveal(role).trim().toLowerCase() === 'ingress';
  return out;
}

/** Sets `o[k] = v` unless `v` is absent, so specs carry no `undefined` members. */
export function put<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v as T[K];
}

/** A network about which nothing is known. */
export function unknownNetwork(source: SourceInfo): NetworkSpec {
  const spec = newNetworkSpec(source, UNKNOWN);
  spec.driver = UNKNOWN;
  spec.internal = UNKNOWN;
  spec.attachable = UNKNOWN;
  spec.ipv6 = UNKNOWN;
  spec.options = UNKNOWN;
  spec.labels = UNKNOWN;
  return spec;
}
