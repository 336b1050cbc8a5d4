import fc from 'fast-check';
import { jsonChunks, Streamed, streamed } from '../src/report/stream';

/** Replaces some arrays in `value` with streamed ones; returns the value JSON.stringify should see too. */
function streamSome(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => streamSome(v, pick));
    return pick() ? streamed(items) : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, streamSome(v, pick)]));
  }
  return value;
}

const plain = (v: unknown): unknown =>
  v instanceof Streamed
    ? [...v.items].map(plain)
    : Array.isArray(v)
      ? v.map(plain)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
        : v;

describe('streaming JSON', () => {
  it('yields exactly the text of JSON.stringify(value, null, 2), whichever arrays are streamed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.infiniteStream(fc.boolean()), (value, bools) => {
        const it = bools[Symbol.iterator]();
        const doc = streamSome(value, () => it.next().value as boolean);
        expect([...jsonChunks(doc)].join('')).toBe(JSON.stringify(plain(doc), null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('produces a streamed array one element at a time (never all of it first)', () => {
    let produced = 0;
    function* items() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield { i };
      }
    }
    const chunks = jsonChunks({ a: 1, findings: streamed(items()) });
    for (let i = 0; i < 5; i++) chunks.next();
    expect(produced).toBeLessThan(5);
  });
});
