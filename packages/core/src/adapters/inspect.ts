/**
 * `docker inspect` / `docker network inspect` output (and dockerode's `inspect()`, which returns
 * the same shape) → {@link ResourceSet}. What a running container reports is the truth after the
 * engine merged the image defaults, so an empty `Config.User` means root.
 */

import { InputError } from '../errors.js';
import {
  type ContainerSpec,
  type DeviceSpec,
  type HealthcheckSpec,
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
import { isUnknown, UNKNOWN, type Val } from '../model/value.js';
import { type FieldTable, fieldPathsOf, type Shape, tableReader } from './fields.js';
import {
  bool,
  envEntry,
  get,
  isObject,
  linksFromLabels,
  list,
  num,
  obj,
  PLAIN,
  put,
  secretMap,
  str,
  strItem,
  strList,
  strMap,
} from './read.js';

/**
 * Converts `docker inspect` output: an array (or one object) of containers and networks in any
 * mix. Objects that are neither are skipped. A field of the wrong type becomes unknown.
 * @throws {@link InputError} when the document is not an object or an array of objects.
 */
export function fromDockerInspect(json: unknown): ResourceSet {
  const items = Array.isArray(json) ? json : [json];
  if (!Array.isArray(json) && !isObject(json)) {
    throw new InputError(
      'docker inspect output: expected a JSON array of containers or networks (the output of `docker inspect` or `docker network inspect`)',
      ['(root)'],
    );
  }
  const out: ResourceSet = { containers: [], networks: [] };
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    // Fail closed: an entry that is neither is never dropped, or a garbled file would read as clean.
    if (isObject(item) && isContainerInspect(item)) out.containers.push(containerFromInspect(item, i));
    else if (isObject(item) && isNetworkInspect(item)) out.networks.push(networkFromInspect(item, i));
    else {
      const at = Array.isArray(json) ? `[${i}]` : '(root)';
      throw new InputError(
        `docker inspect output: ${at}: not a container or network from \`docker inspect\` ` +
          '(a container has HostConfig; a network has Name, Driver and IPAM)',
        [at],
      );
    }
  }
  return out;
}

/** True for a container's inspect object. */
export function isContainerInspect(o: Record<string, unknown>): boolean {
  return isObject(o.HostConfig) || (isObject(o.Config) && (isObject(o.State) || 'NetworkSettings' in o));
}

/** True for a network's inspect object. */
export function isNetworkInspect(o: Record<string, unknown>): boolean {
  return (
    typeof o.Name === 'string' &&
    typeof o.Driver === 'string' &&
    ('IPAM' in o || 'Scope' in o || 'Internal' in o)
  );
}

/** A number where the engine uses 0 (and `null`) for "not set". */
function setNum(raw: unknown): Val<number> | undefined {
  const n = num(raw);
  return n === 0 ? undefined : n;
}

/** A container's inspect object and its two settings objects (absent when not objects). */
interface Inspected {
  c: Record<string, unknown>;
  h: Record<string, unknown> | undefined;
  config: Record<string, unknown> | undefined;
}

/** A table row; `V` is what it reads (the table checks it against the spec field). */
interface Row<V> {
  path: string;
  as?: Shape;
  read(i: Inspected): V | undefined;
}

/**
 * A `HostConfig` member read by `read` (given the member's path, for items' origins); without a
 * `HostConfig`, `missing` (absent unless given).
 */
function host<V>(key: string, read: (raw: unknown, at: string) => V | undefined, missing?: V): Row<V> {
  const path = `HostConfig.${key}`;
  return { path, ...asIs(read), read: (i) => (i.h ? read(get(i.h, key), path) : missing) };
}

/** A `Config` member; absent without a `Config`. */
function config<V>(key: string, read: (raw: unknown, at: string) => V | undefined): Row<V> {
  const path = `Config.${key}`;
  return { path, ...asIs(read), read: (i) => (i.config ? read(get(i.config, key), path) : undefined) };
}

/** A member of `HostConfig.LogConfig`: both are unknown when `LogConfig` is. */
function logConfig<V>(key: string, read: (raw: unknown) => V | undefined): Row<V> {
  return {
    path: `HostConfig.LogConfig.${key}`,
    ...asIs(read),
    read(i) {
      const log = i.h ? obj(get(i.h, 'LogConfig')) : undefined;
      if (log === undefined) return undefined;
      return isUnknown(log) ? (UNKNOWN as V) : read(get(log, key));
    },
  };
}

/** A member of the inspect object itself, read with its path. */
function top<V>(path: string, key: string, read: (raw: unknown, at: string) => V | undefined): Row<V> {
  return { path, read: (i) => read(get(i.c, key), path) };
}

