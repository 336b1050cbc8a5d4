/**
 * docker compose files (v2 and v3 formats, the Compose Specification) → {@link ResourceSet}.
 * Every field path gets a line and column, so every finding points at a line. Only the file
 * itself is read: `env_file`, `extends` files and variable values (`${VAR}` stays as written)
 * are not.
 */
import type { LineCounter, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { InputError } from '../engine/exemptions.js';
import { yaml } from '../lazy.js';
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
import { isUnknown, type MaybeSecret, UNKNOWN, type Val } from '../model/value.js';
import { isObject, linksFromLabels, put, setKey, unknownNetwork } from './read.js';
import { cpusToNano, sizeToBytes } from './units.js';

// yaml's node predicates, through the lazily loaded module.
const isMap = (n: unknown): n is YAMLMap<unknown, unknown> => yaml().isMap(n);
const isSeq = (n: unknown): n is YAMLSeq<unknown> => yaml().isSeq(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);

/** Largest compose file read (bytes of text). */
export const COMPOSE_MAX_BYTES = 10 * 1024 * 1024;
/** Alias expansions allowed before a file is treated as an alias bomb. */
export const COMPOSE_MAX_ALIASES = 100;

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
  TAG_RESOLVE_FAILED: 'a YAML tag (`!name`) is not known',
  BAD_COLLECTION_TYPE: 'a YAML tag does not fit the collection it is on',
  UNEXPECTED_TOKEN: 'unexpected text here',
};

interface Ctx {
  file: string;
  lc: LineCounter;
}

/**
 * Parses a compose file and converts its services and networks.
 * @param text the file's content
 * @param file the file name, used in locations and errors
 * @throws {@link InputError} naming the file, line and column when the text is not YAML, is too
 *   large, expands too many aliases, or is not a compose file (no `services:` mapping, a service
 *   that is not a mapping). Settings of the wrong type do not throw: they become unknown.
 */
export function fromCompose(text: string, file: string): ResourceSet {
  if (typeof text !== 'string')
    throw new InputError(`${file}: expected the text of a compose file`, ['(root)']);
  if (text.length > COMPOSE_MAX_BYTES) {
    throw new InputError(
      `${file}: the file is larger than ${COMPOSE_MAX_BYTES / 1024 / 1024} MB; split it or check that it is a compose file`,
      ['(root)'],
    );
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: true });
  } catch {
    throw new InputError(`${file}: could not be parsed as YAML (too deeply nested?)`, ['(root)']);
  }
  const ctx: Ctx = { file, lc };
  const err = doc.errors[0];
  if (err) {
    const where = at(ctx, err.pos[0]);
    const problem = YAML_PROBLEMS[err.code] ?? 'the YAML syntax is not valid';
    throw new InputError(`${where}: not valid YAML: ${problem}`, ['(root)']);
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: COMPOSE_MAX_ALIASES });
  } catch (e) {
    if (e instanceof Error && /merge sources/i.test(e.message)) {
      throw new InputError(
        `${file}: a \`<<\` merge key must refer to a mapping (an anchor of a mapping, or a list of them)`,
        ['(root)'],
      );
    }
    if (e instanceof ReferenceError || (e instanceof Error && /alias/i.test(e.message))) {
      throw new InputError(
        `${file}: YAML aliases expand too much (more than ${COMPOSE_MAX_ALIASES} expansions); ` +
          'write the repeated settings out or use fewer anchors',
        ['(root)'],
      );
    }
    throw new InputError(`${file}: could not be read as YAML data`, ['(root)']);
  }
  const root = doc.contents;
  if (!isMap(root) || !isObject(js)) {
    throw new InputError(
      `${at(ctx, root?.range?.[0] ?? 0)}: expected a compose file: a mapping with a top-level \`services:\` key`,
      ['(root)'],
    );
  }
  const servicesNode = root.get('services', true) as Node | undefined;
  const services = js.services;
  if (servicesNode === undefined || servicesNode === null) {
    throw new InputError(
      `${at(ctx, root.range?.[0] ?? 0)}: no top-level \`services:\` key; a compose file lists its containers ` +
        'under `services:` (`services:` then `  web:` then `    image: ...`)',
      ['services'],
    );
  }
  if (!isMap(servicesNode) || !isObject(services)) {
    const pos = servicesNode.range?.[0] ?? keyPos(root, 'services') ?? 0;
    throw new InputError(
      `${at(ctx, pos)}: services: expected a mapping of service names to their settings ` +
        '(`services:` then `  web:` then `    image: ...`)',
      ['services'],
    );
  }

  const out: ResourceSet = { containers: [], networks: [] };
  // Where the implicit `default` network comes from: the first service that joins it.
  let defaultAt: Location | undefined;
  for (const pair of servicesNode.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const node = pair.value as Node | null;
    const svc = (services as Record<string, unknown>)[name];
    const path = `services.${name}`;
    const keyAt = pair.key.range?.[0] ?? 0;
    if (svc !== null && svc !== undefined && !isObject(svc)) {
      throw new InputError(
        `${at(ctx, node?.range?.[0] ?? keyAt)}: ${path}: expected a mapping of settings (image, cap_drop, ...)`,
        [path],
      );
    }
    const locations = new Map<string, Location>();
    locations.set(path, loc(ctx, keyAt));
    if (node) collectLocations(node, path, ctx, locations, 0);
    const spec = service(name, isObject(svc) ? svc : {}, loc(ctx, keyAt), locations);
    if (
      defaultAt === undefined &&
      Array.isArray(spec.networks) &&
      spec.networks.some((n) => n.name === 'default')
    ) {
      defaultAt = spec.source.location;
    }
    out.containers.push(spec);
  }

  const netsNode = root.get('networks', true) as Node | undefined;
  const nets = js.networks;
  let definesDefault = false;
  if (isMap(netsNode) && isObject(nets)) {
    for (const pair of netsNode.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (name === 'default') definesDefault = true;
      const locations = new Map<string, Location>();
      const keyAt = pair.key.range?.[0] ?? 0;
      locations.set(`networks.${name}`, loc(ctx, keyAt));
      if (pair.value) collectLocations(pair.value as Node, `networks.${name}`, ctx, locations, 0);
      out.networks.push(network(name, nets[name], loc(ctx, keyAt), locations));
    }
  }
  if (!definesDefault && defaultAt !== undefined) {
    // The implicit project network every service without `networks:` joins: a plain bridge.
    const net = newNetworkSpec(
      { kind: 'compose', name: 'default', type: 'compose:network', location: defaultAt },
      'default',
    );
    net.driver = 'bridge';
    net.internal = false;
    out.networks.push(net);
  }
  return out;
}

