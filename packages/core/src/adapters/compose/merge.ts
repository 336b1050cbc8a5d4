/**
 * Merging a service over the one it `extends`, by the Compose Specification's merge rules (as
 * compose-go implements them):
 * - mappings merge key by key, the extending service's values winning;
 * - `command`, `entrypoint` and `healthcheck.test` are replaced, not merged;
 * - `ports`, `volumes`, `devices`, `secrets`, `configs` are unique by their key (target path,
 *   published address): an entry with the same key replaces the base's, others are appended;
 * - `environment`, `labels`, `sysctls`, `extra_hosts`, `annotations` (list or mapping) merge by
 *   variable / label name; `cap_add`, `cap_drop`, `dns*`, `links`, `expose`, `profiles`,
 *   `tmpfs`, `env_file` keep one of each entry;
 * - `depends_on` and `networks` (list or mapping) merge by service / network name;
 * - `logging` merges its options when the driver is the same, and is replaced when it differs;
 * - any other list is appended to the base's.
 * Every value keeps the location it was written at, so findings point at the file and line that
 * set it.
 * @internal
 */
import type { LEntry, LMap, LNode, LScalar, LSeq } from './tree.js';

type Indexer = (n: LNode) => string | undefined;

const scalarText = (n: LNode): string | undefined =>
  n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number')
    ? String(n.value)
    : undefined;

