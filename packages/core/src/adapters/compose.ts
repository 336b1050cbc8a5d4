/**
 * docker compose files (v2 and v3 formats, the Compose Specification) → {@link ResourceSet}.
 * Every field path gets a line and column, so every finding points at a line. The loader
 * (`compose/load.ts`) applies interpolation, `include:` and `extends` first; a service's
 * `env_file` is not read (a warning says so). Values then mean what Docker Compose (v2,
 * compose-go) makes of them: the project's own default network, named volumes that bind a host
 * path, `deploy:` where compose applies it to a container, compose's string forms of booleans and
 * numbers. A value compose would refuse is an input error naming the field; only a value that
 * depends on an unset variable is unknown.
 */
import { InputError } from '../errors.js';
import {
  type ContainerSpec,
  type DeviceSpec,
  type EnvSpec,
  type HealthcheckSpec,
  type Location,
  type MountSpec,
  type NetworkAttachmentSpec,
  type NetworkSpec,
  newContainerSpec,
  newNetworkSpec,
  type PortSpec,
  type ResourceSet,
  type RestartSpec,
  type SourceInfo,
  type UlimitSpec,
} from '../model/spec.js';
import { cpusToNano, sizeToBytes } from '../model/units.js';
import { isUnknown, UNKNOWN, type Val } from '../model/value.js';
import { type ComposeLoadOptions, loadCompose } from './compose/load.js';
import { collectLocations, type LNode, toPlain } from './compose/tree.js';
import { isObject as isPlainObject, linksFromLabels, put, setKey, unknownNetwork } from './read.js';

export type { ComposeLoadOptions } from './compose/load.js';
export { COMPOSE_MAX_ALIAS_NODES, COMPOSE_MAX_BYTES } from './compose/tree.js';

/** A mapping of settings; an unknown value (an unset variable) is not one. */
const isObject = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && !isUnknown(v);

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

// ---- values: Docker Compose's own conversions, and an input error for anything it would refuse ----