function at(ctx: Ctx, offset: number): string {
  const { line, col } = ctx.lc.linePos(offset);
  return `${ctx.file}:${line}:${col}`;
}

function loc(ctx: Ctx, offset: number): Location {
  const { line, col } = ctx.lc.linePos(offset);
  return { file: ctx.file, line, column: col };
}

function keyPos(map: Node, key: string): number | undefined {
  if (!isMap(map)) return undefined;
  for (const p of map.items) if (isScalar(p.key) && p.key.value === key) return p.key.range?.[0];
  return undefined;
}

/** Records the position of every key and list item under `node`, keyed by its field path. */
function collectLocations(
  node: Node,
  path: string,
  ctx: Ctx,
  out: Map<string, Location>,
  depth: number,
): void {
  if (depth > 16) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (key === '<<') continue;
      const p = `${path}.${key}`;
      out.set(p, loc(ctx, pair.key.range?.[0] ?? 0));
      if (pair.value) collectLocations(pair.value as Node, p, ctx, out, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const n = item as Node | null;
      const p = `${path}[${i}]`;
      if (n?.range) out.set(p, loc(ctx, n.range[0]));
      if (n) collectLocations(n, p, ctx, out, depth + 1);
    });
  }
}

// ---- scalar readers: compose writes numbers and booleans where the engine wants strings ----

function scalar(v: unknown): Val<string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return UNKNOWN;
}

function boolean(v: unknown): Val<boolean> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return UNKNOWN;
}

function integer(v: unknown): Val<number> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : UNKNOWN;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return UNKNOWN;
}

function scalarList(v: unknown): Val<Val<string>[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return UNKNOWN;
  return v.map((x) => scalar(x) ?? UNKNOWN);
}

