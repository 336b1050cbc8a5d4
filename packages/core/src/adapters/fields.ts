/**
 * Field tables: each input kind declares, once per spec field, where the input keeps it and how
 * to read it. Reading, the translation of a finding's spec path back to the input
 * ({@link SourceInfo.fieldPaths}) and the list of fields an input can set derive from the table.
 */
import type { SourceInfo } from '../model/spec.js';
import type { ReadContext } from './read.js';

/**
 * How an input holds a spec value at a row's path when it holds it unchanged: `value` as it is
 * (a string, number or boolean), `list` item by item, `map` value by value.
 */
export type Shape = 'value' | 'list' | 'map';

/**
 * Spec field → why one input kind has no setting for it (`'Pulumi \`docker.Container\` has no
 * pids limit input'`). With its field table, it accounts for every spec field an input could set:
 * a field in neither is a forgotten row (a test checks), and the rule test kit skips a case that
 * needs one of these fields with this reason.
 */
export type NoSetting<S> = Readonly<Partial<Record<keyof S, string>>>;

/**
 * Spec fields no input table reads, with why: derived after the tables or added by tools. The
 * rule test kit cannot write them as any input.
 */
export const NOT_IN_TABLES: Readonly<
  Record<'links' | 'ingress' | 'imageDigestFrom' | 'learnedSeccomp', string>
> = {
  links: 'no links setting of its own (they come from dependencies, depends_on, links and labels)',
  ingress: 'no ingress setting of its own (it comes from the dev.bulkhead.role label)',
  imageDigestFrom: 'no image-producing resource (only a Pulumi dependency on an image sets it)',
  learnedSeccomp: 'no learned seccomp profile (only `--learned-profile` sets it)',
};

/** What a Pulumi table's readers take: the inputs object, how it encodes values, its source. */
export type PulumiReadArgs = [p: object, ctx: ReadContext, source: SourceInfo];

/** How one spec field is read from one kind of input; `A` is what its reader takes. */
export interface FieldReader<S, K extends keyof S, A extends unknown[] = PulumiReadArgs> {
  /** The input's own path for the field, where findings point (`readOnly` for `readOnlyRootfs`). */
  path: string;
  /**
   * The path for this input, where it depends on what the input sets (compose's
   * `deploy.resources.limits.memory` replaces `mem_limit` when set). Defaults to {@link path}.
   */
  pathIn?(...args: A): string;
  /**
   * Renamed sub-fields of list items, by the list the item came from (its `origin`): the
   * `ContainerArgs` `volumes[]` call a mount's `source` `hostPath`.
   */
  items?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Set when the input holds the spec value itself at {@link path} ({@link Shape}): the rule test
   * kit then writes the field there without a writer of its own. A round-trip test holds every
   * such row to it.
   */
  as?: Shape;
  /** Reads the field from the input; `undefined` when absent. Never throws. */
  read(...args: A): S[K] | undefined;
}

/** A table of spec fields → how to read each from one kind of input. */
export type FieldTable<S, A extends unknown[] = PulumiReadArgs> = {
  readonly [K in keyof S]?: FieldReader<S, K, A>;
};

/**
 * Spec field → input path, for {@link SourceInfo.fieldPaths}, derived from a field table: fields
 * whose path differs from their name, and `list[].field` for renamed sub-fields of list items.
 * `also` adds paths of fields read after the table (`links` from the labels). With `within`, each
 * path is under `within.prefix` (`services.web`), and every field is listed; with `within.args`,
 * each path is the one for that input ({@link FieldReader.pathIn}).
 */
export function fieldPathsOf<S, A extends unknown[]>(
  table: FieldTable<S, A>,
  also: Readonly<Record<string, string>> = {},
  within?: { prefix: string; args?: A },
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const at = (p: string) => (within ? `${within.prefix}.${p}` : p);
  for (const [field, reader] of Object.entries(table) as [string, FieldReader<S, never, A>][]) {
    const path = within?.args && reader.pathIn ? reader.pathIn(...within.args) : reader.path;
    if (within || path !== field) out[field] = at(path);
    for (const [from, subs] of Object.entries(reader.items ?? {}))
      for (const [sub, name] of Object.entries(subs)) out[`${from}[].${sub}`] = name;
  }
  for (const [field, path] of Object.entries(also)) out[field] = at(path);
  return Object.freeze(out);
}

/** The spec fields a table reads. */
export function fieldsOf<S, A extends unknown[]>(table: FieldTable<S, A>): (keyof S)[] {
  return Object.keys(table) as (keyof S)[];
}

/**
 * A reader for the whole table: sets each field the input has on `target`. The table is read in
 * one indexed loop over two arrays (field, reader), the fastest form measured; readers take at
 * most three arguments, passed on as they are (a spread call, `reads[i](...args)`, read the Pulumi
 * table 3-19% slower in two runs).
 */
export function tableReader<S, A extends [unknown?, unknown?, unknown?]>(
  table: FieldTable<S, A>,
): (target: S, ...args: A) => void {
  const fields = fieldsOf(table);
  const reads = fields.map(
    (f) =>
      (table[f] as FieldReader<S, never, A>).read as unknown as (
        a: unknown,
        b: unknown,
        c: unknown,
      ) => unknown,
  );
  const n = fields.length;
  const readAll = (target: S, a: unknown, b: unknown, c: unknown): void => {
    const t = target as Record<keyof S, unknown>;
    for (let i = 0; i < n; i++) {
      const v = reads[i]!(a, b, c);
      if (v !== undefined) t[fields[i]!] = v;
    }
  };
  return readAll as unknown as (target: S, ...args: A) => void;
}
