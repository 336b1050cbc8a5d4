/**
 * The tolerant readers every adapter shares (src/adapters/read.ts), tested directly on each
 * encoding a value can arrive in. Adapter tests reach them too, but through fixtures built once
 * per file, which mutation testing's per-test coverage does not attribute to any test.
 */

import {
  bool,
  envEntry,
  get,
  linksFromLabels,
  list,
  num,
  obj,
  PLAIN,
  PREVIEW,
  peel,
  put,
  SEALED,
  SECRET_SIG,
  SIG_KEY,
  safeCopy,
  secretItem,
  secretMap,
  secretStr,
  setKey,
  str,
  strItem,
  strList,
  strMap,
} from '../../src/adapters/read.js';
import { isSecret, isUnknown, reveal, Secret, UNKNOWN } from '../../src/model/value.js';

const SENTINEL = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const plaintext = (json: string) => ({ [SIG_KEY]: SECRET_SIG, plaintext: json });
const ciphertext = { [SIG_KEY]: SECRET_SIG, ciphertext: 'AAAA' };
/** An object whose Pulumi-marker reads throw, as the policy SDK's proxy does for unknown values. */
const throwing = new Proxy(
  {},
  {
    get(_t, k) {
      if (k === SIG_KEY || k === '__pulumiUnknown') throw new Error('unknown value');
      return undefined;
    },
  },
);
/**
 * `SEALED`, `UNKNOWN` or the value itself: jest's `toEqual` does not tell the sealed secret from
 * the unknown marker (both carry `__bulkheadUnknown`), so assertions name them.
 */
const kind = (v: unknown): unknown => (v === SEALED ? 'SEALED' : v === UNKNOWN ? 'UNKNOWN' : v);
const kinds = (vs: readonly unknown[]) => vs.map(kind);

describe('get and safeCopy', () => {
  it('reads a property of objects only', () => {
    expect(get({ a: 1 }, 'a')).toBe(1);
    expect(get('abc', 'length')).toBeUndefined();
    expect(get(null, 'a')).toBeUndefined();
  });

  it('copies plainly, turning functions, throwing reads and deep nesting into UNKNOWN', () => {
    const s = new Secret('x');
    const withGetter = Object.defineProperty({ ok: [1, 'a', s] }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('unknown');
      },
    });
    const copy = safeCopy(withGetter) as { ok: unknown[]; bad: unknown };
    expect(copy.ok).toEqual([1, 'a', s]);
    expect(copy.ok[2]).toBe(s);
    expect(copy.bad).toBe(UNKNOWN);
    expect(safeCopy(() => 1)).toBe(UNKNOWN);
    expect(safeCopy('text')).toBe('text');
    expect(safeCopy(SEALED)).toBe(SEALED);
    expect(safeCopy(throwing)).toEqual({});
    const everyReadThrows = new Proxy(
      {},
      {
        get() {
          throw new Error('unknown value');
        },
      },
    );
    expect(safeCopy(everyReadThrows)).toBe(UNKNOWN);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = [deep];
    let level: unknown = safeCopy(deep);
    let depth = 0;
    while (Array.isArray(level)) {
      level = level[0];
      depth++;
    }
    expect([depth, kind(level)]).toEqual([33, 'UNKNOWN']);
  });

  it('keeps a __proto__ key as an own property', () => {
    const copy = safeCopy(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    const rec: Record<string, number> = {};
    setKey(rec, '__proto__', 1);
    setKey(rec, 'a', 2);
    expect(Object.entries(rec)).toEqual([
      ['__proto__', 1],
      ['a', 2],
    ]);
    expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
  });
});