/** A list (`["a=b"]`) or mapping (`{a: b}`) of key/value pairs, as labels and sysctls allow. */
function keyValues(v: unknown): Val<Record<string, Val<string>>> | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Record<string, Val<string>> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item !== 'string') return UNKNOWN;
      const eq = item.indexOf('=');
      if (eq < 0) setKey(out, item, '');
      else setKey(out, item.slice(0, eq), item.slice(eq + 1));
    }
    return out;
  }
  if (!isObject(v)) return UNKNOWN;
  for (const k of Object.keys(v)) setKey(out, k, scalar(v[k]) ?? '');
  return out;
}

// ---- services ----

function fieldPaths(path: string, svc: Record<string, unknown>): Record<string, string> {
  const limits = dig(svc, 'deploy', 'resources', 'limits');
  const lim = (k: string, plain: string) =>
    isObject(limits) && limits[k] !== undefined ? `${path}.deploy.resources.limits.${k}` : `${path}.${plain}`;
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
    restart:
      svc.restart === undefined && dig(svc, 'deploy', 'restart_policy') !== undefined
        ? `${path}.deploy.restart_policy`
        : `${path}.restart`,
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

function service(
  name: string,
  svc: Record<string, unknown>,
  location: Location,
  locations: Map<string, Location>,
): ContainerSpec {
  const path = `services.${name}`;
  const spec = newContainerSpec({
    kind: 'compose',
    name,
    type: 'compose:service',
    location,
    locations,
    fieldPaths: fieldPaths(path, svc),
  });
  put(spec, 'image', scalar(svc.image));
  put(spec, 'user', scalar(svc.user));
  put(spec, 'groupAdd', scalarList(svc.group_add));
  put(spec, 'privileged', boolean(svc.privileged));
  put(spec, 'capAdd', scalarList(svc.cap_add));
  put(spec, 'capDrop', scalarList(svc.cap_drop));
  put(spec, 'securityOpt', scalarList(svc.security_opt) as Val<Val<MaybeSecret>[]> | undefined);
  put(spec, 'readOnlyRootfs', boolean(svc.read_only));
  put(spec, 'tmpfs', tmpfs(svc.tmpfs));
  put(spec, 'mounts', volumes(svc.volumes, `${path}.volumes`));
  put(spec, 'networkMode', scalar(svc.network_mode));
  put(spec, 'networks', networks(svc, path));
  put(spec, 'pidMode', scalar(svc.pid));
  put(spec, 'ipcMode', scalar(svc.ipc));
  put(spec, 'utsMode', scalar(svc.uts));
  put(spec, 'usernsMode', scalar(svc.userns_mode));
  put(spec, 'cgroupnsMode', scalar(svc.cgroup));
  put(spec, 'cgroupParent', scalar(svc.cgroup_parent));

  const deploy = svc.deploy;
  const resources = dig(svc, 'deploy', 'resources');
  const limits = dig(resources, 'limits');
  const badDeploy =
    (deploy !== undefined && deploy !== null && !isObject(deploy)) ||
    (resources !== undefined && resources !== null && !isObject(resources)) ||
    (limits !== undefined && limits !== null && !isObject(limits));
  const limit = (k: string) => (badDeploy ? UNKNOWN : isObject(limits) ? limits[k] : undefined);
  put(spec, 'memory', sizeToBytes(limit('memory') ?? svc.mem_limit));
  put(spec, 'memorySwap', sizeToBytes(svc.memswap_limit));
  put(spec, 'nanoCpus', cpus(limit('cpus') ?? svc.cpus));
  put(spec, 'cpuQuota', integer(svc.cpu_quota));
  put(spec, 'cpuPeriod', integer(svc.cpu_period));
  put(spec, 'cpuShares', integer(svc.cpu_shares));
  put(spec, 'pidsLimit', integer(limit('pids') ?? svc.pids_limit));
  put(spec, 'devices', devices(svc.devices, `${path}.devices`));
  put(spec, 'deviceCgroupRules', scalarList(svc.device_cgroup_rules));
  put(spec, 'gpus', gpus(svc.gpus, badDeploy ? UNKNOWN : dig(resources, 'reservations', 'devices')));
  put(spec, 'ports', ports(svc.ports, `${path}.ports`));
  put(spec, 'healthcheck', healthcheck(svc.healthcheck));
  put(spec, 'restart', restart(svc.restart, badDeploy ? UNKNOWN : dig(deploy, 'restart_policy')));
  put(spec, 'sysctls', keyValues(svc.sysctls));
  put(spec, 'ulimits', ulimits(svc.ulimits, `${path}.ulimits`));
  put(spec, 'env', environment(svc.environment, `${path}.environment`));
  const logging = svc.logging;
  if (logging !== undefined && logging !== null) {
    if (!isObject(logging)) {
      spec.logDriver = UNKNOWN;
      spec.logOpts = UNKNOWN;
    } else {
      put(spec, 'logDriver', scalar(logging.driver));
      put(spec, 'logOpts', keyValues(logging.options));
    }
  }
  put(spec, 'init', boolean(svc.init));
  put(spec, 'runtime', scalar(svc.runtime));
  put(spec, 'labels', keyValues(svc.labels) as ContainerSpec['labels']);
  put(spec, 'hostname', scalar(svc.hostname));
  put(spec, 'command', scalarList(svc.command) as ContainerSpec['command']);
  const declared = dependsOn(svc.depends_on, svc.links);
  if (isUnknown(declared)) {
    Object.assign(spec, linksFromLabels(spec.labels));
    spec.links = UNKNOWN;
  } else {
    Object.assign(spec, linksFromLabels(spec.labels, declared));
  }
  return spec;
}

function cpus(v: unknown): Val<number> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return UNKNOWN;
  return cpusToNano(v);
}

