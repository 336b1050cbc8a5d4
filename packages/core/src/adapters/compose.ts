/**
 * docker compose files (v2 and v3 formats, the Compose Specification) → {@link ResourceSet}.
 * Every field path gets a line and column, so every finding points at a line. The loader
 * (`compose/load.ts`) applies interpolation, `include:`, `extends` and each service's
 * `env_file` (into `environment`) first; without file access `env_file` is not read (a warning says so). Values then mean what Docker Compose (v2,
 * compose-go) makes of them: the project's own default network, named volumes that bind a host
 * path, `deploy:` where compose applies it to a container, compose's string forms of booleans and
 * numbers. A value compose would refuse is an input error naming the field; only a value that
 * depends on an unset variable is unknown.
 */
import { InputError } from '../errors.js';
import {
  type Location,
  type NetworkSpec,
  newNetworkSpec,
  type ResourceSet,
  type SourceInfo,
} from '../model/spec.js';
import { isUnknown, type Val } from '../model/value.js';
import { type ComposeLoadOptions, loadCompose } from './compose/load.js';
import { type Project, service } from './compose/service.js';
import { collectLocations, type LNode, toPlain } from './compose/tree.js';
import { isObject, Values } from './compose/values.js';
import { type FieldTable, fieldPathsOf, type Shape, tableReader } from './fields.js';
import { unknownNetwork } from './read.js';

export type { ComposeLoadOptions } from './compose/load.js';
export { COMPOSE_MAX_ALIAS_NODES, COMPOSE_MAX_BYTES } from './compose/tree.js';

/**
 * How a compose file is read: what the loader needs (variables, env files, file access) and the
 * settings Docker Compose takes from outside the file.
 */