describe('peel', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['a plain string', 'x', 'x', false],
    ['a number', 3, 3, false],
    ['null', null, null, false],
    ['an unknown sentinel', SENTINEL, UNKNOWN, false],
    ['setMocks’ unknown', { __pulumiUnknown: true }, UNKNOWN, false],
    ['an unknown output', { __pulumiOutput: true }, UNKNOWN, false],
    ['UNKNOWN', UNKNOWN, UNKNOWN, false],
    ['SEALED', SEALED, SEALED, true],
    ['a Secret', new Secret('x'), 'x', true],
    ['a wire secret', secret('x'), 'x', true],
    ['a nested wire secret', secret(secret(['a'])), ['a'], true],
    ['a secret around an unknown', secret(SENTINEL), UNKNOWN, true],
    ['an exported secret with plaintext JSON', plaintext('["a",1]'), ['a', 1], true],
    ['an exported secret with plaintext that is not JSON', plaintext('not json'), 'not json', true],
    ['an encrypted secret', ciphertext, SEALED, true],
    ['a secret without a value', secret(undefined), SEALED, true],
    ['another kind of resource value', { [SIG_KEY]: 'c44067f5952c0a294b673a41bacd8c17' }, UNKNOWN, false],
    ['a proxy that throws', throwing, UNKNOWN, false],
    ['a plain object', { a: 1 }, { a: 1 }, false],
  ])('reads %s', (_, raw, v, s) => {
    const p = peel(raw, false, PLAIN);
    expect({ v: kind(p.v), s: p.s }).toEqual({ v: kind(v), s });
  });

  it('keeps an inherited secret flag', () => {
    expect(peel('x', true, PLAIN)).toEqual({ v: 'x', s: true });
    expect(peel(UNKNOWN, true, PLAIN).s).toBe(true);
  });

  it('reads [secret] as sealed only in preview JSON', () => {
    expect(peel('[secret]', false, PREVIEW)).toEqual({ v: SEALED, s: true });
    expect(peel('[secret]', false, PREVIEW).v).toBe(SEALED);
    expect(peel('[secret]', false, PLAIN)).toEqual({ v: '[secret]', s: false });
  });

  it('gives up on wrappers nested 64 deep', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 64; i++) v = secret(v);
    expect(kind(peel(v, false, PLAIN).v)).toBe('UNKNOWN');
    let w: unknown = 'x';
    for (let i = 0; i < 63; i++) w = secret(w);
    expect(peel(w, false, PLAIN)).toEqual({ v: 'x', s: true });
  });
});