/** `tmpfs: /run` or a list of `path[:options]`. */
function tmpfs(v: unknown): Val<Record<string, Val<string>>> | undefined {
  const list = scalarList(v);
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
const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']);

function unknownMount(origin: string): MountSpec {
  return { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin };
}

/** `volumes:` in short (`src:dst:ro`) and long (`{type, source, target}`) syntax. */
function volumes(v: unknown, path: string): Val<MountSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return UNKNOWN;
  return v.map((item, i): MountSpec => {
    const origin = `${path}[${i}]`;
    if (typeof item === 'string') return shortVolume(item, origin);
    if (!isObject(item)) return unknownMount(origin);
    const t = scalar(item.type);
    const target = scalar(item.target);
    const m: MountSpec = {
      type:
        typeof t === 'string' && MOUNT_TYPES.has(t)
          ? (t as MountSpec['type'])
          : t === undefined
            ? 'volume'
            : UNKNOWN,
      target: target ?? UNKNOWN,
      origin,
    };
    put(m, 'source', scalar(item.source));
    put(m, 'readOnly', boolean(item.read_only));
    if (m.type === 'bind') {
      const bind = item.bind;
      if (bind !== undefined && bind !== null) {
        m.propagation = isObject(bind) ? (scalar(bind.propagation) ?? 'rprivate') : UNKNOWN;
      }
    }
    return m;
  });
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

/** Service `networks:` as a list or a mapping; absent means the project's `default` network. */
function networks(svc: Record<string, unknown>, path: string): Val<NetworkAttachmentSpec[]> | undefined {
  const v = svc.networks;
  if (v === undefined || v === null) {
    return svc.network_mode === undefined ? [{ name: 'default', origin: path }] : undefined;
  }
  if (Array.isArray(v)) {
    return v.map((n, i) => ({ name: scalar(n) ?? UNKNOWN, origin: `${path}.networks[${i}]` }));
  }
  if (!isObject(v)) return UNKNOWN;
  return Object.keys(v)
    .sort()
    .map((name) => {
      const a: NetworkAttachmentSpec = { name, origin: `${path}.networks.${name}` };
      const cfg = v[name];
      if (isObject(cfg)) put(a, 'aliases', scalarList(cfg.aliases));
      else if (cfg !== null && cfg !== undefined) a.aliases = UNKNOWN;
      return a;
    });
}

function devices(v: unknown, path: string): Val<DeviceSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return UNKNOWN;
  return v.map((item, i): DeviceSpec => {
    const origin = `${path}[${i}]`;
    if (typeof item === 'string') {
      const [hostPath = '', containerPath, permissions] = item.split(':');
      const d: DeviceSpec = { hostPath, origin };
      if (containerPath) d.containerPath = containerPath;
      if (permissions) d.permissions = permissions;
      return d;
    }
    if (!isObject(item)) return { hostPath: UNKNOWN, containerPath: UNKNOWN, permissions: UNKNOWN, origin };
    const d: DeviceSpec = { hostPath: scalar(item.source) ?? UNKNOWN, origin };
    put(d, 'containerPath', scalar(item.target));
    put(d, 'permissions', scalar(item.permissions));
    return d;
  });
}