export interface ComposeOptions extends ComposeLoadOptions {
  /** A project name given explicitly (`docker compose -p`); it must already be a valid name. */
  projectName?: string;
  /**
   * The environment, when `environment` is not given (the same thing under its earlier name):
   * variables, and COMPOSE_PROJECT_NAME. Default: none.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link composeProjectName} needs to name a project. */
export interface ComposeProjectNameInput {
  /** The (first) compose file's path: its directory names the project when nothing else does. */
  file: string;
  /** The file's top-level `name:` value, after interpolation. */
  name?: unknown;
  /** The environment (process environment, plus `.env` where the caller reads it). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A name given explicitly (`docker compose -p`). */
  projectName?: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Docker Compose's `NormalizeProjectName`: lower case, only `[a-z0-9_-]`, no leading `_` or `-`. */
export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/**
 * The compose project name, as Docker Compose v2 picks it: `-p`, else COMPOSE_PROJECT_NAME (both
 * must already be valid names), else the top-level `name:` (normalized), else the name of the
 * directory holding the file (normalized). The project's networks and volumes are named
 * `<project>_<key>`, so services without `networks:` join `<project>_default`.
 * @throws {@link InputError} when an explicit name is not a valid project name, or nothing yields one.
 */
export function composeProjectName(input: ComposeProjectNameInput): string {
  const env = input.env ?? processEnv();
  const explicit = [
    ['-p', input.projectName],
    ['COMPOSE_PROJECT_NAME', env.COMPOSE_PROJECT_NAME],
  ] as const;
  for (const [what, value] of explicit) {
    if (value === undefined || value === '') continue;
    if (!PROJECT_NAME.test(value)) {
      throw new InputError(
        `${input.file}: the project name from ${what} is not valid: use lower-case letters, digits, \`-\` and \`_\`, starting with a letter or digit`,
        [what],
      );
    }
    return value;
  }
  // The name is read after interpolation: a `${VAR}` left in it came from `$${VAR}`, literal text.
  if (typeof input.name === 'string') {
    const fromFile = normalizeProjectName(input.name);
    if (fromFile !== '') return fromFile;
  }
  const fromDir = normalizeProjectName(directoryName(input.file));
  if (fromDir === '') {
    throw new InputError(
      `${input.file}: no project name: the directory name has no letter or digit; set a top-level \`name:\` or COMPOSE_PROJECT_NAME`,
      ['name'],
    );
  }
  return fromDir;
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/** The name of the directory holding `file`, resolved against the working directory. */
function directoryName(file: string): string {
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.() ?? '/';
  const abs = /^(?:[A-Za-z]:)?[\\/]/.test(file) ? file : `${cwd}/${file}`;
  const parts: string[] = [];
  for (const seg of abs.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  parts.pop(); // the file itself
  return parts[parts.length - 1] ?? '';
}

/**
 * Parses a compose file and converts its services and networks, as Docker Compose reads it:
 * interpolation, `include:` and `extends` first (see `compose/load.ts`), then each service.
 * @param text the file's content
 * @param file the file's path, used in locations and errors, and to find `.env`, included and
 *   extended files (read through `options.readFile`); its directory names the project when
 *   neither `options` nor the file do
 * @param options variables, env files and file access; without them every `${VAR}` without a
 *   default is unknown, other files are not read, and COMPOSE_PROJECT_NAME is not set
 * @throws {@link InputError} naming the file, line and column when the text is not YAML, is too
 *   large, its aliases expand too much, a required variable is unset, an include or extends is
 *   wrong (missing, cyclic, conflicting), it is not a compose file (no `services:` mapping, a
 *   service that is not a mapping), or it sets a value Docker Compose would refuse (`privileged:
 *   1`, a string where a list belongs, a network or volume the file does not declare): the
 *   message names the first such field path, never its value. A value that depends on an unset
 *   variable is unknown, not refused.
 */
export function fromCompose(text: string, file: string, options: ComposeOptions = {}): ResourceSet {
  if (typeof text !== 'string')
    throw new InputError(`${file}: expected the text of a compose file`, ['(root)']);
  const { projectName: explicitName, env, ...rest } = options;
  const loadOptions: ComposeLoadOptions =
    rest.environment === undefined && env !== undefined ? { ...rest, environment: env } : rest;
  const { root, lookup } = loadCompose(text, file, loadOptions);
  const servicesEntry = root.entries.get('services');
  const servicesNode = servicesEntry?.value;
  if (servicesNode?.kind !== 'map') {
    // loadCompose has refused a main file without a `services:` mapping.
    throw new InputError(`${file}: no top-level \`services:\` mapping`, ['services']);
  }

  const val = new Values();
  const allLocations: Map<string, Location>[] = [];
  /** Field paths whose value is unknown because a variable is unset: never a refused value. */
  const unsetPaths = new Set<string>();
  const locationsUnder = (pathKey: string, node: LNode, keyLoc: Location) => {
    const locations = new Map<string, Location>();
    const reasons = new Map<string, string>();
    locations.set(pathKey, keyLoc);
    collectLocations(node, pathKey, locations, reasons);
    allLocations.push(locations);
    for (const p of reasons.keys()) unsetPaths.add(p);
    return { locations, reasons };
  };
  // The project name: `-p`, COMPOSE_PROJECT_NAME from the environment or the project's env
  // files (as the loader reads them), the interpolated top-level `name:`, the directory.
  const projectEnvName = lookup('COMPOSE_PROJECT_NAME');
  const projectName = composeProjectName({
    file,
    name: toPlain(root.entries.get('name')?.value),
    env: projectEnvName === undefined ? {} : { COMPOSE_PROJECT_NAME: projectEnvName },
    ...(explicitName !== undefined ? { projectName: explicitName } : {}),
  });

  // Top-level networks: the engine names them `<project>_<key>` unless `name:` says otherwise;
  // an external network is named by `name:` or its key.
  const out: ResourceSet = { containers: [], networks: [] };
  const netsEntry = root.entries.get('networks');
  const nets = val.map(
    toPlain(netsEntry?.value),
    'networks',
    'expected a mapping of network names to their settings',
  );
  const netNames = new Map<string, Val<string>>();
  const netSpecs: NetworkSpec[] = [];
  if (netsEntry?.value.kind === 'map' && nets) {
    for (const [key, entry] of netsEntry.value.entries) {
      const { locations, reasons } = locationsUnder(`networks.${key}`, entry.value, entry.keyLoc);
      const spec = network(key, nets[key], projectName, entry.keyLoc, locations, val);
      if (reasons.size > 0) spec.source.unknownReasons = reasons;
      netNames.set(key, spec.name);
      netSpecs.push(spec);
    }
  }

  const volumesEntry = root.entries.get('volumes');
  if (volumesEntry) locationsUnder('volumes', volumesEntry.value, volumesEntry.keyLoc);
  const volumesJs = val.map(
    toPlain(volumesEntry?.value),
    'volumes',
    'expected a mapping of volume names to their settings',
  );
  const volumeDefs = new Map<string, unknown>();
  if (volumesJs) for (const k of Object.keys(volumesJs)) volumeDefs.set(k, volumesJs[k]);
  const project: Project = { name: projectName, networks: netNames, volumes: volumeDefs };

  // Where the implicit default network comes from: the first service that joins it.
  const defaultName = netNames.get('default') ?? `${projectName}_default`;
  let defaultAt: Location | undefined;
  for (const [name, entry] of servicesNode.entries) {
    const node = entry.value;
    const svc = toPlain(node);
    const path = `services.${name}`;
    if (svc !== null && svc !== undefined && !isObject(svc)) {
      throw new InputError(
        `${locText(node.loc)}: ${path}: expected a mapping of settings (image, cap_drop, ...)`,
        [path],
      );
    }
    const { locations, reasons } = locationsUnder(path, node, entry.keyLoc);
    warnIgnored(isObject(svc) ? svc : {}, path, entry.keyLoc, options.warn);
    const spec = service(name, isObject(svc) ? svc : {}, entry.keyLoc, locations, project, val);
    if (reasons.size > 0) spec.source.unknownReasons = reasons;
    const profiles = isObject(svc) ? svc.profiles : undefined;
    if (Array.isArray(profiles) && profiles.length > 0) {
      spec.source.profiles = profiles.map((p) => (typeof p === 'string' ? p : '?'));
    }
    if (
      defaultAt === undefined &&
      Array.isArray(spec.networks) &&
      spec.networks.some((n) => n.name === defaultName)
    ) {
      defaultAt = spec.source.location;
    }
    out.containers.push(spec);
  }

  // A value that is unknown because a variable is unset is read as unknown, never refused.
  const problems = val.problems.filter((p) => !unsetPaths.has(p.path));
  if (problems.length > 0) {
    // Sorted, so the first reported problem does not depend on the order of keys in the file.
    problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const first = problems[0]!;
    const where = whereIs(first.path, allLocations) ?? { file, line: 1, column: 1 };
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more value(s) Docker Compose would refuse)` : '';
    throw new InputError(
      `${where.file}:${where.line ?? 1}:${where.column ?? 1}: ${first.path}: ${first.expected}${more}`,
      problems.map((p) => p.path),
    );
  }

  out.networks.push(...netSpecs);
  if (!netNames.has('default') && defaultAt !== undefined) {
    // The implicit project network every service without `networks:` joins: a plain bridge.
    const net = newNetworkSpec(
      { kind: 'compose', name: 'default', type: 'compose:network', location: defaultAt },
      defaultName,
    );
    net.driver = 'bridge';
    net.internal = false;
    out.networks.push(net);
  }
  return out;
}

/** The location of a field path, or of its nearest parent that has one. */
function whereIs(path: string, maps: readonly Map<string, Location>[]): Location | undefined {
  let p = path;
  for (;;) {
    for (const m of maps) {
      const l = m.get(p);
      if (l) return l;
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

function locText(loc: Location): string {
  return `${loc.file}:${loc.line ?? 1}:${loc.column ?? 1}`;
}

/** Service settings that change what runs but are not read: said, never silently ignored. */
function warnIgnored(
  svc: Record<string, unknown>,
  path: string,
  at: Location,
  warn: ((message: string) => void) | undefined,
): void {
  if (!warn) return;
  if (svc.env_file !== undefined && svc.env_file !== null) {
    warn(`${locText(at)}: ${path}.env_file is not read; variables it sets are not checked`);
  }
}

// ---- networks ----

/** A network's settings as the table's rows read them. */
interface NetworkInput {
  c: Record<string, unknown>;
  path: string;
  val: Values;
}

/** The network's key `k`, read by `read` with its full path. */
function netKey<V>(k: string, as: Shape, read: (val: Values, v: unknown, at: string) => V | undefined) {
  return { path: k, as, read: (n: NetworkInput) => read(n.val, n.c[k], `${n.path}.${k}`) };
}

/**
 * Every spec field a compose network sets (its engine name is worked out first), with its key and
 * reader; compose's defaults are a bridge that is not internal.
 */
export const COMPOSE_NETWORK_FIELDS: FieldTable<NetworkSpec, [NetworkInput]> = {
  driver: netKey('driver', 'value', (val, v, at) => val.str(v, at) ?? 'bridge'),
  internal: netKey('internal', 'value', (val, v, at) => val.bool(v, at) ?? false),
  attachable: netKey('attachable', 'value', (val, v, at) => val.bool(v, at)),
  ipv6: netKey('enable_ipv6', 'value', (val, v, at) => val.bool(v, at)),
  options: netKey('driver_opts', 'map', (val, v, at) => val.keyValues(v, at)),
  labels: netKey('labels', 'map', (val, v, at) => val.keyValues(v, at) as NetworkSpec['labels']),
};
const readNetworkFields = tableReader(COMPOSE_NETWORK_FIELDS);

function network(
  key: string,
  cfg: unknown,
  projectName: string,
  location: Location,
  locations: Map<string, Location>,
  val: Values,
): NetworkSpec {
  const path = `networks.${key}`;
  const source: SourceInfo = {
    kind: 'compose',
    name: key,
    type: 'compose:network',
    location,
    locations,
    fieldPaths: fieldPathsOf(COMPOSE_NETWORK_FIELDS, { name: 'name' }, { prefix: path }),
  };
  const c = val.map(cfg, path);
  const given = c ? val.str(c.name, `${path}.name`) : undefined;
  // The legacy `external: {name: x}` form names the network too.
  const legacy = c && isObject(c.external) ? val.str(c.external.name, `${path}.external.name`) : undefined;
  const external = c ? (isObject(c.external) ? true : val.bool(c.external, `${path}.external`)) : undefined;
  const explicit = given ?? legacy;
  const engineName: Val<string> =
    explicit !== undefined ? explicit : external === true ? key : `${projectName}_${key}`;
  if (external === true || isUnknown(external)) {
    // Defined outside this file: nothing but its name is known here.
    return unknownNetworkNamed(source, engineName);
  }
  const spec = newNetworkSpec(source, engineName);
  // Declared without settings (`net:`): compose's defaults.
  if (!c && cfg !== undefined && cfg !== null) return unknownNetworkNamed(source, engineName);
  readNetworkFields(spec, { c: c ?? {}, path, val });
  return spec;
}

/** A network whose settings are all unknown but whose name the file gives. */
function unknownNetworkNamed(source: SourceInfo, name: Val<string>): NetworkSpec {
  const spec = unknownNetwork(source);
  spec.name = name;
  return spec;
}
