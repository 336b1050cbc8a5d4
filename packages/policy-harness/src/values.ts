/**
 * Property values as the Pulumi engine marshals them for an analyzer: plain JSON plus two special
 * forms. A secret travels as an object tagged with the secret signature; a value that is not known
 * yet (a computed output during `pulumi preview`) travels as the unknown string sentinel. The engine
 * marshals every unknown as the *string* sentinel, whatever the value's type.
 */

/** Key that marks a special Pulumi value (secret, asset, archive, resource reference). */
export const SPECIAL_SIG_KEY = '4dabf18193072939515e22adb298388d';
/** Signature of a secret: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
/** The sentinel the engine sends for any unknown value. */
export const UNKNOWN_SENTINEL = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** A value the engine would send as a secret. Build one with {@link secret}. */
export class SecretValue<T = unknown> {
  readonly value: T;
  constructor(value: T) {
    this.value = value;
  }
  /** Never print the wrapped value by accident. */
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}

/** A value that is not known yet, as in a preview. Build one with {@link unknown}. */
export class UnknownValue {
  static readonly instance = new UnknownValue();
  private constructor() {}
  toString(): string {
    return '[unknown]';
  }
}

/** Marks `value` secret: the pack receives it the way the engine sends secret outputs. */
export function secret<T>(value: T): SecretValue<T> {
  return new SecretValue(value);
}

/** A value that is not known until the resource is created (sent as the unknown sentinel). */
export function unknown(): UnknownValue {
  return UnknownValue.instance;
}

/** True for a {@link SecretValue}. */
export function isSecretValue(v: unknown): v is SecretValue {
  return v instanceof SecretValue;
}

/** True for the {@link UnknownValue} marker. */
export function isUnknownValue(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** JSON as protobuf's `Struct.fromJavaScript` accepts it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Encodes harness property values into the engine's wire form (before `Struct.fromJavaScript`):
 * secrets become signature objects, unknowns become the sentinel, `undefined` properties are
 * dropped (the engine has no such value) and keys starting with `__` are skipped when
 * `skipInternalKeys` is set, as the engine does for Analyze.
 */
export function encodeValue(v: unknown, path = '', skipInternalKeys = false): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${path || '(root)'}: ${v} cannot be sent to an analyzer`);
    return v;
  }
  if (v instanceof UnknownValue) return UNKNOWN_SENTINEL;
  if (v instanceof SecretValue) {
    const inner = encodeValue(v.value, path, skipInternalKeys);
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: inner === undefined ? null : inner };
  }
  if (Array.isArray(v)) {
    return v.map((e, i) => {
      const out = encodeValue(e, `${path}[${i}]`, skipInternalKeys);
      return out === undefined ? null : out;
    });
  }
  if (typeof v === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      if (skipInternalKeys && k.startsWith('__')) continue;
      const enc = encodeValue(e, path ? `${path}.${k}` : k, skipInternalKeys);
      if (enc !== undefined) out[k] = enc;
    }
    return out;
  }
  throw new TypeError(`${path || '(root)'}: a ${typeof v} cannot be sent to an analyzer`);
}

const UNKNOWN_SENTINELS = new Set([
  UNKNOWN_SENTINEL,
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

/**
 * Decodes wire-form values (as returned by Remediate) back into harness values: secret signature
 * objects become {@link SecretValue}, unknown sentinels become {@link UnknownValue}.
 */
export function decodeValue(v: unknown): unknown {
  if (typeof v === 'string') return UNKNOWN_SENTINELS.has(v) ? UnknownValue.instance : v;
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return new SecretValue(decodeValue(o.value));
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) out[k] = decodeValue(e);
    return out;
  }
  return v;
}
