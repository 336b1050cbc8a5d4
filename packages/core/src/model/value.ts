/**
 * Values in a {@link ContainerSpec} are *known*, *unknown* (not computed yet, as in a
 * `pulumi preview`) or *absent* (`undefined`). Secret values stay wrapped in {@link Secret} so
 * that no reporter can print them by accident.
 */

/** Marker for a value that is not known yet (a computed output during preview). */
export interface Unknown {
  readonly __bulkheadUnknown: true;
}

/** The single {@link Unknown} marker. Compare with {@link isUnknown}. */
export const UNKNOWN: Unknown = Object.freeze({ __bulkheadUnknown: true as const });

/** A value that may not be known yet. `undefined` means the setting is absent. */
export type Val<T> = T | Unknown;

/** True when `v` is the unknown marker. */
export function isUnknown(v: unknown): v is Unknown {
  return (
    typeof v === 'object' && v !== null && (v as { __bulkheadUnknown?: unknown }).__bulkheadUnknown === true
  );
}

/** True when `v` is neither unknown nor absent. */
export function isKnown<T>(v: Val<T> | undefined): v is T {
  return v !== undefined && !isUnknown(v);
}

const REDACTED = '[secret]';

/**
 * A secret string. Rules may read it through {@link reveal}; every serialization path
 * (`toString`, `toJSON`, `util.inspect`, template literals) prints `[secret]`.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The wrapped plain value. Never put the result into a message. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** A string that may be secret. */
export type MaybeSecret = string | Secret;

/** The plain string inside a possibly-secret value. */
export function reveal(v: MaybeSecret): string {
  return v instanceof Secret ? v.reveal() : v;
}

/** True when the value was marked secret by its source. */
export function isSecret(v: unknown): v is Secret {
  return v instanceof Secret;
}

/** Maps (sysctls, tmpfs, labels) whose source marked the whole map, keys included, secret. */
const secretKeyed = new WeakSet<object>();

/** Records that a map's keys came from a secret: no key may travel into a path or message. */
export function markSecretKeys<T extends object>(map: T): T {
  secretKeyed.add(map);
  return map;
}

/** True when a map's keys are secret (see {@link markSecretKeys}). */
export function hasSecretKeys(map: unknown): boolean {
  return typeof map === 'object' && map !== null && secretKeyed.has(map);
}

/**
 * The spec path of one entry of a map field: `sysctls["net.ipv4.ip_forward"]`, or, when the map's
 * keys are secret, its position only (`sysctls[#2 (secret key)]`, 1-based), so a path never carries a secret.
 */
export function mapKeyPath(field: string, map: unknown, key: string, index: number): string {
  return hasSecretKeys(map) ? `${field}[#${index + 1} (secret key)]` : `${field}[${JSON.stringify(key)}]`;
}
