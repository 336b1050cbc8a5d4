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
  type SourceInfo,
  type UlimitSpec,
} from '../model/spec.js';
import { isUnknown, UNKNOWN, type Val } from '../model/value.js';
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

const CONTAINER_PATHS: Readonly<Record<string, string>> = Object.freeze({
  image: 'Config.Image',
  user: 'Config.User',
  groupAdd: 'HostConfig.GroupAdd',
  privileged: 'HostConfig.Privileged',
  capAdd: 'HostConfig.CapAdd',
  capDrop: 'HostConfig.CapDrop',
  securityOpt: 'HostConfig.SecurityOpt',
  readOnlyRootfs: 'HostConfig.ReadonlyRootfs',
  tmpfs: 'HostConfig.Tmpfs',
  mounts: 'Mounts',
  networkMode: 'HostConfig.NetworkMode',
  networks: 'NetworkSettings.Networks',
  pidMode: 'HostConfig.PidMode',
  ipcMode: 'HostConfig.IpcMode',
  utsMode: 'HostConfig.UTSMode',
  usernsMode: 'HostConfig.UsernsMode',
  cgroupnsMode: 'HostConfig.CgroupnsMode',
  cgroupParent: 'HostConfig.CgroupParent',
  memory: 'HostConfig.Memory',
  memorySwap: 'HostConfig.MemorySwap',
  nanoCpus: 'HostConfig.NanoCpus',
  cpuQuota: 'HostConfig.CpuQuota',
  cpuPeriod: 'HostConfig.CpuPeriod',
  cpuShares: 'HostConfig.CpuShares',
  pidsLimit: 'HostConfig.PidsLimit',
  devices: 'HostConfig.Devices',
  deviceCgroupRules: 'HostConfig.DeviceCgroupRules',
  gpus: 'HostConfig.DeviceRequests',
  ports: 'HostConfig.PortBindings',
  publishAllPorts: 'HostConfig.PublishAllPorts',
  healthcheck: 'Config.Healthcheck',
  restart: 'HostConfig.RestartPolicy',
  sysctls: 'HostConfig.Sysctls',
  ulimits: 'HostConfig.Ulimits',
  env: 'Config.Env',
  logDriver: 'HostConfig.LogConfig.Type',
  logOpts: 'HostConfig.LogConfig.Config',
  init: 'HostConfig.Init',
  runtime: 'HostConfig.Runtime',
  labels: 'Config.Labels',
  hostname: 'Config.Hostname',
  command: 'Config.Cmd',
  links: `Config.Labels`,
  ingress: `Config.Labels`,
});