/** A setting Docker Compose would refuse: where it is and what compose expects there. */
interface Problem {
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
class Values {
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

// ---- services ----

/** Compose's project, as the services see it: its name, networks and volumes. */
interface Project {
  name: string;
  /** Compose network key → the engine's network name. */
  networks: ReadonlyMap<string, Val<string>>;
  /** Compose volume key → its top-level definition (`null` when declared without settings). */
  volumes: ReadonlyMap<string, unknown>;
}

function fieldPaths(path: string, svc: Record<string, unknown>): Record<string, string> {
  const limits = dig(svc, 'deploy', 'resources', 'limits');
  const lim = (k: string, plain: string) =>
    isObject(limits) && limits[k] !== undefined && limits[k] !== null && limits[k] !== 0 && limits[k] !== '0'
      ? `${path}.deploy.resources.limits.${k}`
      : `${path}.${plain}`;
  const policy = dig(svc, 'deploy', 'restart_policy');
  return {
    image: `${path}.image`,
    user: `${path}.user`,
    groupAdd: `${path}.group_add`,
    privileged: `${path}.privileged`,
    capAdd: `${path}.cap_add`,
    capDrop: `${path}.cap_drop`,
    securityOpt: `${path}.security_opt`,
    readOnlyRootfs: `${path}.read_only`,
    tmpfs: `${path}.tmpfs`,
    mounts: `${path}.volumes`,
    networkMode: `${path}.network_mode`,
    networks: `${path}.networks`,
    pidMode: `${path}.pid`,
    ipcMode: `${path}.ipc`,
    utsMode: `${path}.uts`,
    usernsMode: `${path}.userns_mode`,
    cgroupnsMode: `${path}.cgroup`,
    cgroupParent: `${path}.cgroup_parent`,
    memory: lim('memory', 'mem_limit'),
    memorySwap: `${path}.memswap_limit`,
    nanoCpus: lim('cpus', 'cpus'),
    cpuQuota: `${path}.cpu_quota`,
    cpuPeriod: `${path}.cpu_period`,
    cpuShares: `${path}.cpu_shares`,
    pidsLimit: lim('pids', 'pids_limit'),
    devices: `${path}.devices`,
    deviceCgroupRules: `${path}.device_cgroup_rules`,
    gpus: svc.gpus !== undefined ? `${path}.gpus` : `${path}.deploy.resources.reservations.devices`,
    ports: `${path}.ports`,
    publishAllPorts: `${path}.ports`,
    healthcheck: `${path}.healthcheck`,
    restart: policy !== undefined && policy !== null ? `${path}.deploy.restart_policy` : `${path}.restart`,
    sysctls: `${path}.sysctls`,
    ulimits: `${path}.ulimits`,
    env: `${path}.environment`,
    logDriver: `${path}.logging.driver`,
    logOpts: `${path}.logging.options`,
    init: `${path}.init`,
    runtime: `${path}.runtime`,
    labels: `${path}.labels`,
    hostname: `${path}.hostname`,
    command: `${path}.command`,
    links: svc.depends_on !== undefined || svc.links === undefined ? `${path}.depends_on` : `${path}.links`,
    ingress: `${path}.labels`,
  };
}

function dig(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) {
    if (!isObject(v)) return undefined;
    v = v[k];
  }
  return v;
}

/** A resource limit under `deploy.resources.limits`: compose applies it only when it is not zero. */
function deployLimit(limits: Record<string, unknown> | undefined, key: string): unknown {
  const v = limits?.[key];
  return v === 0 || v === '0' ? undefined : v;
}

function service(
  name: string,
  svc: Record<string, unknown>,
  location: Location,
  locations: Map<string, Location>,
  project: Project,
  val: Values,
): ContainerSpec {
  const path = `services.${name}`;
  const at = (k: string) => `${path}.${k}`;
  const spec = newContainerSpec({
    kind: 'compose',
    name,
    type: 'compose:service',
    location,
    locations,
    fieldPaths: fieldPaths(path, svc),
    settings: svc,
  });
  put(spec, 'image', val.str(svc.image, at('image')));
  put(spec, 'user', val.str(svc.user, at('user')));
  put(spec, 'groupAdd', val.strList(svc.group_add, at('group_add'), { numbers: true }));
  put(spec, 'privileged', val.bool(svc.privileged, at('privileged')));
  put(spec, 'capAdd', val.strList(svc.cap_add, at('cap_add')));
  put(spec, 'capDrop', val.strList(svc.cap_drop, at('cap_drop')));
  put(spec, 'securityOpt', val.strList(svc.security_opt, at('security_opt')) as ContainerSpec['securityOpt']);
  put(spec, 'readOnlyRootfs', val.bool(svc.read_only, at('read_only')));
  put(spec, 'tmpfs', tmpfs(svc.tmpfs, at('tmpfs'), val));
  put(spec, 'mounts', volumes(svc.volumes, at('volumes'), project, val));
  put(spec, 'networkMode', val.str(svc.network_mode, at('network_mode')));
  put(spec, 'networks', networks(svc, path, project, val));
  put(spec, 'pidMode', val.str(svc.pid, at('pid')));
  put(spec, 'ipcMode', val.str(svc.ipc, at('ipc')));
  put(spec, 'utsMode', val.str(svc.uts, at('uts')));
  put(spec, 'usernsMode', val.str(svc.userns_mode, at('userns_mode')));
  put(spec, 'cgroupnsMode', val.str(svc.cgroup, at('cgroup')));
  put(spec, 'cgroupParent', val.str(svc.cgroup_parent, at('cgroup_parent')));

  // `deploy:` as Docker Compose applies it to a plain (non-swarm) container: resource limits
  // (when not zero) override mem_limit/cpus/pids_limit, GPU reservations become device requests,
  // and restart_policy replaces `restart:`. The swarm-only keys are not read.
  const deploy = val.map(svc.deploy, at('deploy'));
  const resources = val.map(deploy?.resources, at('deploy.resources'));
  const limits = val.map(resources?.limits, at('deploy.resources.limits'));
  const reservations = val.map(resources?.reservations, at('deploy.resources.reservations'));
  const limitAt = (k: string) => at(`deploy.resources.limits.${k}`);
  const memLimit = deployLimit(limits, 'memory');
  const cpuLimit = deployLimit(limits, 'cpus');
  const pidsLimit = deployLimit(limits, 'pids');
  put(
    spec,
    'memory',
    memLimit !== undefined ? val.size(memLimit, limitAt('memory')) : val.size(svc.mem_limit, at('mem_limit')),
  );
  put(spec, 'memorySwap', val.size(svc.memswap_limit, at('memswap_limit')));
  put(
    spec,
    'nanoCpus',
    cpuLimit !== undefined ? val.cpus(cpuLimit, limitAt('cpus')) : val.cpus(svc.cpus, at('cpus')),
  );
  put(spec, 'cpuQuota', val.int(svc.cpu_quota, at('cpu_quota')));
  put(spec, 'cpuPeriod', val.int(svc.cpu_period, at('cpu_period')));
  put(spec, 'cpuShares', val.int(svc.cpu_shares, at('cpu_shares')));
  put(
    spec,
    'pidsLimit',
    pidsLimit !== undefined ? val.int(pidsLimit, limitAt('pids')) : val.int(svc.pids_limit, at('pids_limit')),
  );
  put(spec, 'devices', devices(svc.devices, at('devices'), val));
  put(spec, 'deviceCgroupRules', val.strList(svc.device_cgroup_rules, at('device_cgroup_rules')));
  put(
    spec,
    'gpus',
    gpus(svc.gpus, reservations?.devices, at('gpus'), at('deploy.resources.reservations.devices'), val),
  );
  put(spec, 'ports', ports(svc.ports, at('ports'), val));
  put(spec, 'healthcheck', healthcheck(svc.healthcheck, at('healthcheck'), val));
  put(spec, 'restart', restart(svc.restart, deploy?.restart_policy, path, val));
  put(spec, 'sysctls', val.keyValues(svc.sysctls, at('sysctls')));
  put(spec, 'ulimits', ulimits(svc.ulimits, at('ulimits'), val));
  put(spec, 'env', environment(svc.environment, at('environment'), val));
  const logging = val.map(svc.logging, at('logging'));
  if (logging) {
    put(spec, 'logDriver', val.str(logging.driver, at('logging.driver')));
    put(spec, 'logOpts', val.keyValues(logging.options, at('logging.options')));
  }
  put(spec, 'init', val.bool(svc.init, at('init')));
  put(spec, 'runtime', val.str(svc.runtime, at('runtime')));
  put(spec, 'labels', val.keyValues(svc.labels, at('labels')) as ContainerSpec['labels']);
  put(spec, 'hostname', val.str(svc.hostname, at('hostname')));
  put(spec, 'command', val.strList(svc.command, at('command'), { single: true }) as ContainerSpec['command']);
  const declared = dependsOn(svc.depends_on, svc.links, path, val);
  Object.assign(spec, linksFromLabels(spec.labels, isUnknown(declared) ? [] : declared));
  if (isUnknown(declared)) spec.links = UNKNOWN;
  return spec;
}

/** `tmpfs: /run` or a list of `path[:options]`. */
function tmpfs(v: unknown, path: string, val: Values): Val<Record<string, Val<string>>> | undefined {
  const list = val.strList(v, path, { single: true });
  if (list === undefined || isUnknown(list)) return list;
  const out: Record<string, Val<string>> = {};
  for (const item of list) {
    if (isUnknown(item)) return UNKNOWN;
    const colon = item.indexOf(':');
    if (colon < 0) setKey(out, item.trim(), '');
    else setKey(out, item.slice(0, colon).trim(), item.slice(colon + 1).trim());
  }
  return out;
}

const NAMED_VOLUME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']);

/** `volumes:` in short (`src:dst:ro`) and long (`{type, source, target}`) syntax. */
function volumes(v: unknown, path: string, project: Project, val: Values): Val<MountSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return val.bad(path, 'expected a list of volumes');
  return v.map((item, i): MountSpec => {
    const origin = `${path}[${i}]`;
    let m: MountSpec;
    if (typeof item === 'string') {
      m = shortVolume(item, origin);
    } else if (isObject(item)) m = longVolume(item, origin, val);
    else {
      val.bad(origin, 'expected `source:target[:mode]` or a mapping with type, source and target');
      return { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin };
    }
    return m.type === 'volume' && typeof m.source === 'string' ? namedVolume(m, project, val) : m;
  });
}

