/**
 * One compose service → {@link ContainerSpec}: each setting read the way Docker Compose applies it
 * to the container (`deploy:` limits and restart policy, named volumes that bind a host path,
 * the project's default network), with the service's field paths for findings.
 */
import {
  type ContainerSpec,
  type DeviceSpec,
  type EnvSpec,
  type HealthcheckSpec,
  type Location,
  type MountSpec,
  type NetworkAttachmentSpec,
  newContainerSpec,
  type PortSpec,
  type RestartSpec,
  type UlimitSpec,
} from '../../model/spec.js';
import { isUnknown, UNKNOWN, type Val } from '../../model/value.js';
import { type FieldTable, fieldPathsOf, type NoSetting, type Shape, tableReader } from '../fields.js';
import { linksFromLabels, put, setKey } from '../read.js';
import { isObject, type Values } from './values.js';

/** Compose's project, as the services see it: its name, networks and volumes. */
export interface Project {
  name: string;
  /** Compose network key → the engine's network name. */
  networks: ReadonlyMap<string, Val<string>>;
  /** Compose volume key → its top-level definition (`null` when declared without settings). */
  volumes: ReadonlyMap<string, unknown>;
}

/**
 * A service as the table's rows read it: its mapping and path, the project, the value reader, and
 * the `deploy:` and `logging:` mappings (read once: a value compose refuses is reported once).
 */
interface ServiceInput {
  svc: Record<string, unknown>;
  path: string;
  project: Project;
  val: Values;
  deploy: Record<string, unknown> | undefined;
  limits: Record<string, unknown> | undefined;
  reservations: Record<string, unknown> | undefined;
  logging: Record<string, unknown> | undefined;
}

/** A table row; `V` is what it reads (the table checks it against the spec field). */
interface Row<V> {
  path: string;
  pathIn?(s: ServiceInput): string;
  as?: Shape;
  read(s: ServiceInput): V | undefined;
}

/** The service's key `k`, read by `read` with its full path (`services.web.cap_drop`). */
function key<V>(k: string, read: (v: unknown, at: string, s: ServiceInput) => V | undefined): Row<V> {
  return { path: k, read: (s) => read(s.svc[k], `${s.path}.${k}`, s) };
}
/** A key where compose holds the spec value as it is (`as`), read by `read`. */
function asIs<V>(
  k: string,
  as: Shape,
  read: (v: unknown, at: string, s: ServiceInput) => V | undefined,
): Row<V> {
  return { ...key(k, read), as };
}
const str = (k: string) => asIs(k, 'value', (v, at, s) => s.val.str(v, at));
const bool = (k: string) => asIs(k, 'value', (v, at, s) => s.val.bool(v, at));
const int = (k: string) => asIs(k, 'value', (v, at, s) => s.val.int(v, at));
const strList = (k: string, how?: { single?: boolean; numbers?: boolean }) =>
  asIs(k, 'list', (v, at, s) => s.val.strList(v, at, how));
const keyValues = (k: string) => asIs(k, 'map', (v, at, s) => s.val.keyValues(v, at));

/** A resource limit under `deploy.resources.limits`: compose applies it only when it is not zero. */
function deployLimit(limits: Record<string, unknown> | undefined, key: string): unknown {
  const v = limits?.[key];
  return v === 0 || v === '0' ? undefined : v;
}

/**
 * A setting `deploy.resources.limits.<limit>` overrides (when not zero) on a plain container:
 * findings point to whichever the service sets.
 */
function limited<V>(
  plain: string,
  limit: string,
  read: (val: Values, v: unknown, at: string) => V | undefined,
  as?: Shape,
): Row<V> {
  const deployed = `deploy.resources.limits.${limit}`;
  return {
    path: plain,
    ...(as ? { as } : {}),
    pathIn(s) {
      const v = deployLimit(s.limits, limit);
      return v !== undefined && v !== null ? deployed : plain;
    },
    read(s) {
      const v = deployLimit(s.limits, limit);
      return v !== undefined
        ? read(s.val, v, `${s.path}.${deployed}`)
        : read(s.val, s.svc[plain], `${s.path}.${plain}`);
    },
  };
}

/** A key of `logging:`. */
function logging<V>(
  k: string,
  as: Shape,
  read: (val: Values, v: unknown, at: string) => V | undefined,
): Row<V> {
  const path = `logging.${k}`;
  return { path, as, read: (s) => (s.logging ? read(s.val, s.logging[k], `${s.path}.${path}`) : undefined) };
}

const GPU_RESERVATIONS = 'deploy.resources.reservations.devices';

/**
 * Every spec field a compose service sets, with its key in the service and its reader, each read
 * the way Docker Compose applies it to a plain (non-swarm) container: `deploy:` resource limits
 * (when not zero) override `mem_limit`/`cpus`/`pids_limit`, GPU reservations become device
 * requests, `deploy.restart_policy` replaces `restart:`; the swarm-only keys are not read. `links`
 * and `ingress` are read after the table (labels, `depends_on`, `links`: see {@link service}).
 */
