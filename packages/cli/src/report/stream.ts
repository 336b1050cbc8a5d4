/**
 * Streaming JSON: the text `JSON.stringify(value, null, 2)` would produce, yielded in pieces, with
 * arrays wrapped in {@link streamed} produced one element at a time. A report with hundreds of
 * thousands of findings then never exists as one string (V8 caps a string at about 512 MiB, and a
 * string that size would also double peak memory).
 */

/** An array whose elements are produced and serialized one at a time. */
export class Streamed<T> {
  constructor(readonly items: Iterable<T>) {}
}

/** Marks `items` to be serialized element by element. */
export const streamed = <T>(items: Iterable<T>): Streamed<T> => new Streamed(items);

/** Maps lazily. */
export function* mapIter<T, R>(items: Iterable<T>, fn: (item: T) => R): Generator<R> {
  for (const item of items) yield fn(item);
}

const indent = (depth: number) => '  '.repeat(depth);

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels deep. */
function leaf(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  // JSON text has no raw newline inside strings: every newline is layout.
  return depth === 0 ? text : text.replace(/\n/g, `\n${indent(depth)}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Streamed);

/** Yields the JSON text of `value` (2-space indentation, no trailing newline). */
export function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  if (value instanceof Streamed || (Array.isArray(value) && hasStreamed(value))) {
    let first = true;
    for (const item of value instanceof Streamed ? value.items : (value as unknown[])) {
      yield `${first ? '[\n' : ',\n'}${indent(depth + 1)}`;
      yield* jsonChunks(item, depth + 1);
      first = false;
    }
    yield first ? '[]' : `\n${indent(depth)}]`;
    return;
  }
  if (!isPlainObject(value) || !hasStreamed(value)) {
    yield leaf(value, depth);
    return;
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '{\n' : ',\n'}${indent(depth + 1)}${JSON.stringify(k)}: `;
    yield* jsonChunks(v, depth + 1);
    first = false;
  }
  yield `\n${indent(depth)}}`;
}

function hasStreamed(value: unknown): boolean {
  if (value instanceof Streamed) return true;
  if (Array.isArray(value)) return value.some(hasStreamed);
  if (isPlainObject(value)) return Object.values(value).some(hasStreamed);
  return false;
}