const text = (raw: unknown) => str(raw);
const flag = (raw: unknown) => bool(raw);
const texts = (raw: unknown) => strList(raw);
const textMap = (raw: unknown) => strMap(raw);
const mode = (raw: unknown) => nonEmpty(str(raw));
const labels = (raw: unknown) => secretMap(raw);

/** The readers of values the engine reports as the spec holds them, and how it holds them. */
const AS_IS = new Map<unknown, Shape>([
  [text, 'value'],
  [flag, 'value'],
  [mode, 'value'],
  [setNum, 'value'],
  [texts, 'list'],
  [textMap, 'map'],
  [labels, 'map'],
]);
/** `{as}` for a row read by one of {@link AS_IS}'s readers. */
function asIs(read: unknown): { as?: Shape } {
  const as = AS_IS.get(read);
  return as ? { as } : {};
}

/**
 * Every spec field `docker inspect` reports, with its path in the inspect object and its reader.
 * The engine uses 0 and `""` for "not set"; `links` and `ingress` are read from the labels after
 * the table (see {@link containerFromInspect}).
 */
export const INSPECT_CONTAINER_FIELDS: FieldTable<ContainerSpec, [Inspected]> = {
  image: config('Image', text),
  user: {
    path: 'Config.User',
    as: 'value',
    read(i) {
      if (!i.config) return UNKNOWN;
      const user = str(get(i.config, 'User'));
      // The engine already merged the image's USER: empty means the container runs as root.
      return user === '' ? '0' : (user ?? '0');
    },
  },
  groupAdd: host('GroupAdd', texts),
  privileged: host('Privileged', flag, UNKNOWN),
  capAdd: host('CapAdd', texts),
  capDrop: host('CapDrop', texts, UNKNOWN),
  securityOpt: {
    path: 'HostConfig.SecurityOpt',
    as: 'list',
    read: (i) => (i.h ? securityOpts(i.c, i.h) : UNKNOWN),
  },
  readOnlyRootfs: host('ReadonlyRootfs', flag),
  tmpfs: host('Tmpfs', textMap),
  mounts: top('Mounts', 'Mounts', mounts),
  networkMode: host('NetworkMode', text),
  networks: top('NetworkSettings.Networks', 'NetworkSettings', networks),
  pidMode: host('PidMode', mode),
  ipcMode: host('IpcMode', mode),
  utsMode: host('UTSMode', mode),
  usernsMode: host('UsernsMode', mode),
  cgroupnsMode: host('CgroupnsMode', mode),
  cgroupParent: host('CgroupParent', mode),
  memory: host('Memory', setNum),
  memorySwap: host('MemorySwap', setNum),
  nanoCpus: host('NanoCpus', setNum),
  cpuQuota: host('CpuQuota', setNum),
  cpuPeriod: host('CpuPeriod', setNum),
  cpuShares: host('CpuShares', setNum),
  pidsLimit: host('PidsLimit', setNum),
  devices: host('Devices', devices),
  deviceCgroupRules: host('DeviceCgroupRules', texts),
  gpus: host('DeviceRequests', gpus),
  ports: host('PortBindings', ports),
  publishAllPorts: host('PublishAllPorts', flag),
  healthcheck: config('Healthcheck', healthcheck),
  restart: host('RestartPolicy', restart),
  sysctls: host('Sysctls', textMap),
  ulimits: host('Ulimits', ulimits),
  env: config('Env', (raw, at) => list(raw, (el, s, i) => envEntry(el, s, `${at}[${i}]`, PLAIN))),
  logDriver: logConfig('Type', text),
  logOpts: logConfig('Config', textMap),
  init: host('Init', flag),
  runtime: host('Runtime', text),
  labels: config('Labels', labels),
  hostname: config('Hostname', text),
  command: config('Cmd', texts),
};

/** Spec field → inspect path; `links` and `ingress` come from the labels. */
const CONTAINER_PATHS = fieldPathsOf(INSPECT_CONTAINER_FIELDS, {
  links: 'Config.Labels',
  ingress: 'Config.Labels',
});
const readFields = tableReader(INSPECT_CONTAINER_FIELDS);