const NETWORK_PATHS: Readonly<Record<string, string>> = Object.freeze({
  name: 'Name',
  driver: 'Driver',
  internal: 'Internal',
  attachable: 'Attachable',
  ipv6: 'EnableIPv6',
  options: 'Options',
  labels: 'Labels',
});

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
  const h = hc === undefined || isUnknown(hc) ? undefined : hc;
  const config = cfg === undefined || isUnknown(cfg) ? undefined : cfg;

  if (config) {
    put(spec, 'image', str(get(config, 'Image')));
    const user = str(get(config, 'User'));
    // The engine already merged the image's USER: empty means the container runs as root.
    spec.user = user === '' ? '0' : (user ?? '0');
    const hcheck = obj(get(config, 'Healthcheck'));
    if (hcheck !== undefined) {
      if (isUnknown(hcheck)) spec.healthcheck = UNKNOWN;
      else {
        const test = strList(get(hcheck, 'Test'));
        const hs: HealthcheckSpec = {};
        put(hs, 'test', test);
        if (test !== undefined && !isUnknown(test) && test[0] === 'NONE') hs.disabled = true;
        spec.healthcheck = hs;
      }
    }
    put(
      spec,
      'env',
      list(get(config, 'Env'), (raw, s, i) => envEntry(raw, s, `Config.Env[${i}]`, PLAIN)),
    );
    put(spec, 'labels', secretMap(get(config, 'Labels')));
    put(spec, 'hostname', str(get(config, 'Hostname')));
    put(spec, 'command', strList(get(config, 'Cmd')));
  } else {
    spec.user = UNKNOWN;
  }

  if (h) {
    put(spec, 'groupAdd', strList(get(h, 'GroupAdd')));
    put(spec, 'privileged', bool(get(h, 'Privileged')));
    put(spec, 'capAdd', strList(get(h, 'CapAdd')));
    put(spec, 'capDrop', strList(get(h, 'CapDrop')));
    put(spec, 'readOnlyRootfs', bool(get(h, 'ReadonlyRootfs')));
    put(spec, 'tmpfs', strMap(get(h, 'Tmpfs')));
    put(spec, 'networkMode', str(get(h, 'NetworkMode')));
    put(spec, 'pidMode', nonEmpty(str(get(h, 'PidMode'))));
    put(spec, 'ipcMode', nonEmpty(str(get(h, 'IpcMode'))));
    put(spec, 'utsMode', nonEmpty(str(get(h, 'UTSMode'))));
    put(spec, 'usernsMode', nonEmpty(str(get(h, 'UsernsMode'))));
    put(spec, 'cgroupnsMode', nonEmpty(str(get(h, 'CgroupnsMode'))));
    put(spec, 'cgroupParent', nonEmpty(str(get(h, 'CgroupParent'))));
    put(spec, 'memory', setNum(get(h, 'Memory')));
    put(spec, 'memorySwap', setNum(get(h, 'MemorySwap')));
    put(spec, 'nanoCpus', setNum(get(h, 'NanoCpus')));
    put(spec, 'cpuQuota', setNum(get(h, 'CpuQuota')));
    put(spec, 'cpuPeriod', setNum(get(h, 'CpuPeriod')));
    put(spec, 'cpuShares', setNum(get(h, 'CpuShares')));
    put(spec, 'pidsLimit', setNum(get(h, 'PidsLimit')));
    put(spec, 'devices', devices(get(h, 'Devices')));
    put(spec, 'deviceCgroupRules', strList(get(h, 'DeviceCgroupRules')));
    put(spec, 'gpus', gpus(get(h, 'DeviceRequests')));
    put(spec, 'ports', ports(get(h, 'PortBindings')));
    put(spec, 'publishAllPorts', bool(get(h, 'PublishAllPorts')));
    const rp = obj(get(h, 'RestartPolicy'));
    if (rp !== undefined) {
      if (isUnknown(rp)) spec.restart = UNKNOWN;
      else {
        const policy = str(get(rp, 'Name'));
        spec.restart = { policy: policy === '' || policy === undefined ? 'no' : policy };
        put(spec.restart, 'maxRetries', num(get(rp, 'MaximumRetryCount')));
      }
    }
    put(spec, 'sysctls', strMap(get(h, 'Sysctls')));
    put(spec, 'ulimits', ulimits(get(h, 'Ulimits')));
    const log = obj(get(h, 'LogConfig'));
    if (log !== undefined && isUnknown(log)) {
      spec.logDriver = UNKNOWN;
      spec.logOpts = UNKNOWN;
    } else if (log !== undefined) {
      put(spec, 'logDriver', str(get(log, 'Type')));
      put(spec, 'logOpts', strMap(get(log, 'Config')));
    }
    put(spec, 'init', bool(get(h, 'Init')));
    put(spec, 'runtime', str(get(h, 'Runtime')));
    spec.securityOpt = securityOpts(c, h);
  } else {
    spec.privileged = UNKNOWN;
    spec.securityOpt = UNKNOWN;
    spec.capDrop = UNKNOWN;
  }

  put(spec, 'mounts', mounts(get(c, 'Mounts')));
  put(spec, 'networks', networks(get(c, 'NetworkSettings')));
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
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

function devices(raw: unknown): Val<DeviceSpec[]> | undefined {
  return list(raw, (el, _s, i) => {
    const origin = `HostConfig.Devices[${i}]`;
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
function ports(raw: unknown): Val<PortSpec[]> | undefined {
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
        origin: `HostConfig.PortBindings.${key}`,
      });
      continue;
    }
    bindings.forEach((b: unknown, i) => {
      const origin = `HostConfig.PortBindings.${key}[${i}]`;
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

function ulimits(raw: unknown): Val<UlimitSpec[]> | undefined {
  const l = list(raw, (el, _s, i) => {
    const origin = `HostConfig.Ulimits[${i}]`;
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

function mounts(raw: unknown): Val<MountSpec[]> | undefined {
  return list(raw, (el, _s, i) => {
    const origin = `Mounts[${i}]`;
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
function networks(raw: unknown): Val<NetworkAttachmentSpec[]> | undefined {
  const ns = obj(raw);
  if (ns === undefined) return undefined;
  if (isUnknown(ns)) return UNKNOWN;
  const nets = obj(get(ns, 'Networks'));
  if (nets === undefined || isUnknown(nets)) return nets;
  return Object.keys(nets)
    .sort()
    .map((name) => {
      const n: NetworkAttachmentSpec = { name, origin: `NetworkSettings.Networks.${name}` };
      const ep = obj(get(nets, name));
      if (ep !== undefined && !isUnknown(ep)) put(n, 'aliases', strList(get(ep, 'Aliases')));
      return n;
    });
}

function networkFromInspect(n: Record<string, unknown>, index: number): NetworkSpec {
  const name = str(get(n, 'Name'));
  const source: SourceInfo = {
    kind: 'inspect',
    name: typeof name === 'string' && name !== '' ? name : `network[${index}]`,
    type: 'docker:network',
    fieldPaths: NETWORK_PATHS,
  };
  const spec = newNetworkSpec(source, name ?? UNKNOWN);
  put(spec, 'driver', str(get(n, 'Driver')));
  put(spec, 'internal', bool(get(n, 'Internal')));
  put(spec, 'attachable', bool(get(n, 'Attachable')));
  put(spec, 'ipv6', bool(get(n, 'EnableIPv6')));
  put(spec, 'options', strMap(get(n, 'Options')));
  put(spec, 'labels', secretMap(get(n, 'Labels')));
  return spec;
}
