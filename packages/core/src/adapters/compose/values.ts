/**
 * Compose values as Docker Compose (compose-go v2) converts them: strings, compose's string
 * booleans and numbers, sizes, CPU counts, lists and key/value mappings. A value compose would
 * refuse is recorded as a problem (the file then fails with one input error).
 */
import { cpusToNano, sizeToBytes } from '../../model/units.js';
import { isUnknown, UNKNOWN, type Val } from '../../model/value.js';
import { isObject as isPlainObject, setKey } from '../read.js';

/** A mapping of settings; an unknown value (an unset variable) is not one. */
export const isObject = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && !isUnknown(v);

/** A setting Docker Compose would refuse: where it is and what compose expects there. */
export interface Problem {
  path: string;
  expected: string;
}

/**
 * Reads compose values the way Docker Compose (compose-go v2) converts them. A value compose
 * would refuse is recorded as a {@link Problem} (the file then fails with an input error) and
 * read as unknown meanwhile; only a value that depends on an unset variable (the loader made it
 * UNKNOWN) is unknown for good. The loader has interpolated every string: a `${X}` still in one
 * was written `$${X}` and is literal text, as in Docker Compose.
 */
export class Values {
  readonly problems: Problem[] = [];

  bad(path: string, expected: string): typeof UNKNOWN {
    this.problems.push({ path, expected });
    return UNKNOWN;
  }

  /**
   * A string. Numbers and booleans are read as their text, as the engine receives them; a string
   * that depends on an unset variable is unknown (its value is not in the file).
   */
  str(v: unknown, path: string): Val<string> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.bad(path, 'expected a string');
  }

  /**
   * A boolean: YAML `true`/`false`, or a string compose-go's `toBoolean` takes (`true`, `false`,
   * and with a warning `y`, `yes`, `on`, `n`, `no`, `off`, in any case). Anything else (a number,
   * a list, `"1"`) is refused, as compose refuses it.
   */
  bool(v: unknown, path: string): Val<boolean> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const b = STRING_BOOLEANS.get(v.toLowerCase());
      if (b !== undefined) return b;
    }
    return this.bad(path, 'expected true or false');
  }

  /** A whole number: a YAML integer or a string strconv.ParseInt reads (`"10"`, `"-1"`). */
  int(v: unknown, path: string): Val<number> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string') {
      if (/^[+-]?\d{1,15}$/.test(v)) return Number(v);
    }
    return this.bad(path, 'expected a whole number');
  }

  /** A size in bytes: a number, or a string such as `512m`, `1.5g` (go-units `RAMInBytes`). */
  size(v: unknown, path: string): Val<number> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v !== 'number' && typeof v !== 'string') return this.bad(path, 'expected a size such as 512m');
    const n = sizeToBytes(v);
    return typeof n === 'number' ? n : this.bad(path, 'expected a size such as 512m');
  }

  /** A CPU count (`0.5`, `"1.5"`) in nano-CPUs. */
  cpus(v: unknown, path: string): Val<number> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    const n = typeof v === 'number' || typeof v === 'string' ? cpusToNano(v) : UNKNOWN;
    return typeof n === 'number' ? n : this.bad(path, 'expected a number of CPUs such as 0.5');
  }

  /**
   * A list of strings. `single` allows one string for the whole list (`command`, `tmpfs`);
   * `numbers` allows numbers as items (`group_add`).
   */
  strList(
    v: unknown,
    path: string,
    how: { single?: boolean; numbers?: boolean } = {},
  ): Val<Val<string>[]> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    if (typeof v === 'string' && how.single) return [v];
    if (!Array.isArray(v)) return this.bad(path, 'expected a list of strings');
    return v.map((x, i): Val<string> => {
      if (isUnknown(x)) return UNKNOWN;
      if (typeof x === 'string') return x;
      if (typeof x === 'number' && how.numbers) return String(x);
      return this.bad(`${path}[${i}]`, 'expected a string');
    });
  }

  /** A list (`["a=b"]`) or mapping (`{a: b}`) of key/value pairs, as labels and sysctls allow. */
  keyValues(v: unknown, path: string): Val<Record<string, Val<string>>> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknown(v)) return UNKNOWN;
    const out: Record<string, Val<string>> = {};
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (typeof item !== 'string') {
          this.bad(`${path}[${i}]`, 'expected a string `key=value`');
          return;
        }
        const eq = item.indexOf('=');
        if (eq < 0) setKey(out, item, '');
        else setKey(out, item.slice(0, eq), item.slice(eq + 1));
      });
      return out;
    }
    if (!isObject(v)) return this.bad(path, 'expected a mapping or a list of `key=value` strings');
    for (const k of Object.keys(v)) {
      const x = v[k];
      setKey(out, k, x === null ? '' : (this.str(x, `${path}.${k}`) ?? ''));
    }
    return out;
  }

  /** A mapping (or absent); anything else is refused. */
  map(v: unknown, path: string, what = 'expected a mapping'): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.bad(path, what);
    return undefined;
  }
}

/** The strings compose-go's `toBoolean` accepts, lower-cased. */
const STRING_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['y', true],
  ['yes', true],
  ['on', true],
  ['n', false],
  ['no', false],
  ['off', false],
]);