/** `gpus:` or GPU device reservations, as the `--gpus` value they amount to. */
function gpus(direct: unknown, reservations: unknown): Val<string> | undefined {
  const describe = (d: unknown): Val<string> | undefined => {
    if (!isObject(d)) return UNKNOWN;
    const ids = scalarList(d.device_ids);
    if (ids !== undefined) return isUnknown(ids) || ids.some(isUnknown) ? UNKNOWN : `device=${ids.join(',')}`;
    const count = d.count;
    if (count === undefined || count === 'all' || count === -1) return 'all';
    return typeof count === 'number' ? String(count) : UNKNOWN;
  };
  const many = (list: unknown, gpuOnly: boolean): Val<string> | undefined => {
    if (list === undefined || list === null) return undefined;
    if (isUnknown(list) || !Array.isArray(list)) return UNKNOWN;
    const picked = list.filter(
      (d) =>
        !gpuOnly ||
        !isObject(d) ||
        (Array.isArray(d.capabilities) && d.capabilities.includes('gpu')) ||
        d.driver === 'nvidia',
    );
    if (picked.length === 0) return undefined;
    const parts = picked.map(describe);
    return parts.some((p) => p === undefined || isUnknown(p)) ? UNKNOWN : parts.join(' ');
  };
  if (direct !== undefined && direct !== null) {
    if (typeof direct === 'string') return direct;
    return many(direct, false);
  }
  return many(reservations, true);
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

/** `ports:` short (`"127.0.0.1:8080-8081:80-81/udp"`) and long (`{target, published, host_ip}`) syntax. */
function ports(v: unknown, path: string): Val<PortSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return UNKNOWN;
  const out: PortSpec[] = [];
  v.forEach((item, i) => {
    const origin = `${path}[${i}]`;
    if (typeof item === 'number') {
      out.push({ containerPort: item, origin });
    } else if (typeof item === 'string') {
      out.push(...shortPort(item, origin));
    } else if (isObject(item)) {
      const target = integer(item.target);
      const published = item.published;
      const p: PortSpec = { containerPort: target ?? UNKNOWN, origin };
      if (typeof published === 'number') p.hostPort = published;
      else if (typeof published === 'string') {
        const r = range(published);
        p.hostPort = r ? r[0] : UNKNOWN;
      } else if (published !== undefined && published !== null) p.hostPort = UNKNOWN;
      const ip = scalar(item.host_ip);
      if (ip !== undefined && ip !== '' && ip !== '0.0.0.0') p.hostIp = ip;
      put(p, 'protocol', scalar(item.protocol));
      out.push(p);
    } else {
      out.push({ containerPort: UNKNOWN, hostPort: UNKNOWN, hostIp: UNKNOWN, protocol: UNKNOWN, origin });
    }
  });
  return out;
}

function shortPort(raw: string, origin: string): PortSpec[] {
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
    ip = s.slice(1, close);
    s = s.slice(close + 2);
  }
  const parts = s.split(':');
  const containerPart = parts.pop() ?? '';
  const hostPart = parts.length > 0 ? parts.pop() : undefined;
  if (parts.length > 0) ip = parts.join(':');
  const bad = (): PortSpec[] => [{ containerPort: UNKNOWN, hostPort: UNKNOWN, hostIp: UNKNOWN, origin }];
  const c = range(containerPart);
  if (!c) return bad();
  const h = hostPart === undefined || hostPart === '' ? undefined : range(hostPart);
  if (hostPart && !h) return bad();
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

function healthcheck(v: unknown): Val<HealthcheckSpec> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return UNKNOWN;
  const h: HealthcheckSpec = {};
  const test = v.test;
  if (typeof test === 'string') h.test = ['CMD-SHELL', test];
  else if (test !== undefined && test !== null) h.test = scalarList(test) ?? UNKNOWN;
  const disable = boolean(v.disable);
  if (disable === true || (Array.isArray(h.test) && h.test[0] === 'NONE')) h.disabled = true;
  else if (disable !== undefined) h.disabled = disable;
  return h;
}