function longVolume(item: Record<string, unknown>, origin: string, val: Values): MountSpec {
  const t = val.str(item.type, `${origin}.type`);
  const type: MountSpec['type'] =
    typeof t === 'string' && MOUNT_TYPES.has(t)
      ? t === 'image'
        ? 'volume' // an image's content, read-only: no host path
        : (t as MountSpec['type'])
      : val.bad(`${origin}.type`, 'expected one of bind, volume, tmpfs, npipe, cluster, image');
  const target = val.str(item.target, `${origin}.target`);
  const m: MountSpec = {
    type,
    target: target ?? val.bad(`${origin}.target`, 'expected a target path'),
    origin,
  };
  if (t === 'image') return m;
  put(m, 'source', val.str(item.source, `${origin}.source`));
  put(m, 'readOnly', val.bool(item.read_only, `${origin}.read_only`));
  if (m.type === 'bind') {
    const bind = val.map(item.bind, `${origin}.bind`);
    if (bind) put(m, 'propagation', val.str(bind.propagation, `${origin}.bind.propagation`));
  }
  return m;
}

function shortVolume(s: string, origin: string): MountSpec {
  const parts = s.split(':');
  if (parts.length === 1) return { type: 'volume', target: s, origin }; // anonymous volume
  const [source = '', target = ''] = parts;
  const m: MountSpec = {
    type: NAMED_VOLUME.test(source) ? 'volume' : 'bind',
    source,
    target,
    origin,
  };
  for (const opt of parts.slice(2).join(':').split(',')) {
    const o = opt.trim();
    if (o === 'ro') m.readOnly = true;
    else if (o === 'rw') m.readOnly = false;
    else if (PROPAGATION.has(o)) m.propagation = o;
  }
  return m;
}

