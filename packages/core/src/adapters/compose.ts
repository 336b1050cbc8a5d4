/**
 * docker compose files (v2 and v3 formats, the Compose Specification) → {@link ResourceSet}.
 * Every field path gets a line and column, so every finding points at a line. The loader
 * (`compose/load.ts`) applies interpolation, `include:` and `extends` first; a service's
 * `env_file` is not read (a warning says so).
 */
import { InputError } from '../engine/exemptions.js';
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
import { type ComposeLoadOptions, loadCompose } from './compose/load.js';
import { collectLocations, toPlain } from './compose/tree.js';
import { isObject as isPlainObject, linksFromLabels, put, setKey, unknownNetwork } from './read.js';

export type { ComposeLoadOptions } from './compose/load.js';
export { COMPOSE_MAX_ALIAS_NODES, COMPOSE_MAX_BYTES } from './compose/tree.js';

/** A mapping of settings; an unknown value (an unset variable) is not one. */
const isObject = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && !isUnknown(v);

import { cpusToNano, sizeToBytes } from './units.js';

/**
 * Parses a compose file and converts its services and networks, as Docker Compose reads it:
 * interpolation, `include:` and `extends` first (see `compose/load.ts`), then each service.
 * @param text the file's content
 * @param file the file's path, used in locations and errors, and to find `.env`, included and
 *   extended files (read through `options.readFile`)
 * @param options variables, env files and file access; without them every `${VAR}` without a
 *   default is unknown and other files are not read
 * @throws {@link InputError} naming the file, line and column when the text is not YAML, is too
 *   large, its aliases expand too much, a required variable is unset, an include or extends is
 *   wrong (missing, cyclic, conflicting), or it is not a compose file (no `services:` mapping, a
 *   service that is not a mapping). Settings of the wrong type do not throw: they become unknown.
 */
export function fromCompose(text: string, file: string, options: ComposeLoadOptions = {}): ResourceSet {
  if (typeof text !== 'string')
    throw new InputError(`${file}: expected the text of a compose file`, ['(root)']);
  const { root } = loadCompose(text, file, options);
  const servicesEntry = root.entries.get('services');
  const servicesNode = servicesEntry?.value;
  if (servicesNode?.kind !== 'map') {
    // loadCompose has refused a main file without a `services:` mapping.
    throw new InputError(`${file}: no top-level \`services:\` mapping`, ['services']);
  }

  const out: ResourceSet = { containers: [], networks: [] };
  // Where the implicit `default` network comes from: the first service that joins it.
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
    const locations = new Map<string, Location>();
    const reasons = new Map<string, string>();
    locations.set(path, entry.keyLoc);
    collectLocations(node, path, locations, reasons);
    warnIgnored(isObject(svc) ? svc : {}, path, entry.keyLoc, options.warn);
    const spec = service(name, isObject(svc) ? svc : {}, entry.keyLoc, locations);
    if (reasons.size > 0) spec.source.unknownReasons = reasons;
    const profiles = isObject(svc) ? svc.profiles : undefined;
    if (Array.isArray(profiles) && profiles.length > 0) {
      spec.source.profiles = profiles.map((p) => (typeof p === 'string' ? p : '?'));
    }
    if (
      defaultAt === undefined &&
      Array.isArray(spec.networks) &&
      spec.networks.some((n) => n.name === 'default')
    ) {
      defaultAt = spec.source.location;
    }
    out.containers.push(spec);
  }

  const netsEntry = root.entries.get('networks');
  let definesDefault = false;
  if (netsEntry?.value.kind === 'map') {
    for (const [name, entry] of netsEntry.value.entries) {
      if (name === 'default') definesDefault = true;
      const locations = new Map<string, Location>();
      const reasons = new Map<string, string>();
      locations.set(`networks.${name}`, entry.keyLoc);
      collectLocations(entry.value, `networks.${name}`, locations, reasons);
      const spec = network(name, toPlain(entry.value), entry.keyLoc, locations);
      if (reasons.size > 0) spec.source.unknownReasons = reasons;
      out.networks.push(spec);
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
    settings: svc,
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