function containerFromInspect(c: Record<string, unknown>, index: number): ContainerSpec {
  const rawName = str(get(c, 'Name'));
  const id = str(get(c, 'Id'));
  const name =
    typeof rawName === 'string' && rawName !== ''
      ? rawName.replace(/^\//, '')
      : typeof id === 'string'
        ? id.slice(0, 12)
        : `container[${index}]`;
  const source: SourceInfo = { kind: 'inspect', name, type: 'docker:container', fieldPaths: CONTAINER_PATHS };
  const spec = newContainerSpec(source);
  const hc = obj(get(c, 'HostConfig'));
  const cfg = obj(get(c, 'Config'));
  readFields(spec, {
    c,
    h: hc === undefined || isUnknown(hc) ? undefined : hc,
    config: cfg === undefined || isUnknown(cfg) ? undefined : cfg,
  });
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
}

/** `Config.Healthcheck`: a `NONE` test switches the image's check off. */
function healthcheck(raw: unknown): Val<HealthcheckSpec> | undefined {
  const hcheck = obj(raw);
  if (hcheck === undefined || isUnknown(hcheck)) return hcheck;
  const test = strList(get(hcheck, 'Test'));
  const hs: HealthcheckSpec = {};
  put(hs, 'test', test);
  if (test !== undefined && !isUnknown(test) && test[0] === 'NONE') hs.disabled = true;
  return hs;
}

/** `HostConfig.RestartPolicy`: an empty name is the engine's `no`. */
function restart(raw: unknown): Val<RestartSpec> | undefined {
  const rp = obj(raw);
  if (rp === undefined || isUnknown(rp)) return rp;
  const policy = str(get(rp, 'Name'));
  const r: RestartSpec = { policy: policy === '' || policy === undefined ? 'no' : policy };
  put(r, 'maxRetries', num(get(rp, 'MaximumRetryCount')));
  return r;
}

function nonEmpty(v: Val<string> | undefined): Val<string> | undefined {
  return v === '' ? undefined : v;
}

/**
 * `HostConfig.SecurityOpt` plus what the engine records elsewhere, so one rule covers both:
 * an empty `MaskedPaths` (`systempaths=unconfined`) and the `AppArmorProfile` actually applied.
 */
function securityOpts(
  c: Record<string, unknown>,
  h: Record<string, unknown>,
): NonNullable<ContainerSpec['securityOpt']> {
  const opts = list(get(h, 'SecurityOpt'), strItem(PLAIN)) ?? [];
  if (isUnknown(opts)) return UNKNOWN;
  const has = (key: string) =>
    opts.some((o) => typeof o === 'string' && o.toLowerCase().replace(':', '=').startsWith(`${key}=`));
  const masked = get(h, 'MaskedPaths');
  if (Array.isArray(masked) && masked.length === 0 && !has('systempaths'))
    opts.push('systempaths=unconfined');
  const apparmor = str(get(c, 'AppArmorProfile'));
  if (typeof apparmor === 'string' && apparmor !== '' && !has('apparmor')) opts.push(`apparmor=${apparmor}`);
  return opts;
}

function devices(raw: unknown, at: string): Val<DeviceSpec[]> | undefined {
  return list(raw, (el, _s, i) => {
    const origin = `${at}[${i}]`;
    const o = obj(el);
    if (o === undefined || isUnknown(o))
      return { hostPath: UNKNOWN, containerPath: UNKNOWN, permissions: UNKNOWN, origin };
    const d: DeviceSpec = { hostPath: str(get(o, 'PathOnHost')) ?? UNKNOWN, origin };
    put(d, 'containerPath', str(get(o, 'PathInContainer')));
    put(d, 'permissions', str(get(o, 'CgroupPermissions')));
    return d;
  });
}

/** `HostConfig.DeviceRequests` as the `--gpus` value (`all`, `device=0,2`, a count). */
function gpus(raw: unknown): Val<string> | undefined {
  const reqs = list(raw, (el) => {
    const o = obj(el);
    if (o === undefined || isUnknown(o)) return UNKNOWN;
    const ids = strList(get(o, 'DeviceIDs'));
    if (ids !== undefined && !isUnknown(ids) && ids.length > 0) return `device=${ids.join(',')}`;
    const count = num(get(o, 'Count'));
    if (count === -1) return 'all';
    return typeof count === 'number' ? String(count) : UNKNOWN;
  });
  if (reqs === undefined || isUnknown(reqs)) return reqs;
  if (reqs.length === 0) return undefined;
  return reqs.some(isUnknown) ? UNKNOWN : reqs.join(' ');
}

/** `{"80/tcp": [{HostIp, HostPort}]}` → one {@link PortSpec} per binding. */
function ports(raw: unknown, at: string): Val<PortSpec[]> | undefined {
  const m = obj(raw);
  if (m === undefined || isUnknown(m)) return m;
  const out: PortSpec[] = [];
  for (const key of Object.keys(m).sort()) {
    const [portText, proto] = key.split('/');
    const containerPort = /^\d+$/.test(portText ?? '') ? Number(portText) : UNKNOWN;
    const bindings = get(m, key);
    if (bindings === null || bindings === undefined) continue; // exposed, not published
    if (!Array.isArray(bindings)) {
      out.push({
        containerPort,
        hostPort: UNKNOWN,
        hostIp: UNKNOWN,
        origin: `${at}.${key}`,
      });
      continue;
    }
    bindings.forEach((b: unknown, i) => {
      const origin = `${at}.${key}[${i}]`;
      const p: PortSpec = { containerPort, origin };
      if (proto) p.protocol = proto;
      const o = obj(b);
      if (o === undefined || isUnknown(o)) {
        p.hostPort = UNKNOWN;
        p.hostIp = UNKNOWN;
      } else {
        const hp = str(get(o, 'HostPort'));
        if (typeof hp === 'string' && hp !== '') p.hostPort = /^\d+$/.test(hp) ? Number(hp) : UNKNOWN;
        else if (hp !== undefined && isUnknown(hp)) p.hostPort = UNKNOWN;
        const ip = str(get(o, 'HostIp'));
        if (ip !== undefined && ip !== '' && ip !== '0.0.0.0' && ip !== '::') p.hostIp = ip;
      }
      out.push(p);
    });
  }
  return out;
}

function ulimits(raw: unknown, at: string): Val<UlimitSpec[]> | undefined {
  const l = list(raw, (el, _s, i) => {
    const origin = `${at}[${i}]`;
    const o = obj(el);
    if (o === undefined || isUnknown(o)) return { name: UNKNOWN, soft: UNKNOWN, hard: UNKNOWN, origin };
    return {
      name: str(get(o, 'Name')) ?? UNKNOWN,
      soft: num(get(o, 'Soft')) ?? UNKNOWN,
      hard: num(get(o, 'Hard')) ?? UNKNOWN,
      origin,
    };
  });
  return Array.isArray(l) && l.length === 0 ? undefined : l;
}

const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']);

function mounts(raw: unknown, at: string): Val<MountSpec[]> | undefined {
  return list(raw, (el, _s, i) => {
    const origin = `${at}[${i}]`;
    const o = obj(el);
    if (o === undefined || isUnknown(o))
      return { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin };
    const t = str(get(o, 'Type'));
    const type = typeof t === 'string' && MOUNT_TYPES.has(t) ? (t as MountSpec['type']) : UNKNOWN;
    const m: MountSpec = { type, target: str(get(o, 'Destination')) ?? UNKNOWN, origin };
    // A named volume is reported by name; its Source is the engine's data directory.
    put(
      m,
      'source',
      type === 'volume' ? (str(get(o, 'Name')) ?? str(get(o, 'Source'))) : str(get(o, 'Source')),
    );
    const rw = bool(get(o, 'RW'));
    if (rw !== undefined) m.readOnly = isUnknown(rw) ? UNKNOWN : !rw;
    put(m, 'propagation', nonEmpty(str(get(o, 'Propagation'))));
    return m;
  });
}

/** `NetworkSettings.Networks` (a map by network name) → attachments, sorted by name. */
function networks(raw: unknown, at: string): Val<NetworkAttachmentSpec[]> | undefined {
  const ns = obj(raw);
  if (ns === undefined) return undefined;
  if (isUnknown(ns)) return UNKNOWN;
  const nets = obj(get(ns, 'Networks'));
  if (nets === undefined || isUnknown(nets)) return nets;
  return Object.keys(nets)
    .sort()
    .map((name) => {
      const n: NetworkAttachmentSpec = { name, origin: `${at}.${name}` };
      const ep = obj(get(nets, name));
      if (ep !== undefined && !isUnknown(ep)) put(n, 'aliases', strList(get(ep, 'Aliases')));
      return n;
    });
}

/** Every spec field `docker network inspect` reports (its `Name` is read first), with its reader. */
export const INSPECT_NETWORK_FIELDS: FieldTable<NetworkSpec, [Record<string, unknown>]> = {
  driver: { path: 'Driver', as: 'value', read: (n) => str(get(n, 'Driver')) },
  internal: { path: 'Internal', as: 'value', read: (n) => bool(get(n, 'Internal')) },
  attachable: { path: 'Attachable', as: 'value', read: (n) => bool(get(n, 'Attachable')) },
  ipv6: { path: 'EnableIPv6', as: 'value', read: (n) => bool(get(n, 'EnableIPv6')) },
  options: { path: 'Options', as: 'map', read: (n) => strMap(get(n, 'Options')) },
  labels: { path: 'Labels', as: 'map', read: (n) => secretMap(get(n, 'Labels')) },
};

const NETWORK_PATHS = fieldPathsOf(INSPECT_NETWORK_FIELDS, { name: 'Name' });
const readNetworkFields = tableReader(INSPECT_NETWORK_FIELDS);

function networkFromInspect(n: Record<string, unknown>, index: number): NetworkSpec {
  const name = str(get(n, 'Name'));
  const source: SourceInfo = {
    kind: 'inspect',
    name: typeof name === 'string' && name !== '' ? name : `network[${index}]`,
    type: 'docker:network',
    fieldPaths: NETWORK_PATHS,
  };
  const spec = newNetworkSpec(source, name ?? UNKNOWN);
  readNetworkFields(spec, n);
  return spec;
}