/**
 * A service's mount of a named volume, as its top-level definition makes it: the local driver
 * with `type: none` and a bind `o` option mounts `device` from the host, so the mount is a bind
 * of that host path for every mount rule. An external volume is made outside the file: what its
 * driver mounts is unknown, and the mount says so.
 */
function namedVolume(m: MountSpec, project: Project, val: Values): MountSpec {
  const name = m.source as string;
  if (!project.volumes.has(name)) {
    val.bad(
      `${m.origin}.source`,
      'names a volume the top-level `volumes:` does not declare; declare it there',
    );
    return { ...m, source: UNKNOWN };
  }
  const def = project.volumes.get(name);
  if (!isObject(def)) return m;
  const at = `volumes.${name}`;
  const external = val.bool(isObject(def.external) ? true : def.external, `${at}.external`);
  if (external === true || isUnknown(external)) {
    return {
      ...m,
      type: UNKNOWN,
      source: UNKNOWN,
      unknownReason: `mounts the external volume "${name}": its driver and options are set outside this file`,
    };
  }
  const driver = val.str(def.driver, `${at}.driver`);
  const opts = val.keyValues(def.driver_opts, `${at}.driver_opts`);
  if (opts === undefined) return m;
  if (isUnknown(opts) || isUnknown(driver)) return { ...m, type: UNKNOWN, source: UNKNOWN };
  if (driver !== undefined && driver !== 'local') return m;
  const o = opts.o;
  const device = opts.device;
  if (typeof o !== 'string' || !o.split(',').some((x) => /^r?bind$/.test(x.trim()))) return m;
  if (typeof device !== 'string') return { ...m, type: 'bind', source: UNKNOWN };
  const bind: MountSpec = { ...m, type: 'bind', source: device };
  for (const opt of o.split(',').map((x) => x.trim())) {
    if (opt === 'ro') bind.readOnly = true;
    else if (PROPAGATION.has(opt)) bind.propagation = opt;
  }
  return bind;
}

