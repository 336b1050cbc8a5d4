/**
 * A compose file as a tree of values that each remember where they were written (file, line,
 * column). Extends, include and interpolation work on this tree, so that a value keeps pointing
 * at the line that set it, in whichever file that is.
 *
 * YAML aliases are expanded here, bounded by what they expand to: the number of nodes the
 * document holds once every alias is replaced by its anchor's contents is computed over the
 * alias graph (each node once) before anything is expanded. Many anchors and merge keys are
 * fine; a document that would expand into millions of nodes (a "billion laughs") is refused.
 * @internal
 */
import type { Alias, Document, LineCounter, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { InputError } from '../../errors.js';
import { yaml } from '../../lazy.js';
import type { Location } from '../../model/spec.js';
import type { Unknown } from '../../model/value.js';

/**
 * The Compose Specification's merge tags: `!reset` removes what a base (an `extends` base, an
 * earlier file of an include list) set at this path, and the key itself; `!override` replaces
 * the base's value whole instead of merging with it. See `merge.ts`.
 */
export type MergeTag = 'reset' | 'override';

/** A mapping; entries keep the order of the file. */
export interface LMap {
  kind: 'map';
  loc: Location;
  entries: Map<string, LEntry>;
  tag?: MergeTag;
}
/** One key of a mapping, with where the key was written. */
export interface LEntry {
  keyLoc: Location;
  value: LNode;
}
/** A sequence. */
export interface LSeq {
  kind: 'seq';
  loc: Location;
  items: LNode[];
  tag?: MergeTag;
}
/** A scalar; `reason` says why a value is unknown (an unset variable). */
export interface LScalar {
  kind: 'scalar';
  loc: Location;
  value: string | number | boolean | null | Unknown;
  reason?: string;
  tag?: MergeTag;
}
/** Any node of the tree. */
export type LNode = LMap | LSeq | LScalar;

/** Largest compose file read (bytes of text). */
export const COMPOSE_MAX_BYTES = 10 * 1024 * 1024;
/**
 * Nodes that aliases may add to a document when expanded (on top of the document's own nodes).
 * A 2,000-line file that reuses blocks through hundreds of anchors and merge keys adds tens of
 * thousands; an alias bomb adds billions.
 */
export const COMPOSE_MAX_ALIAS_NODES = 200_000;
/** Deepest nesting read. */
const MAX_DEPTH = 256;

const YAML_PROBLEMS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias refers to an anchor that is not defined before it',
  BAD_DIRECTIVE: 'a YAML directive is not valid',
  BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape sequence',
  BAD_INDENT: 'the indentation is wrong',
  BAD_PROP_ORDER: 'anchors and tags must come after the `-`, `?` or `:` indicator',
  BAD_SCALAR_START: 'a plain value starts with a reserved character; quote it',
  BLOCK_AS_IMPLICIT_KEY: 'a block value cannot be a mapping key',
  BLOCK_IN_FLOW: 'a block value cannot be inside a flow collection ([...] or {...})',
  DUPLICATE_KEY: 'a key appears twice in the same mapping; keep one',
  KEY_OVER_1024_CHARS: 'a mapping key is longer than 1024 characters',
  MISSING_CHAR: 'a required character (`,`, `:`, a closing quote or bracket) is missing',
  MULTILINE_IMPLICIT_KEY: 'a mapping key spans several lines; put it on one line or quote it',
  MULTIPLE_ANCHORS: 'a node has more than one anchor',
  MULTIPLE_DOCS: 'the file holds several YAML documents (`---`); a compose file is one document',
  MULTIPLE_TAGS: 'a node has more than one tag',
  NON_STRING_KEY: 'a mapping key is not a string',
  TAB_AS_INDENT: 'a tab is used for indentation; indent with spaces',
  TAG_RESOLVE_FAILED: 'a YAML tag (`!name`) is not known (compose knows `!reset` and `!override`)',
  BAD_COLLECTION_TYPE: 'a YAML tag does not fit the collection it is on',
  UNEXPECTED_TOKEN: 'unexpected text here',
};