export const COMPOSE_SERVICE_FIELDS: FieldTable<ContainerSpec, [ServiceInput]> = {
  image: str('image'),
  user: str('user'),
  groupAdd: strList('group_add', { numbers: true }),
  privileged: bool('privileged'),
  capAdd: strList('cap_add'),
  capDrop: strList('cap_drop'),
  securityOpt: asIs(
    'security_opt',
    'list',
    (v, at, s) => s.val.strList(v, at) as ContainerSpec['securityOpt'],
  ),
  readOnlyRootfs: bool('read_only'),
  tmpfs: key('tmpfs', (v, at, s) => tmpfs(v, at, s.val)),
  mounts: key('volumes', (v, at, s) => volumes(v, at, s.project, s.val)),
  networkMode: str('network_mode'),
  networks: { path: 'networks', read: (s) => networks(s.svc, s.path, s.project, s.val) },
  pidMode: str('pid'),
  ipcMode: str('ipc'),
  utsMode: str('uts'),
  usernsMode: str('userns_mode'),
  cgroupnsMode: str('cgroup'),
  cgroupParent: str('cgroup_parent'),
  memory: limited('mem_limit', 'memory', (val, v, at) => val.size(v, at), 'value'),
  memorySwap: asIs('memswap_limit', 'value', (v, at, s) => s.val.size(v, at)),
  nanoCpus: limited('cpus', 'cpus', (val, v, at) => val.cpus(v, at)),
  cpuQuota: int('cpu_quota'),
  cpuPeriod: int('cpu_period'),
  cpuShares: int('cpu_shares'),
  pidsLimit: limited('pids_limit', 'pids', (val, v, at) => val.int(v, at), 'value'),
  devices: key('devices', (v, at, s) => devices(v, at, s.val)),
  deviceCgroupRules: strList('device_cgroup_rules'),
  gpus: {
    path: 'gpus',
    as: 'value',
    pathIn: (s) => (s.svc.gpus !== undefined ? 'gpus' : GPU_RESERVATIONS),
    read: (s) =>
      gpus(s.svc.gpus, s.reservations?.devices, `${s.path}.gpus`, `${s.path}.${GPU_RESERVATIONS}`, s.val),
  },
  ports: key('ports', (v, at, s) => ports(v, at, s.val)),
  healthcheck: key('healthcheck', (v, at, s) => healthcheck(v, at, s.val)),
  restart: {
    path: 'restart',
    pathIn(s) {
      const policy = s.deploy?.restart_policy;
      return policy !== undefined && policy !== null ? 'deploy.restart_policy' : 'restart';
    },
    read: (s) => restart(s.svc.restart, s.deploy?.restart_policy, s.path, s.val),
  },
  sysctls: keyValues('sysctls'),
  ulimits: key('ulimits', (v, at, s) => ulimits(v, at, s.val)),
  env: key('environment', (v, at, s) => environment(v, at, s.val)),
  logDriver: logging('driver', 'value', (val, v, at) => val.str(v, at)),
  logOpts: logging('options', 'map', (val, v, at) => val.keyValues(v, at)),
  init: bool('init'),
  runtime: str('runtime'),
  labels: asIs('labels', 'map', (v, at, s) => s.val.keyValues(v, at) as ContainerSpec['labels']),
  hostname: str('hostname'),
  command: asIs(
    'command',
    'list',
    (v, at, s) => s.val.strList(v, at, { single: true }) as ContainerSpec['command'],
  ),
};

/** What a compose service has no key for. */
export const COMPOSE_NO_SETTING: NoSetting<ContainerSpec> = {
  publishAllPorts: 'compose has no publish-all-ports setting',
};

const readFields = tableReader(COMPOSE_SERVICE_FIELDS);

export function service(
  name: string,
  svc: Record<string, unknown>,
  location: Location,
  locations: Map<string, Location>,
  project: Project,
  val: Values,
): ContainerSpec {
  const path = `services.${name}`;
  const deploy = val.map(svc.deploy, `${path}.deploy`);
  const resources = val.map(deploy?.resources, `${path}.deploy.resources`);
  const input: ServiceInput = {
    svc,
    path,
    project,
    val,
    deploy,
    limits: val.map(resources?.limits, `${path}.deploy.resources.limits`),
    reservations: val.map(resources?.reservations, `${path}.deploy.resources.reservations`),
    logging: val.map(svc.logging, `${path}.logging`),
  };
  // `links` point to `depends_on` unless only `links:` declares them; `ingress` to the labels.
  const links = svc.depends_on !== undefined || svc.links === undefined ? 'depends_on' : 'links';
  const spec = newContainerSpec({
    kind: 'compose',
    name,
    type: 'compose:service',
    location,
    locations,
    fieldPaths: fieldPathsOf(
      COMPOSE_SERVICE_FIELDS,
      { publishAllPorts: 'ports', links, ingress: 'labels' },
      { prefix: path, args: [input] },
    ),
    settings: svc,
  });
  readFields(spec, input);
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