/**
 * Service `networks:` as a list or a mapping, named as the engine names them (`<project>_<key>`,
 * or the network's `name:`); absent (and no `network_mode`) means the project's default network.
 */
function networks(
  svc: Record<string, unknown>,
  path: string,
  project: Project,
  val: Values,
): Val<NetworkAttachmentSpec[]> | undefined {
  const v = svc.networks;
  if (v === undefined || v === null) {
    return svc.network_mode === undefined || svc.network_mode === null
      ? [{ name: project.networks.get('default') ?? `${project.name}_default`, origin: path }]
      : undefined;
  }
  if (svc.network_mode !== undefined && svc.network_mode !== null) {
    val.bad(`${path}.networks`, '`network_mode` and `networks` cannot both be set; keep one');
  }
  const engineName = (key: Val<string>, at: string): Val<string> => {
    if (isUnknown(key)) return key;
    const n = project.networks.get(key);
    if (n !== undefined) return n;
    if (key === 'default') return `${project.name}_default`;
    return val.bad(at, 'names a network the top-level `networks:` does not declare; declare it there');
  };
  if (Array.isArray(v)) {
    return v.map((n, i) => {
      const at = `${path}.networks[${i}]`;
      const key = typeof n === 'string' ? n : val.bad(at, 'expected a network name');
      return { name: engineName(key, at), origin: at };
    });
  }
  if (!isObject(v)) return val.bad(`${path}.networks`, 'expected a list or mapping of networks');
  return Object.keys(v)
    .sort()
    .map((key) => {
      const at = `${path}.networks.${key}`;
      const a: NetworkAttachmentSpec = { name: engineName(key, at), origin: at };
      const cfg = val.map(v[key], at);
      if (cfg) put(a, 'aliases', val.strList(cfg.aliases, `${at}.aliases`));
      return a;
    });
}

function devices(v: unknown, path: string, val: Values): Val<DeviceSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return val.bad(path, 'expected a list of devices');
  return v.map((item, i): DeviceSpec => {
    const origin = `${path}[${i}]`;
    if (typeof item === 'string') {
      const [hostPath = '', containerPath, permissions] = item.split(':');
      const d: DeviceSpec = { hostPath, origin };
      if (containerPath) d.containerPath = containerPath;
      if (permissions) d.permissions = permissions;
      return d;
    }
    if (!isObject(item)) {
      val.bad(origin, 'expected `host:container[:permissions]` or a mapping with source and target');
      return { hostPath: UNKNOWN, containerPath: UNKNOWN, permissions: UNKNOWN, origin };
    }
    const d: DeviceSpec = {
      hostPath:
        val.str(item.source, `${origin}.source`) ?? val.bad(`${origin}.source`, 'expected a host path'),
      origin,
    };
    put(d, 'containerPath', val.str(item.target, `${origin}.target`));
    put(d, 'permissions', val.str(item.permissions, `${origin}.permissions`));
    return d;
  });
}