const wholeIndexer: Indexer = (n) => scalarText(n);
const field = (n: LNode, key: string): string | undefined => {
  if (n.kind !== 'map') return undefined;
  const v = n.entries.get(key)?.value;
  return v ? scalarText(v) : undefined;
};
/** Volumes by container path: `src:dst[:mode]` → dst, `dst` → dst, `{target}`. */
const volumeIndexer: Indexer = (n) => {
  const s = scalarText(n);
  if (s !== undefined) {
    const parts = s.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  return field(n, 'target');
};
/** Devices by container path: `host[:container[:perms]]`. */
const deviceIndexer: Indexer = (n) => {
  const s = scalarText(n);
  if (s !== undefined) {
    const parts = s.split(':');
    return parts[1] ?? parts[0];
  }
  return field(n, 'target') ?? field(n, 'source');
};
/** Secrets and configs by mount path. */
const mountIndexer =
  (dir: string): Indexer =>
  (n) => {
    const s = scalarText(n);
    if (s !== undefined) return `${dir}/${s}`;
    const target = field(n, 'target');
    if (target !== undefined) return target.startsWith('/') ? target : `${dir}/${target}`;
    const source = field(n, 'source');
    return source === undefined ? undefined : `${dir}/${source}`;
  };
/** Ports by address: the short syntax as written, the long one by its fields. */
const portIndexer: Indexer = (n) => {
  const s = scalarText(n);
  if (s !== undefined) return s;
  if (n.kind !== 'map') return undefined;
  return `${field(n, 'host_ip') ?? ''}:${field(n, 'published') ?? ''}:${field(n, 'target') ?? ''}/${field(n, 'protocol') ?? 'tcp'}`;
};
const envFileIndexer: Indexer = (n) => scalarText(n) ?? field(n, 'path');

/** Lists unique by a key, by their path under the service. */
const UNIQUE: Readonly<Record<string, Indexer>> = {
  cap_add: wholeIndexer,
  cap_drop: wholeIndexer,
  configs: mountIndexer(''),
  devices: deviceIndexer,
  dns: wholeIndexer,
  dns_opt: wholeIndexer,
  dns_search: wholeIndexer,
  env_file: envFileIndexer,
  expose: wholeIndexer,
  links: wholeIndexer,
  ports: portIndexer,
  profiles: wholeIndexer,
  secrets: mountIndexer('/run/secrets'),
  tmpfs: wholeIndexer,
  volumes: volumeIndexer,
  'build.tags': wholeIndexer,
  'networks.*.aliases': wholeIndexer,
  'networks.*.link_local_ips': wholeIndexer,
};
/** Settings written as a `KEY=value` list or a mapping, merged by key. */
const KEY_VALUE = new Set([
  'annotations',
  'build.args',
  'build.labels',
  'deploy.labels',
  'environment',
  'extra_hosts',
  'labels',
  'sysctls',
]);
/** Settings the extending service replaces as a whole. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test']);
/** Settings written as a list of names or a mapping of name → options, merged by name. */
const NAMED = new Set(['depends_on', 'networks']);

/**
 * The service `over` laid over its base `base`. Neither input is changed. The merge tags of the
 * Compose Specification (compose-go's ResetProcessor): a key of `over` tagged `!reset` is removed
 * with whatever the base had there, one tagged `!override` replaces the base's value whole.
 * The base's own tags were about its own base: they are resolved first ({@link resolveTags}).
 */
export function mergeService(base: LMap, over: LMap): LMap {
  return mergeMaps(resolveTags(base) as LMap, over, '');
}

/**
 * `n` with its merge tags applied where there is nothing under them: keys tagged `!reset` are
 * removed (Compose: "set with type's default value or null"), `!override` values are plain.
 * Items of a list keep their place (compose-go does not remove from a sequence). Returns `n`
 * itself when it holds no tag.
 */
export function resolveTags(n: LNode): LNode {
  if (n.kind === 'scalar') return n.tag === undefined ? n : untag(n);
  if (n.kind === 'seq') {
    const items = n.items.map(resolveTags);
    return n.tag === undefined && items.every((x, i) => x === n.items[i]) ? n : { ...untag(n), items };
  }
  let changed = n.tag !== undefined;
  const entries = new Map<string, LEntry>();
  for (const [k, e] of n.entries) {
    if (e.value.tag === 'reset') {
      changed = true;
      continue;
    }
    const v = resolveTags(e.value);
    if (v !== e.value) changed = true;
    entries.set(k, v === e.value ? e : { keyLoc: e.keyLoc, value: v });
  }
  return changed ? { ...untag(n), entries } : n;
}

/**
 * Lays the entry `e` of an overriding mapping over `entries` when it carries a merge tag
 * (`!reset`: the key goes; `!override`: its value replaces the base's whole). False when it has none.
 */
export function applyTag(entries: Map<string, LEntry>, key: string, e: LEntry): boolean {
  if (e.value.tag === 'reset') entries.delete(key);
  else if (e.value.tag === 'override') entries.set(key, { keyLoc: e.keyLoc, value: resolveTags(e.value) });
  else return false;
  return true;
}

function untag<T extends LNode>(n: T): T {
  const { tag: _tag, ...rest } = n;
  return rest as T;
}

function mergeNode(base: LNode, over: LNode, path: string): LNode {
  const key = pattern(path);
  if (REPLACED.has(key)) return over;
  if (key === 'logging') return mergeLogging(base, over);
  if (key === 'build') return mergeMaps(asMap(base, 'context'), asMap(over, 'context'), path);
  if (KEY_VALUE.has(key) || NAMED.has(key)) {
    const b = KEY_VALUE.has(key) ? keyValueMap(base) : namedMap(base, key);
    const o = KEY_VALUE.has(key) ? keyValueMap(over) : namedMap(over, key);
    if (b && o) return mergeMaps(b, o, path);
    return over;
  }
  if (/^ulimits\.[^.]+$/.test(key) && (base.kind !== 'map' || over.kind !== 'map')) return over;
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, path);
  if (base.kind === 'seq' && over.kind === 'seq') {
    const index = UNIQUE[key];
    return index ? mergeUnique(base, over, index, path) : { ...over, items: [...base.items, ...over.items] };
  }
  return over;
}