describe('scalar readers', () => {
  it('bool: booleans, wrapped booleans; other values unknown', () => {
    expect([bool(true), bool(secret(false)), bool(null), bool(undefined), bool(secret(null))]).toEqual([
      true,
      false,
      undefined,
      undefined,
      undefined,
    ]);
    expect(kinds([bool('true'), bool(1), bool(SENTINEL), bool(ciphertext)])).toEqual([
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });

  it('num: finite numbers only', () => {
    expect([num(5), num(secret(7)), num(null), num(secret(null))]).toEqual([5, 7, undefined, undefined]);
    expect(
      kinds([
        num(Number.NaN),
        num(Infinity),
        num('5'),
        num(secret(Infinity)),
        num(SENTINEL),
        num(ciphertext),
      ]),
    ).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  });

  it('str: strings, unwrapped; unknown encodings, sealed secrets and other types unknown', () => {
    expect([str('a'), str(secret('b')), str(null), str(secret(null))]).toEqual([
      'a',
      'b',
      undefined,
      undefined,
    ]);
    expect(
      kinds([str(SENTINEL), str(5), str('[secret]', PREVIEW), str(ciphertext), str('[secret]')]),
    ).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', '[secret]']);
  });

  it('secretStr: keeps secrecy, from the wrapper or from the caller', () => {
    const wrapped = secretStr(secret('pw'), false);
    expect(isSecret(wrapped) && reveal(wrapped)).toBe('pw');
    const marked = secretStr('pw', true);
    expect(isSecret(marked) && reveal(marked)).toBe('pw');
    expect(secretStr('plain', false)).toBe('plain');
    expect([secretStr(null, true), secretStr(secret(null), false)]).toEqual([undefined, undefined]);
    expect(
      kinds([
        secretStr(ciphertext, false),
        secretStr('[secret]', false, PREVIEW),
        secretStr(5, false),
        secretStr(SENTINEL, true),
        secretStr('[secret]', false),
      ]),
    ).toEqual(['SEALED', 'SEALED', 'UNKNOWN', 'UNKNOWN', '[secret]']);
  });
});

describe('list readers', () => {
  it('reads each item, passing down a secret list’s flag and the index', () => {
    const seen: [unknown, boolean, number][] = [];
    const out = list(secret(['a', 'b']), (raw, s, i) => {
      seen.push([raw, s, i]);
      return raw;
    });
    expect(out).toEqual(['a', 'b']);
    expect(seen).toEqual([
      ['a', true, 0],
      ['b', true, 1],
    ]);
    expect(list(['a'], (_r, s) => s, PLAIN, true)).toEqual([true]);
    expect(list(['a'], (_r, s) => s)).toEqual([false]);
  });

  it('is absent for null and unknown for a non-list', () => {
    expect([list(null, String), list(secret(null), String)]).toEqual([undefined, undefined]);
    expect(kinds([list('a,b', String), list({ a: 1 }, String), list(SENTINEL, String)])).toEqual([
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });

  it('reads string items per context; missing or wrong items are unknown', () => {
    expect(kinds(strList(['a', null, 5, SENTINEL, '[secret]']) as unknown[])).toEqual([
      'a',
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      '[secret]',
    ]);
    expect(kinds(strList(['[secret]', 'b'], PREVIEW) as unknown[])).toEqual(['UNKNOWN', 'b']);
    expect(strItem(PLAIN)('[secret]')).toBe('[secret]');
    expect(strItem(PLAIN)(null)).toBe(UNKNOWN);
    expect(strItem(PREVIEW)(null)).toBe(UNKNOWN);
    expect(kinds([secretItem(PREVIEW)('[secret]', false), secretItem(PLAIN)('[secret]', false)])).toEqual([
      'SEALED',
      '[secret]',
    ]);
    expect(isSecret(secretItem(PLAIN)('x', true))).toBe(true);
    expect(secretItem(PLAIN)(null, false)).toBe(UNKNOWN);
  });
});

describe('map readers', () => {
  it('strMap stringifies scalars and reads wrapped values', () => {
    const m = strMap({
      n: 1024,
      b: false,
      t: true,
      s: secret('x'),
      u: SENTINEL,
      z: null,
      o: { a: 1 },
    }) as Record<string, unknown>;
    expect(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, kind(v)]))).toEqual({
      n: '1024',
      b: 'false',
      t: 'true',
      s: 'x',
      u: 'UNKNOWN',
      z: '',
      o: 'UNKNOWN',
    });
  });

  it('secretMap keeps secret values secret and stringifies scalars', () => {
    const m = secretMap(secret({ a: 'x', n: 2, b: true })) as Record<string, unknown>;
    expect(isSecret(m.a) && reveal(m.a as Secret)).toBe('x');
    expect([m.n, m.b]).toEqual(['2', 'true']);
    expect(secretMap({ a: null, p: 'plain' })).toEqual({ a: '', p: 'plain' });
  });

  it('is absent for null and unknown for lists, scalars, unknowns and sealed secrets', () => {
    expect([strMap(null), strMap(secret(null)), secretMap(undefined)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    for (const raw of [['a'], 'a=b', 5, SENTINEL, UNKNOWN, throwing, ciphertext])
      expect(strMap(raw)).toBe(UNKNOWN);
  });
});

describe('obj', () => {
  it('hands back a plain object as is, and unwraps or rejects anything else', () => {
    const o = { drops: ['ALL'] };
    expect(obj(o)).toBe(o);
    expect(obj(secret(o))).toBe(o);
    expect([obj(null), obj(secret(null))]).toEqual([undefined, undefined]);
    for (const raw of [
      { __pulumiUnknown: true },
      { __pulumiOutput: true },
      UNKNOWN,
      SEALED,
      SENTINEL,
      ['a'],
      'x',
      ciphertext,
    ]) {
      expect(obj(raw)).toBe(UNKNOWN);
    }
  });
});

describe('envEntry', () => {
  it('splits at the first =, keeping secrecy', () => {
    expect(envEntry('A=b=c', false, 'envs[0]', PLAIN)).toEqual({
      name: 'A',
      value: 'b=c',
      origin: 'envs[0]',
    });
    expect(envEntry('=v', false, 'o', PLAIN)).toEqual({ name: '', value: 'v', origin: 'o' });
    const s = envEntry(secret('PW=x'), false, 'o', PLAIN);
    expect([s.name, isSecret(s.value) && reveal(s.value)]).toEqual(['PW', 'x']);
    const marked = envEntry('PW=x', true, 'o', PLAIN);
    expect(isSecret(marked.value) && reveal(marked.value)).toBe('x');
    expect(envEntry(secret('A=b'), false, 'o', PLAIN).name).toBe('A');
  });

  it('takes a value from the environment (unknown) without =, and knows nothing of unknown entries', () => {
    const home = envEntry('HOME', false, 'o', PLAIN);
    expect([home.name, kind(home.value), home.origin]).toEqual(['HOME', 'UNKNOWN', 'o']);
    for (const sealed of [
      envEntry(ciphertext, false, 'o', PLAIN),
      envEntry('[secret]', false, 'o', PREVIEW),
    ]) {
      expect([kind(sealed.name), kind(sealed.value), sealed.origin]).toEqual(['UNKNOWN', 'SEALED', 'o']);
    }
    for (const e of [envEntry(SENTINEL, false, 'o', PLAIN), envEntry(5, false, 'o', PLAIN)]) {
      expect([kind(e.name), kind(e.value), e.origin]).toEqual(['UNKNOWN', 'UNKNOWN', 'o']);
    }
  });
});

describe('linksFromLabels', () => {
  it('reads trimmed, de-duplicated links after the extra ones, and the ingress role', () => {
    expect(
      linksFromLabels(
        { 'dev.bulkhead.links': ' db:5432, cache ,db:5432,,queue', 'dev.bulkhead.role': ' Ingress ' },
        ['queue'],
      ),
    ).toEqual({ links: ['queue', 'db:5432', 'cache'], ingress: true });
    expect(linksFromLabels({ 'dev.bulkhead.role': 'worker' })).toEqual({ ingress: false });
    expect(linksFromLabels({ 'dev.bulkhead.links': new Secret('db') })).toEqual({ links: ['db'] });
  });

  it('gives the extra links alone without labels, and nothing without either', () => {
    expect(linksFromLabels(undefined, ['db'])).toEqual({ links: ['db'] });
    expect(linksFromLabels(undefined)).toStrictEqual({});
    expect(linksFromLabels({})).toStrictEqual({});
    expect(linksFromLabels({}, ['db'])).toEqual({ links: ['db'] });
  });

  it('is unknown where the labels are', () => {
    expect(linksFromLabels(UNKNOWN)).toEqual({ links: UNKNOWN, ingress: UNKNOWN });
    const r = linksFromLabels({ 'dev.bulkhead.links': UNKNOWN, 'dev.bulkhead.role': UNKNOWN }, ['db']);
    expect(isUnknown(r.links) && isUnknown(r.ingress)).toBe(true);
  });
});

describe('put', () => {
  it('sets known and unknown values and leaves absent ones out', () => {
    const o: { a?: unknown; b?: unknown; c?: unknown } = {};
    put(o, 'a', 1);
    put(o, 'b', UNKNOWN);
    put(o, 'c', undefined);
    expect(Object.keys(o)).toEqual(['a', 'b']);
  });
});