/** `gpus:` or GPU device reservations, as the `--gpus` value they amount to. */
function gpus(
  direct: unknown,
  reservations: unknown,
  directAt: string,
  reservationsAt: string,
  val: Values,
): Val<string> | undefined {
  const describe = (d: Record<string, unknown>, at: string): Val<string> => {
    const ids = val.strList(d.device_ids, `${at}.device_ids`);
    if (ids !== undefined) return isUnknown(ids) || ids.some(isUnknown) ? UNKNOWN : `device=${ids.join(',')}`;
    const count = d.count;
    if (count === undefined || count === null || count === 'all' || count === -1) return 'all';
    const n = val.int(count, `${at}.count`);
    return typeof n === 'number' ? String(n) : UNKNOWN;
  };
  const many = (list: unknown, at: string, gpuOnly: boolean): Val<string> | undefined => {
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list)) return val.bad(at, 'expected a list of device requests');
    const parts: Val<string>[] = [];
    list.forEach((d, i) => {
      if (!isObject(d)) {
        parts.push(val.bad(`${at}[${i}]`, 'expected a mapping (capabilities, count, device_ids)'));
        return;
      }
      const caps = d.capabilities;
      if (gpuOnly && !(Array.isArray(caps) && caps.includes('gpu')) && d.driver !== 'nvidia') return;
      parts.push(describe(d, `${at}[${i}]`));
    });
    if (parts.length === 0) return undefined;
    return parts.some(isUnknown) ? UNKNOWN : parts.join(' ');
  };
  if (direct !== undefined && direct !== null) {
    if (typeof direct === 'string') return direct;
    return many(direct, directAt, false);
  }
  return many(reservations, reservationsAt, true);
}

const MAX_RANGE = 1024;

function range(s: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return a <= b ? [a, b] : undefined;
}

/** Expands `[a, b]` into ports, keeping only the ends of ranges wider than {@link MAX_RANGE}. */
function expand([a, b]: [number, number]): number[] {
  if (b - a + 1 <= MAX_RANGE) return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  return [a, b];
}

const PORT_SHORT = 'expected a port such as "127.0.0.1:8080:80" or a mapping with target and published';

/** `ports:` short (`"127.0.0.1:8080-8081:80-81/udp"`) and long (`{target, published, host_ip}`) syntax. */
function ports(v: unknown, path: string, val: Values): Val<PortSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return val.bad(path, 'expected a list of ports');
  const out: PortSpec[] = [];
  v.forEach((item, i) => {
    const origin = `${path}[${i}]`;
    if (typeof item === 'number' && Number.isSafeInteger(item)) {
      out.push({ containerPort: item, origin });
    } else if (typeof item === 'string') {
      const parsed = shortPort(item, origin);
      if (parsed) out.push(...parsed);
      else
        out.push({
          containerPort: val.bad(origin, PORT_SHORT),
          hostPort: UNKNOWN,
          hostIp: UNKNOWN,
          origin,
        });
    } else if (isObject(item)) {
      const target = val.int(item.target, `${origin}.target`);
      const p: PortSpec = {
        containerPort: target ?? val.bad(`${origin}.target`, 'expected the container port'),
        origin,
      };
      const published = item.published;
      if (typeof published === 'string') {
        const r = range(published);
        p.hostPort = r
          ? r[0]
          : val.bad(`${origin}.published`, 'expected a port or a range such as 8000-8010');
      } else put(p, 'hostPort', val.int(published, `${origin}.published`));
      const ip = val.str(item.host_ip, `${origin}.host_ip`);
      if (ip !== undefined && ip !== '' && ip !== '0.0.0.0') p.hostIp = ip;
      put(p, 'protocol', val.str(item.protocol, `${origin}.protocol`));
      out.push(p);
    } else {
      out.push({ containerPort: val.bad(origin, PORT_SHORT), hostPort: UNKNOWN, hostIp: UNKNOWN, origin });
    }
  });
  return out;
}