const isMap = (n: unknown): n is YAMLMap<unknown, unknown> => yaml().isMap(n);
const isSeq = (n: unknown): n is YAMLSeq<unknown> => yaml().isSeq(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
const isAlias = (n: unknown): n is Alias => yaml().isAlias(n);

/** A parsed file: its tree and a way to name a place in it. */
export interface ParsedFile {
  root: LNode | undefined;
  /** `file:line:col` of an offset. */
  at(offset: number): string;
}

/**
 * Parses one compose file into a located tree.
 * @throws {@link InputError} naming the file, line and column when the text is not YAML, is too
 *   large, or its aliases expand too much.
 */
export function parseComposeYaml(text: string, file: string): ParsedFile {
  if (text.length > COMPOSE_MAX_BYTES) {
    throw new InputError(
      `${file}: the file is larger than ${COMPOSE_MAX_BYTES / 1024 / 1024} MB; split it or check that it is a compose file`,
      ['(root)'],
    );
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: lc,
      prettyErrors: false,
      merge: true,
      uniqueKeys: true,
      customTags: mergeTags(),
    });
  } catch {
    throw new InputError(`${file}: could not be parsed as YAML (too deeply nested?)`, ['(root)']);
  }
  const at = (offset: number) => {
    const { line, col } = lc.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const err = doc.errors[0];
  if (err) {
    const problem = YAML_PROBLEMS[err.code] ?? 'the YAML syntax is not valid';
    throw new InputError(`${at(err.pos[0])}: not valid YAML: ${problem}`, ['(root)']);
  }
  const contents = doc.contents as Node | null;
  if (contents === null || contents === undefined) return { root: undefined, at };
  const builder = new Builder(file, lc, at);
  builder.measure(contents);
  return { root: builder.build(contents, 0), at };
}

class Builder {
  /** Each alias's anchored node, found in document order. */
  private readonly targets = new Map<Alias, Node>();
  constructor(
    private readonly file: string,
    private readonly lc: LineCounter,
    private readonly at: (offset: number) => string,
  ) {}

  loc(node: { range?: [number, number, number] | null | undefined } | null | undefined): Location {
    const { line, col } = this.lc.linePos(node?.range?.[0] ?? 0);
    return { file: this.file, line, column: col };
  }

  /**
   * Counts the nodes of the document with every alias expanded, each node's count computed once,
   * and refuses the document when aliases add more than {@link COMPOSE_MAX_ALIAS_NODES}.
   */
  measure(root: Node): void {
    const anchors = new Map<string, Node>();
    const size = new Map<Node, number>();
    const inProgress = new Set<Node>();
    let own = 0;
    const limit = () => own + COMPOSE_MAX_ALIAS_NODES;
    const tooMuch = (n: Node): never => {
      throw new InputError(
        `${this.at(n.range?.[0] ?? 0)}: YAML aliases expand to more than ${COMPOSE_MAX_ALIAS_NODES.toLocaleString('en')} ` +
          'extra values (an alias bomb?); write the repeated settings out or reuse smaller blocks',
        ['(root)'],
      );
    };
    const visit = (n: Node, depth: number): number => {
      if (depth > MAX_DEPTH) {
        throw new InputError(`${this.at(n.range?.[0] ?? 0)}: nested more than ${MAX_DEPTH} levels deep`, [
          '(root)',
        ]);
      }
      if (isAlias(n)) {
        own++;
        const target = anchors.get(n.source);
        if (target === undefined) {
          throw new InputError(`${this.at(n.range?.[0] ?? 0)}: not valid YAML: ${YAML_PROBLEMS.BAD_ALIAS}`, [
            '(root)',
          ]);
        }
        if (inProgress.has(target)) {
          throw new InputError(
            `${this.at(n.range?.[0] ?? 0)}: a YAML alias refers to a block that contains it; it would expand forever`,
            ['(root)'],
          );
        }
        this.targets.set(n, target);
        return size.get(target) ?? 1;
      }
      own++;
      const anchor = (n as { anchor?: string }).anchor;
      if (anchor) anchors.set(anchor, n);
      inProgress.add(n);
      let total = 1;
      if (isMap(n)) {
        for (const pair of n.items as Pair<unknown, unknown>[]) {
          if (pair.key && typeof pair.key === 'object') total += visit(pair.key as Node, depth + 1);
          if (pair.value && typeof pair.value === 'object') total += visit(pair.value as Node, depth + 1);
          if (total > limit()) tooMuch(n);
        }
      } else if (isSeq(n)) {
        for (const item of n.items) {
          if (item && typeof item === 'object') total += visit(item as Node, depth + 1);
          if (total > limit()) tooMuch(n);
        }
      }
      inProgress.delete(n);
      size.set(n, total);
      return total;
    };
    if (visit(root, 0) > limit()) tooMuch(root);
  }

  build(n: Node, depth: number): LNode {
    if (isAlias(n)) {
      const target = this.targets.get(n);
      if (!target) throw new InputError(`${this.at(n.range?.[0] ?? 0)}: not valid YAML`, ['(root)']);
      return this.build(target, depth + 1);
    }
    const built = this.buildUntagged(n, depth);
    const tag = (n as { tag?: string }).tag;
    if (tag === '!reset' || tag === '!override') built.tag = tag === '!reset' ? 'reset' : 'override';
    return built;
  }