function restart(v: unknown, policy: unknown): Val<RestartSpec> | undefined {
  if (v !== undefined && v !== null) {
    if (typeof v !== 'string') return UNKNOWN;
    const [name = '', count] = v.split(':');
    const r: RestartSpec = { policy: name.trim() };
    if (count !== undefined) r.maxRetries = /^\s*\d+\s*$/.test(count) ? Number(count) : UNKNOWN;
    return r;
  }
  if (policy === undefined || policy === null) return undefined;
  if (!isObject(policy)) return UNKNOWN;
  const cond = scalar(policy.condition);
  const r: RestartSpec = {
    policy: cond === undefined || cond === 'any' ? 'always' : cond === 'none' ? 'no' : cond,
  };
  put(r, 'maxRetries', integer(policy.max_attempts));
  return r;
}

/** `ulimits:` map of `name: n` or `name: {soft, hard}`, sorted by name. */
function ulimits(v: unknown, path: string): Val<UlimitSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return UNKNOWN;
  return Object.keys(v)
    .sort()
    .map((name): UlimitSpec => {
      const origin = `${path}.${name}`;
      const u = v[name];
      if (isObject(u))
        return { name, soft: integer(u.soft) ?? UNKNOWN, hard: integer(u.hard) ?? UNKNOWN, origin };
      const n = integer(u) ?? UNKNOWN;
      return { name, soft: n, hard: n, origin };
    });
}

/** `environment:` list (`KEY=VALUE`, `KEY`) or mapping; a bare key takes its value from the shell. */
function environment(v: unknown, path: string): Val<EnvSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    return v.map((item, i): EnvSpec => {
      const origin = `${path}[${i}]`;
      if (typeof item !== 'string') return { name: UNKNOWN, value: UNKNOWN, origin };
      const eq = item.indexOf('=');
      return eq < 0
        ? { name: item, value: UNKNOWN, origin }
        : { name: item.slice(0, eq), value: item.slice(eq + 1), origin };
    });
  }
  if (!isObject(v)) return UNKNOWN;
  return Object.keys(v)
    .sort()
    .map(
      (name): EnvSpec => ({
        name,
        value: v[name] === null ? UNKNOWN : (scalar(v[name]) ?? UNKNOWN),
        origin: `${path}.${name}`,
      }),
    );
}

/** Services named by `depends_on` (list or mapping) and `links` (`service[:alias]`). */
function dependsOn(deps: unknown, links: unknown): string[] | typeof UNKNOWN {
  const out: string[] = [];
  const add = (s: string) => {
    const t = s.trim();
    if (t && !out.includes(t)) out.push(t);
  };
  if (Array.isArray(deps)) {
    for (const d of deps) {
      if (typeof d !== 'string') return UNKNOWN;
      add(d);
    }
  } else if (isObject(deps)) {
    for (const k of Object.keys(deps).sort()) add(k); // a mapping has no order
  } else if (deps !== undefined && deps !== null) return UNKNOWN;
  if (Array.isArray(links)) {
    for (const l of links) {
      if (typeof l !== 'string') return UNKNOWN;
      add(l.split(':')[0] ?? '');
    }
  } else if (links !== undefined && links !== null) return UNKNOWN;
  return out;
}

// ---- networks ----

function network(
  name: string,
  cfg: unknown,
  location: Location,
  locations: Map<string, Location>,
): NetworkSpec {
  const path = `networks.${name}`;
  const source: SourceInfo = {
    kind: 'compose',
    name,
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
  const spec = newNetworkSpec(source, name);
  if (cfg === null || cfg === undefined) {
    spec.driver = 'bridge';
    spec.internal = false;
    return spec;
  }
  if (!isObject(cfg)) {
    return unknownNetworkNamed(source, name);
  }
  if (cfg.external === true || isObject(cfg.external)) {
    // Defined outside this file: nothing about it is known here.
    return unknownNetworkNamed(source, name);
  }
  spec.driver = scalar(cfg.driver) ?? 'bridge';
  spec.internal = boolean(cfg.internal) ?? false;
  put(spec, 'attachable', boolean(cfg.attachable));
  put(spec, 'ipv6', boolean(cfg.enable_ipv6));
  put(spec, 'options', keyValues(cfg.driver_opts));
  put(spec, 'labels', keyValues(cfg.labels) as NetworkSpec['labels']);
  return spec;
}

/** A network whose settings are all unknown but whose name the file gives. */
function unknownNetworkNamed(source: SourceInfo, name: string): NetworkSpec {
  const spec = unknownNetwork(source);
  spec.name = name;
  return spec;
}