/** The ports of one short-syntax entry, or `undefined` when compose could not read it. */
function shortPort(raw: string, origin: string): PortSpec[] | undefined {
  let s = raw.trim();
  let protocol: string | undefined;
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let ip: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    ip = s.slice(1, close);
    s = s.slice(close + 2);
  }
  const parts = s.split(':');
  const containerPart = parts.pop() ?? '';
  const hostPart = parts.length > 0 ? parts.pop() : undefined;
  if (parts.length > 0) ip = parts.join(':');
  const c = range(containerPart);
  if (!c) return undefined;
  const h = hostPart === undefined || hostPart === '' ? undefined : range(hostPart);
  if (hostPart && !h) return undefined;
  const base = (containerPort: number, hostPort: number | undefined): PortSpec => {
    const p: PortSpec = { containerPort, origin };
    if (hostPort !== undefined) p.hostPort = hostPort;
    if (ip !== undefined && ip !== '' && ip !== '0.0.0.0') p.hostIp = ip;
    if (protocol) p.protocol = protocol;
    return p;
  };
  const cs = expand(c);
  if (!h) return cs.map((cp) => base(cp, undefined));
  const hs = expand(h);
  if (hs.length === cs.length) return cs.map((cp, i) => base(cp, hs[i]));
  // A host range for one container port: the engine picks one; the lowest is the worst case.
  return cs.map((cp) => base(cp, h[0]));
}

/**
 * `healthcheck:` as Docker Compose hands it to the engine: `disable: true` (or a `NONE` test)
 * switches the check off; a block without a test (`{disable: false}`, `{interval: 10s}`) only
 * tunes the image's own HEALTHCHECK, so it reads as no health check declared here, exactly like
 * an absent block (the engine takes the image's test when the container's is empty).
 */
function healthcheck(v: unknown, path: string, val: Values): Val<HealthcheckSpec> | undefined {
  const hc = val.map(v, path);
  if (hc === undefined) return v === undefined || v === null ? undefined : UNKNOWN;
  const h: HealthcheckSpec = {};
  const test = hc.test;
  if (typeof test === 'string') h.test = ['CMD-SHELL', test];
  else put(h, 'test', val.strList(test, `${path}.test`));
  const disable = val.bool(hc.disable, `${path}.disable`);
  if (disable === true || (Array.isArray(h.test) && h.test[0] === 'NONE')) h.disabled = true;
  else if (isUnknown(disable)) h.disabled = disable;
  else if (h.test === undefined || (Array.isArray(h.test) && h.test.length === 0)) return undefined;
  return h;
}

/**
 * The restart policy as Docker Compose sets it on a plain container: `deploy.restart_policy`
 * replaces `restart:` when both are set (its `condition` mapped: `any` → always, `none` → no,
 * missing → no policy), with `max_attempts` as the retry count.
 */
function restart(v: unknown, policy: unknown, path: string, val: Values): Val<RestartSpec> | undefined {
  const p = val.map(policy, `${path}.deploy.restart_policy`);
  if (p) {
    const cond = val.str(p.condition, `${path}.deploy.restart_policy.condition`);
    const r: RestartSpec = {
      policy: isUnknown(cond)
        ? cond
        : cond === 'any' || cond === 'always'
          ? 'always'
          : cond === undefined || cond === 'none' || cond === 'no'
            ? 'no'
            : cond,
    };
    put(r, 'maxRetries', val.int(p.max_attempts, `${path}.deploy.restart_policy.max_attempts`));
    return r;
  }
  if (policy !== undefined && policy !== null) return UNKNOWN;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    return val.bad(`${path}.restart`, 'expected no, always, on-failure[:n] or unless-stopped');
  const [name = '', count] = v.split(':');
  const r: RestartSpec = { policy: name.trim() };
  if (count !== undefined) {
    r.maxRetries = /^\s*\d+\s*$/.test(count)
      ? Number(count)
      : val.bad(`${path}.restart`, 'expected a retry count after `on-failure:`');
  }
  return r;
}

/** `ulimits:` map of `name: n` or `name: {soft, hard}`, sorted by name. */
function ulimits(v: unknown, path: string, val: Values): Val<UlimitSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return val.bad(path, 'expected a mapping of limits (`nofile: {soft: 1024, hard: 2048}`)');
  return Object.keys(v)
    .sort()
    .map((name): UlimitSpec => {
      const origin = `${path}.${name}`;
      const u = v[name];
      const need = (x: Val<number> | undefined, at: string) => x ?? val.bad(at, 'expected a whole number');
      if (isObject(u)) {
        return {
          name,
          soft: need(val.int(u.soft, `${origin}.soft`), `${origin}.soft`),
          hard: need(val.int(u.hard, `${origin}.hard`), `${origin}.hard`),
          origin,
        };
      }
      const n = need(val.int(u, origin), origin);
      return { name, soft: n, hard: n, origin };
    });
}