  private buildUntagged(n: Node, depth: number): LNode {
    if (isMap(n)) {
      const entries = new Map<string, LEntry>();
      const merges: Node[] = [];
      for (const pair of n.items as Pair<unknown, unknown>[]) {
        const key = pair.key;
        if (isMergeKey(key)) {
          merges.push(pair.value as Node);
          continue;
        }
        if (!isScalar(key)) continue;
        const value = pair.value as Node | null;
        entries.set(String(key.value), {
          keyLoc: this.loc(key),
          value: value ? this.build(value, depth + 1) : { kind: 'scalar', loc: this.loc(key), value: null },
        });
      }
      // Merge keys (`<<: *base`, `<<: [*a, *b]`): keys written in the mapping win, then the
      // first source that has a key.
      for (const m of merges) {
        const sources = isSeq(m) ? (m.items as Node[]) : [m];
        for (const s of sources) {
          const built = s ? this.build(s, depth + 1) : undefined;
          if (built?.kind !== 'map') {
            throw new InputError(
              `${this.at(s?.range?.[0] ?? n.range?.[0] ?? 0)}: a \`<<\` merge key must refer to a mapping ` +
                '(an anchor of a mapping, or a list of them)',
              ['(root)'],
            );
          }
          for (const [k, e] of built.entries) if (!entries.has(k)) entries.set(k, e);
        }
      }
      return { kind: 'map', loc: this.loc(n), entries };
    }
    if (isSeq(n)) {
      return {
        kind: 'seq',
        loc: this.loc(n),
        items: n.items.map((item) =>
          item && typeof item === 'object'
            ? this.build(item as Node, depth + 1)
            : { kind: 'scalar' as const, loc: this.loc(n), value: null },
        ),
      };
    }
    const v = isScalar(n) ? n.value : null;
    return {
      kind: 'scalar',
      loc: this.loc(n),
      value:
        typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? v
          : typeof v === 'bigint'
            ? Number(v)
            : v === null || v === undefined
              ? null
              : String(v),
    };
  }
}

/** `!reset` and `!override` on scalars, mappings and sequences (the value is read as usual). */
function mergeTags() {
  const { YAMLMap, YAMLSeq } = yaml();
  return ['!reset', '!override'].flatMap((tag) => [
    { tag, resolve: (v: string) => v },
    { tag, collection: 'map' as const, nodeClass: YAMLMap },
    { tag, collection: 'seq' as const, nodeClass: YAMLSeq },
  ]);
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  // yaml reads a plain `<<` as its merge symbol; a quoted "<<" is an ordinary key.
  if (typeof key.value === 'symbol') return key.value.description === '<<';
  return key.value === '<<' && key.type === 'PLAIN';
}

// ---- helpers over the tree ----

/** The plain JavaScript value of a node (unknown values stay the UNKNOWN marker). */
export function toPlain(n: LNode | undefined): unknown {
  if (n === undefined) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, e] of n.entries) {
    Object.defineProperty(out, k, {
      value: toPlain(e.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Records where each key and list item under `n` was written, keyed by its field path, and why
 * values are unknown (`reasons`), keyed the same way.
 */
export function collectLocations(
  n: LNode,
  path: string,
  out: Map<string, Location>,
  reasons: Map<string, string>,
): void {
  if (n.kind === 'scalar') {
    if (n.reason) reasons.set(path, n.reason);
  } else if (n.kind === 'map') {
    for (const [k, e] of n.entries) {
      const p = `${path}.${k}`;
      out.set(p, e.keyLoc);
      collectLocations(e.value, p, out, reasons);
    }
  } else {
    n.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      out.set(p, item.loc);
      collectLocations(item, p, out, reasons);
    });
  }
}

/** Structural equality of two trees' values (locations ignored). */
export function sameValue(a: LNode, b: LNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'scalar') return a.value === (b as LScalar).value;
  if (a.kind === 'seq') {
    const bi = (b as LSeq).items;
    return a.items.length === bi.length && a.items.every((x, i) => sameValue(x, bi[i] as LNode));
  }
  const be = (b as LMap).entries;
  if (a.entries.size !== be.size) return false;
  for (const [k, e] of a.entries) {
    const o = be.get(k);
    if (!o || !sameValue(e.value, o.value)) return false;
  }
  return true;
}

/** A mapping entry's value, when `n` is a mapping. */
export function get(n: LNode | undefined, key: string): LNode | undefined {
  return n?.kind === 'map' ? n.entries.get(key)?.value : undefined;
}