function mergeMaps(base: LMap, over: LMap, path: string): LMap {
  const entries = new Map<string, LEntry>(base.entries);
  for (const [k, e] of over.entries) {
    if (applyTag(entries, k, e)) continue;
    const b = entries.get(k);
    if (b === undefined || isNull(b.value)) entries.set(k, e);
    else if (isNull(e.value))
      continue; // an empty setting keeps the base's
    else entries.set(k, { keyLoc: e.keyLoc, value: mergeNode(b.value, e.value, path ? `${path}.${k}` : k) });
  }
  return { kind: 'map', loc: over.loc, entries };
}

function mergeUnique(base: LSeq, over: LSeq, index: Indexer, path: string): LSeq {
  const items = [...base.items];
  const at = new Map<string, number>();
  items.forEach((item, i) => {
    const k = index(item);
    if (k !== undefined && !at.has(k)) at.set(k, i);
  });
  for (const item of over.items) {
    const k = index(item);
    const i = k === undefined ? undefined : at.get(k);
    if (i === undefined) {
      if (k !== undefined) at.set(k, items.length);
      items.push(item);
    } else {
      const b = items[i] as LNode;
      items[i] = b.kind === 'map' && item.kind === 'map' ? mergeMaps(b, item, `${path}[]`) : item;
    }
  }
  return { kind: 'seq', loc: over.loc, items };
}

function mergeLogging(base: LNode, over: LNode): LNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const bd = base.entries.get('driver')?.value;
  const od = over.entries.get('driver')?.value;
  if (bd && od && !(bd.kind === 'scalar' && od.kind === 'scalar' && bd.value === od.value)) return over;
  return mergeMaps(base, over, 'logging');
}

/** `KEY=value` lists as a mapping (mappings as they are). */
function keyValueMap(n: LNode): LMap | undefined {
  if (n.kind === 'map') return n;
  if (n.kind !== 'seq') return undefined;
  const entries = new Map<string, LEntry>();
  for (const item of n.items) {
    const s = scalarText(item);
    if (s === undefined) return undefined;
    const eq = s.indexOf('=');
    const value: LScalar =
      eq < 0
        ? { kind: 'scalar', loc: item.loc, value: null }
        : { kind: 'scalar', loc: item.loc, value: s.slice(eq + 1) };
    if (item.kind === 'scalar' && item.reason) value.reason = item.reason;
    entries.set(eq < 0 ? s : s.slice(0, eq), { keyLoc: item.loc, value });
  }
  return { kind: 'map', loc: n.loc, entries };
}

/** `[a, b]` as `{a: …, b: …}` (`depends_on` entries get compose's default condition). */
function namedMap(n: LNode, key: string): LMap | undefined {
  if (n.kind === 'map') return n;
  if (n.kind !== 'seq') return undefined;
  const entries = new Map<string, LEntry>();
  for (const item of n.items) {
    const s = scalarText(item);
    if (s === undefined) return undefined;
    let value: LNode = { kind: 'scalar', loc: item.loc, value: null };
    if (key === 'depends_on') {
      value = {
        kind: 'map',
        loc: item.loc,
        entries: new Map([
          [
            'condition',
            { keyLoc: item.loc, value: { kind: 'scalar', loc: item.loc, value: 'service_started' } },
          ],
        ]),
      };
    }
    entries.set(s, { keyLoc: item.loc, value });
  }
  return { kind: 'map', loc: n.loc, entries };
}

/** A string shorthand (`build: ./dir`) as the mapping it stands for (`{context: ./dir}`). */
function asMap(n: LNode, key: string): LMap {
  if (n.kind === 'map') return n;
  return { kind: 'map', loc: n.loc, entries: new Map([[key, { keyLoc: n.loc, value: n }]]) };
}

function isNull(n: LNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

/** `networks.front.aliases` → `networks.*.aliases`; `ulimits.nofile` → `ulimits.nofile`. */
function pattern(path: string): string {
  const parts = path.split('.');
  if (parts.length === 3 && parts[0] === 'networks') return `networks.*.${parts[2]}`;
  return path;
}