/** `environment:` list (`KEY=VALUE`, `KEY`) or mapping; a bare key takes its value from the shell. */
function environment(v: unknown, path: string, val: Values): Val<EnvSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    return v.map((item, i): EnvSpec => {
      const origin = `${path}[${i}]`;
      if (typeof item !== 'string') {
        val.bad(origin, 'expected a string `KEY=VALUE`');
        return { name: UNKNOWN, value: UNKNOWN, origin };
      }
      const eq = item.indexOf('=');
      return eq < 0
        ? { name: item, value: UNKNOWN, origin }
        : { name: item.slice(0, eq), value: item.slice(eq + 1), origin };
    });
  }
  if (!isObject(v)) return val.bad(path, 'expected a mapping or a list of `KEY=VALUE` strings');
  return Object.keys(v)
    .sort()
    .map((name): EnvSpec => {
      const origin = `${path}.${name}`;
      const x = v[name];
      // Kept as written even with a `${VAR}` in it: whatever the variable holds lands in the
      // container's environment in plain text, which is what no-secrets-in-env judges.
      const value = x === null ? UNKNOWN : typeof x === 'string' ? x : (val.str(x, origin) ?? UNKNOWN);
      return { name, value, origin };
    });
}

/** Services named by `depends_on` (list or mapping) and `links` (`service[:alias]`). */
function dependsOn(deps: unknown, links: unknown, path: string, val: Values): string[] | typeof UNKNOWN {
  const out: string[] = [];
  let unknownSeen = false;
  const add = (s: string) => {
    const t = s.trim();
    if (t && !out.includes(t)) out.push(t);
  };
  const names = (v: unknown, at: string, mapping: boolean) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((d, i) => {
        if (typeof d === 'string') add(mapping ? d : (d.split(':')[0] ?? ''));
        else {
          val.bad(`${at}[${i}]`, 'expected a service name');
          unknownSeen = true;
        }
      });
    } else if (mapping && isObject(v)) {
      for (const k of Object.keys(v).sort()) add(k); // a mapping has no order
    } else {
      val.bad(at, mapping ? 'expected a list or mapping of services' : 'expected a list of services');
      unknownSeen = true;
    }
  };
  names(deps, `${path}.depends_on`, true);
  names(links, `${path}.links`, false);
  return unknownSeen ? UNKNOWN : out;
}

// ---- networks ----

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
    fieldPaths: {
      name: `${path}.name`,
      driver: `${path}.driver`,
      internal: `${path}.internal`,
      attachable: `${path}.attachable`,
      ipv6: `${path}.enable_ipv6`,
      options: `${path}.driver_opts`,
      labels: `${path}.labels`,
    },
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
  if (!c) {
    if (cfg !== undefined && cfg !== null) return unknownNetworkNamed(source, engineName);
    spec.driver = 'bridge';
    spec.internal = false;
    return spec;
  }
  spec.driver = val.str(c.driver, `${path}.driver`) ?? 'bridge';
  spec.internal = val.bool(c.internal, `${path}.internal`) ?? false;
  put(spec, 'attachable', val.bool(c.attachable, `${path}.attachable`));
  put(spec, 'ipv6', val.bool(c.enable_ipv6, `${path}.enable_ipv6`));
  put(spec, 'options', val.keyValues(c.driver_opts, `${path}.driver_opts`));
  put(spec, 'labels', val.keyValues(c.labels, `${path}.labels`) as NetworkSpec['labels']);
  return spec;
}

/** A network whose settings are all unknown but whose name the file gives. */
function unknownNetworkNamed(source: SourceInfo, name: Val<string>): NetworkSpec {
  const spec = unknownNetwork(source);
  spec.name = name;
  return spec;
}
