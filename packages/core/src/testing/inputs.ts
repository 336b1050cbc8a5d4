/**
 * The rule test kit's writers: one normalized {@link ContainerSpec} or {@link NetworkSpec} written
 * back as each input kind a user gives Bulkhead (a compose service, Pulumi `ContainerArgs`,
 * `docker inspect` output), so that the kit can read it again through the real adapter and check
 * that a rule reaches the same verdict whatever the input. A field that has no representation in
 * an input kind is reported, never dropped in silence: the kit turns it into a declared skip.
 */

import { PULUMI_TYPES, type PulumiResourceInput } from '../adapters/pulumi.js';
import { UNKNOWN_SENTINEL as PULUMI_UNKNOWN, SECRET_SIG, SIG_KEY } from '../adapters/read.js';
import type { ContainerSpec, MountSpec, NetworkSpec, ResourceSet } from '../model/spec.js';
import { isSecret, isUnknown, reveal } from '../model/value.js';

/** The input kinds the kit writes a case as. */
export const INPUT_KINDS = ['compose', 'pulumi', 'inspect'] as const;
/** An input kind the kit writes a case as. */
export type KitInputKind = (typeof INPUT_KINDS)[number];

/** A spec written as one input kind, with the fields it could not carry and why. */
export interface Written {
  /** The input as the user would give it (a compose file's text, Pulumi args, inspect JSON). */
  input: unknown;
  /** Spec field → why this input kind cannot represent its value. */
  unrepresentable: Record<string, string>;
}

/** Thrown by a writer for a value one input kind cannot hold. */
class Unrepresentable extends Error {}

/** A compose variable the kit never sets: `${…}` of it reads as an unset variable (unknown). */
export const COMPOSE_UNSET = 'BULKHEAD_TESTKIT_UNSET';

type Writer = (v: unknown) => unknown;

/** Writes leaves: unknowns and secrets the way each input kind carries them. */
function leaf(kind: KitInputKind): Writer {
  return (v) => {
    if (isUnknown(v)) {
      if (kind === 'pulumi') return PULUMI_UNKNOWN;
      if (kind === 'compose') return `\${${COMPOSE_UNSET}}`;
      throw new Unrepresentable('a live container reports every value: nothing is unknown');
    }
    if (isSecret(v)) return kind === 'pulumi' ? { [SIG_KEY]: SECRET_SIG, value: reveal(v) } : reveal(v);
    return v;
  };
}

/** Maps a known list (or an unknown one) item by item. */
function each<T>(v: unknown, w: Writer, item: (x: T) => unknown): unknown {
  return isUnknown(v) ? w(v) : (v as T[]).map((x) => (isUnknown(x) ? w(x) : item(x)));
}

/** Maps a known record's values. */
function values(v: unknown, w: Writer): unknown {
  if (isUnknown(v)) return w(v);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, w(x)]));
}

const none = (kind: string, what: string) => {
  throw new Unrepresentable(`${kind} has no ${what}`);
};

/** Spec field → how to set it on a compose service (mutating `svc`). */
const COMPOSE: Record<string, (svc: Record<string, unknown>, v: unknown, w: Writer) => void> = {
  image: (s, v, w) => (s.image = w(v)),
  user: (s, v, w) => (s.user = w(v)),
  groupAdd: (s, v, w) => (s.group_add = each(v, w, w)),
  privileged: (s, v, w) => (s.privileged = w(v)),
  capAdd: (s, v, w) => (s.cap_add = each(v, w, w)),
  capDrop: (s, v, w) => (s.cap_drop = each(v, w, w)),
  securityOpt: (s, v, w) => (s.security_opt = each(v, w, w)),
  readOnlyRootfs: (s, v, w) => (s.read_only = w(v)),
  tmpfs: (s, v, w) =>
    (s.tmpfs = isUnknown(v)
      ? w(v)
      : Object.entries(v as Record<string, unknown>).map(([k, o]) =>
          isUnknown(o) ? none('compose', 'unknown options of one tmpfs entry') : o === '' ? k : `${k}:${o}`,
        )),
  mounts: (s, v, w) =>
    (s.volumes = each<MountSpec>(v, w, (m) => {
      const out: Record<string, unknown> = { type: w(m.type), target: w(m.target) };
      if (m.source !== undefined) out.source = w(m.source);
      if (m.readOnly !== undefined) out.read_only = w(m.readOnly);
      if (m.propagation !== undefined) out.bind = { propagation: w(m.propagation) };
      return out;
    })),
  networkMode: (s, v, w) => (s.network_mode = w(v)),
  networks: (s, v, w) =>
    (s.networks = each<{ name: unknown }>(v, w, (n) =>
      isUnknown(n.name) ? none('compose', 'unknown network key') : n.name,
    )),
  pidMode: (s, v, w) => (s.pid = w(v)),
  ipcMode: (s, v, w) => (s.ipc = w(v)),
  utsMode: (s, v, w) => (s.uts = w(v)),
  usernsMode: (s, v, w) => (s.userns_mode = w(v)),
  cgroupnsMode: (s, v, w) => (s.cgroup = w(v)),
  cgroupParent: (s, v, w) => (s.cgroup_parent = w(v)),
  memory: (s, v, w) => (s.mem_limit = w(v)),
  memorySwap: (s, v, w) => (s.memswap_limit = w(v)),
  nanoCpus: (s, v, w) => (s.cpus = isUnknown(v) ? w(v) : (v as number) / 1e9),
  cpuQuota: (s, v, w) => (s.cpu_quota = w(v)),
  cpuPeriod: (s, v, w) => (s.cpu_period = w(v)),
  cpuShares: (s, v, w) => (s.cpu_shares = w(v)),
  pidsLimit: (s, v, w) => (s.pids_limit = w(v)),
  devices: (s, v, w) =>
    (s.devices = each<{ hostPath: unknown; containerPath?: unknown; permissions?: unknown }>(v, w, (d) =>
      [d.hostPath, d.containerPath ?? d.hostPath, d.permissions]
        .filter((x) => x !== undefined)
        .map((x) => (isUnknown(x) ? none('compose', 'unknown part of a device string') : x))
        .join(':'),
    )),
  deviceCgroupRules: (s, v, w) => (s.device_cgroup_rules = each(v, w, w)),
  gpus: (s, v, w) => (s.gpus = w(v)),
  ports: (s, v, w) =>
    (s.ports = each<Record<string, unknown>>(v, w, (p) => {
      const out: Record<string, unknown> = { target: w(p.containerPort) };
      if (p.hostPort !== undefined) out.published = w(p.hostPort);
      if (p.hostIp !== undefined) out.host_ip = w(p.hostIp);
      if (p.protocol !== undefined) out.protocol = w(p.protocol);
      return out;
    })),
  healthcheck: (s, v, w) => {
    if (isUnknown(v)) s.healthcheck = w(v);
    else {
      const h = v as { test?: unknown; disabled?: unknown };
      s.healthcheck = {
        ...(h.test !== undefined ? { test: each(h.test, w, w) } : {}),
        ...(h.disabled === true ? { disable: true } : {}),
      };
    }
  },
  restart: (s, v, w) => {
    if (isUnknown(v)) s.restart = w(v);
    else {
      const r = v as { policy: unknown; maxRetries?: unknown };
      if (isUnknown(r.policy) || isUnknown(r.maxRetries)) none('compose', 'unknown part of `restart:`');
      s.restart = r.maxRetries === undefined ? r.policy : `${r.policy}:${r.maxRetries}`;
    }
  },
  sysctls: (s, v, w) => (s.sysctls = values(v, w)),
  ulimits: (s, v, w) =>
    (s.ulimits = isUnknown(v)
      ? w(v)
      : Object.fromEntries(
          (v as { name: unknown; soft: unknown; hard: unknown }[]).map((u) => {
            if (isUnknown(u) || isUnknown(u.name)) none('compose', 'an unknown ulimit name');
            return [u.name as string, { soft: w(u.soft), hard: w(u.hard) }];
          }),
        )),
  env: (s, v, w) =>
    (s.environment = isUnknown(v)
      ? w(v)
      : Object.fromEntries(
          (v as { name: unknown; value?: unknown }[]).map((e) => {
            if (isUnknown(e) || isUnknown(e.name)) none('compose', 'an unknown variable name');
            return [e.name as string, e.value === undefined ? null : w(e.value)];
          }),
        )),
  logDriver: (s, v, w) => ((s.logging as Record<string, unknown>).driver = w(v)),
  logOpts: (s, v, w) => ((s.logging as Record<string, unknown>).options = values(v, w)),
  init: (s, v, w) => (s.init = w(v)),
  runtime: (s, v, w) => (s.runtime = w(v)),
  labels: (s, v, w) => (s.labels = values(v, w)),
  hostname: (s, v, w) => (s.hostname = w(v)),
  command: (s, v, w) => (s.command = each(v, w, w)),
  links: () => none('compose', 'links field of its own (it comes from depends_on, links and labels)'),
  ingress: () => none('compose', 'ingress field of its own (it comes from the dev.bulkhead.role label)'),
  imageDigestFrom: () => none('compose', 'image-producing resource (only Pulumi dependencies set it)'),
  learnedSeccomp: () => none('compose', 'learned seccomp profile (only `--learned-profile` sets it)'),
  publishAllPorts: () => none('compose', 'publish-all-ports setting'),
};

/** Spec field → how to set it on Pulumi `ContainerArgs`. */
const PULUMI: Record<string, (a: Record<string, unknown>, v: unknown, w: Writer) => void> = {
  image: (a, v, w) => (a.image = w(v)),
  user: (a, v, w) => (a.user = w(v)),
  groupAdd: (a, v, w) => (a.groupAdds = each(v, w, w)),
  privileged: (a, v, w) => (a.privileged = w(v)),
  capAdd: (a, v, w) => ((a.capabilities as Record<string, unknown>).adds = each(v, w, w)),
  capDrop: (a, v, w) => ((a.capabilities as Record<string, unknown>).drops = each(v, w, w)),
  securityOpt: (a, v, w) => (a.securityOpts = each(v, w, w)),
  readOnlyRootfs: (a, v, w) => (a.readOnly = w(v)),
  tmpfs: (a, v, w) => (a.tmpfs = values(v, w)),
  mounts: (a, v, w) =>
    (a.mounts = each<MountSpec>(v, w, (m) => {
      const out: Record<string, unknown> = { type: w(m.type), target: w(m.target) };
      if (m.source !== undefined) out.source = w(m.source);
      if (m.readOnly !== undefined) out.readOnly = w(m.readOnly);
      if (m.propagation !== undefined) out.bindOptions = { propagation: w(m.propagation) };
      return out;
    })),
  networkMode: (a, v, w) => (a.networkMode = w(v)),
  networks: (a, v, w) => (a.networksAdvanced = each<{ name: unknown }>(v, w, (n) => ({ name: w(n.name) }))),
  pidMode: (a, v, w) => (a.pidMode = w(v)),
  ipcMode: (a, v, w) => (a.ipcMode = w(v)),
  utsMode: () => none('Pulumi `docker.Container`', 'UTS namespace input'),
  usernsMode: (a, v, w) => (a.usernsMode = w(v)),
  cgroupnsMode: (a, v, w) => (a.cgroupnsMode = w(v)),
  cgroupParent: (a, v, w) => (a.cgroupParent = w(v)),
  memory: (a, v, w) => (a.memory = isUnknown(v) ? w(v) : mb(v as number)),
  memorySwap: (a, v, w) => (a.memorySwap = isUnknown(v) ? w(v) : mb(v as number)),
  nanoCpus: (a, v, w) => (a.cpus = isUnknown(v) ? w(v) : String((v as number) / 1e9)),
  cpuQuota: (a, v, w) => (a.cpuQuota = w(v)),
  cpuPeriod: (a, v, w) => (a.cpuPeriod = w(v)),
  cpuShares: (a, v, w) => (a.cpuShares = w(v)),
  pidsLimit: () => none('Pulumi `docker.Container`', 'pids limit input'),
  devices: (a, v, w) =>
    (a.devices = each<Record<string, unknown>>(v, w, (d) =>
      Object.fromEntries(
        Object.entries(d)
          .filter(([k]) => k !== 'origin')
          .map(([k, x]) => [k, w(x)]),
      ),
    )),
  deviceCgroupRules: (a, v, w) => (a.deviceCgroupRules = each(v, w, w)),
  gpus: (a, v, w) => (a.gpus = w(v)),
  ports: (a, v, w) =>
    (a.ports = each<Record<string, unknown>>(v, w, (p) => {
      const out: Record<string, unknown> = { internal: w(p.containerPort) };
      if (p.hostPort !== undefined) out.external = w(p.hostPort);
      if (p.hostIp !== undefined) out.ip = w(p.hostIp);
      if (p.protocol !== undefined) out.protocol = w(p.protocol);
      return out;
    })),
  publishAllPorts: (a, v, w) => (a.publishAllPorts = w(v)),
  healthcheck: (a, v, w) => {
    if (isUnknown(v)) a.healthcheck = w(v);
    else {
      const h = v as { test?: unknown; disabled?: unknown };
      a.healthcheck = h.test !== undefined ? { tests: each(h.test, w, w) } : {};
    }
  },
  restart: (a, v, w) => {
    if (isUnknown(v)) a.restart = w(v);
    else {
      const r = v as { policy: unknown; maxRetries?: unknown };
      a.restart = w(r.policy);
      if (r.maxRetries !== undefined) a.maxRetryCount = w(r.maxRetries);
    }
  },
  sysctls: (a, v, w) => (a.sysctls = values(v, w)),
  ulimits: (a, v, w) =>
    (a.ulimits = each<Record<string, unknown>>(v, w, (u) => ({
      name: w(u.name),
      soft: w(u.soft),
      hard: w(u.hard),
    }))),
  env: (a, v, w) =>
    (a.envs = each<{ name: unknown; value?: unknown }>(v, w, (e) => {
      if (isUnknown(e.name) || isUnknown(e.value))
        none('Pulumi `envs`', 'unknown half of one `KEY=VALUE` string');
      if (e.value === undefined) return e.name;
      const text = `${e.name}=${isSecret(e.value) ? reveal(e.value) : e.value}`;
      return isSecret(e.value) ? { [SIG_KEY]: SECRET_SIG, value: text } : text;
    })),
  logDriver: (a, v, w) => (a.logDriver = w(v)),
  logOpts: (a, v, w) => (a.logOpts = values(v, w)),
  init: (a, v, w) => (a.init = w(v)),
  runtime: (a, v, w) => (a.runtime = w(v)),
  labels: (a, v, w) =>
    (a.labels = isUnknown(v)
      ? w(v)
      : Object.entries(v as Record<string, unknown>).map(([label, value]) => ({ label, value: w(value) }))),
  hostname: (a, v, w) => (a.hostname = w(v)),
  command: (a, v, w) => (a.command = each(v, w, w)),
  links: () => none('Pulumi `ContainerArgs`', 'links input (they come from dependencies and labels)'),
  ingress: () => none('Pulumi `ContainerArgs`', 'ingress input (it comes from the dev.bulkhead.role label)'),
  imageDigestFrom: () =>
    none('Pulumi `ContainerArgs`', 'image-producing resource (it comes from dependencies)'),
  learnedSeccomp: () => none('Pulumi `ContainerArgs`', 'learned seccomp profile'),
};

const mb = (bytes: number) => bytes / (1024 * 1024);

/** Spec field → how to set it on `docker inspect` output (`{Config, HostConfig, Mounts…}`). */
const INSPECT: Record<string, (c: Inspect, v: unknown, w: Writer) => void> = {
  image: (c, v, w) => (c.Config.Image = w(v)),
  user: (c, v, w) => (c.Config.User = w(v)),
  groupAdd: (c, v, w) => (c.HostConfig.GroupAdd = each(v, w, w)),
  privileged: (c, v, w) => (c.HostConfig.Privileged = w(v)),
  capAdd: (c, v, w) => (c.HostConfig.CapAdd = each(v, w, w)),
  capDrop: (c, v, w) => (c.HostConfig.CapDrop = each(v, w, w)),
  securityOpt: (c, v, w) => (c.HostConfig.SecurityOpt = each(v, w, w)),
  readOnlyRootfs: (c, v, w) => (c.HostConfig.ReadonlyRootfs = w(v)),
  tmpfs: (c, v, w) => (c.HostConfig.Tmpfs = values(v, w)),
  mounts: (c, v, w) =>
    (c.Mounts = each<MountSpec>(v, w, (m) => ({
      Type: w(m.type),
      ...(m.source !== undefined ? { Source: w(m.source) } : {}),
      Destination: w(m.target),
      RW: m.readOnly === undefined ? true : !w(m.readOnly),
      ...(m.propagation !== undefined ? { Propagation: w(m.propagation) } : {}),
    }))),
  networkMode: (c, v, w) => (c.HostConfig.NetworkMode = w(v)),
  networks: (c, v, w) =>
    (c.NetworkSettings.Networks = isUnknown(v)
      ? w(v)
      : Object.fromEntries((v as { name: unknown }[]).map((n) => [w(n.name) as string, {}]))),
  pidMode: (c, v, w) => (c.HostConfig.PidMode = w(v)),
  ipcMode: (c, v, w) => (c.HostConfig.IpcMode = w(v)),
  utsMode: (c, v, w) => (c.HostConfig.UTSMode = w(v)),
  usernsMode: (c, v, w) => (c.HostConfig.UsernsMode = w(v)),
  cgroupnsMode: (c, v, w) => (c.HostConfig.CgroupnsMode = w(v)),
  cgroupParent: (c, v, w) => (c.HostConfig.CgroupParent = w(v)),
  memory: (c, v, w) => (c.HostConfig.Memory = w(v)),
  memorySwap: (c, v, w) => (c.HostConfig.MemorySwap = w(v)),
  nanoCpus: (c, v, w) => (c.HostConfig.NanoCpus = w(v)),
  cpuQuota: (c, v, w) => (c.HostConfig.CpuQuota = w(v)),
  cpuPeriod: (c, v, w) => (c.HostConfig.CpuPeriod = w(v)),
  cpuShares: (c, v, w) => (c.HostConfig.CpuShares = w(v)),
  pidsLimit: (c, v, w) => (c.HostConfig.PidsLimit = w(v)),
  devices: (c, v, w) =>
    (c.HostConfig.Devices = each<Record<string, unknown>>(v, w, (d) => ({
      PathOnHost: w(d.hostPath),
      PathInContainer: w(d.containerPath ?? d.hostPath),
      CgroupPermissions: w(d.permissions ?? 'rwm'),
    }))),
  deviceCgroupRules: (c, v, w) => (c.HostConfig.DeviceCgroupRules = each(v, w, w)),
  gpus: (c, v) =>
    (c.HostConfig.DeviceRequests =
      v === 'all'
        ? [{ Driver: '', Count: -1, Capabilities: [['gpu']] }]
        : none('this writer', `gpus other than all`)),
  ports: (c, v, w) => {
    const out: Record<string, unknown[]> = {};
    for (const p of v as Record<string, unknown>[]) {
      const key = `${w(p.containerPort)}/${p.protocol ?? 'tcp'}`;
      out[key] = out[key] ?? [];
      out[key].push({
        HostIp: p.hostIp === undefined ? '' : w(p.hostIp),
        HostPort: p.hostPort === undefined ? '' : String(w(p.hostPort)),
      });
    }
    c.HostConfig.PortBindings = out;
  },
  publishAllPorts: (c, v, w) => (c.HostConfig.PublishAllPorts = w(v)),
  healthcheck: (c, v, w) => {
    const h = v as { test?: unknown; disabled?: unknown };
    c.Config.Healthcheck = { Test: h.disabled === true ? ['NONE'] : each(h.test, w, w) };
  },
  restart: (c, v, w) => {
    const r = v as { policy: unknown; maxRetries?: unknown };
    c.HostConfig.RestartPolicy = { Name: w(r.policy), MaximumRetryCount: w(r.maxRetries ?? 0) };
  },
  sysctls: (c, v, w) => (c.HostConfig.Sysctls = values(v, w)),
  ulimits: (c, v, w) =>
    (c.HostConfig.Ulimits = each<Record<string, unknown>>(v, w, (u) => ({
      Name: w(u.name),
      Soft: w(u.soft),
      Hard: w(u.hard),
    }))),
  env: (c, v, w) =>
    (c.Config.Env = each<{ name: unknown; value?: unknown }>(v, w, (e) =>
      e.value === undefined ? e.name : `${e.name}=${w(e.value)}`,
    )),
  logDriver: (c, v, w) => ((c.HostConfig.LogConfig as Record<string, unknown>).Type = w(v)),
  logOpts: (c, v, w) => ((c.HostConfig.LogConfig as Record<string, unknown>).Config = values(v, w)),
  init: (c, v, w) => (c.HostConfig.Init = w(v)),
  runtime: (c, v, w) => (c.HostConfig.Runtime = w(v)),
  labels: (c, v, w) => (c.Config.Labels = values(v, w)),
  hostname: (c, v, w) => (c.Config.Hostname = w(v)),
  command: (c, v, w) => (c.Config.Cmd = each(v, w, w)),
  links: () => none('docker inspect', 'links field (they come from the dev.bulkhead.links label)'),
  ingress: () => none('docker inspect', 'ingress field (it comes from the dev.bulkhead.role label)'),
  imageDigestFrom: () => none('docker inspect', 'image-producing resource'),
  learnedSeccomp: () => none('docker inspect', 'learned seccomp profile'),
};

interface Inspect {
  Name: string;
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
  NetworkSettings: Record<string, unknown>;
  Mounts?: unknown;
}

/** Runs `set` for every field of `spec` that has a value, collecting what cannot be written. */
function writeFields(
  spec: object,
  table: Record<string, (target: never, v: unknown, w: Writer) => void>,
  target: unknown,
  kind: KitInputKind,
): Record<string, string> {
  const unrepresentable: Record<string, string> = {};
  const w = leaf(kind);
  for (const [field, v] of Object.entries(spec)) {
    if (field === 'source' || v === undefined) continue;
    const set = table[field];
    try {
      if (!set) throw new Unrepresentable(`the test kit has no ${kind} writer for \`${field}\``);
      set(target as never, v, w);
    } catch (e) {
      if (!(e instanceof Unrepresentable)) throw e;
      unrepresentable[field] = e.message;
    }
  }
  return unrepresentable;
}

/** The compose project name the kit writes; engine network names are `<project>_<key>`. */
export const KIT_PROJECT = 'kit';

/**
 * `spec` as a compose file (its text) with one service named after `spec.source.name`. Networks
 * the service names are declared at the top level, under their own names.
 */
export function writeCompose(spec: ContainerSpec, networks: readonly NetworkSpec[] = []): Written {
  return writeComposeStack({ containers: [spec], networks: [...networks] });
}

/** A resource set as one compose file: a service per container, the networks declared by name. */
export function writeComposeStack(set: ResourceSet): Written {
  const unrepresentable: Record<string, string> = {};
  const services: Record<string, unknown> = {};
  const declared: Record<string, Record<string, unknown>> = {};
  const volumes: Record<string, unknown> = {};
  for (const n of set.networks) Object.assign(declared, composeNetwork(n, unrepresentable));
  for (const spec of set.containers) {
    const svc: Record<string, unknown> = { logging: {} };
    Object.assign(unrepresentable, writeFields(spec, COMPOSE, svc, 'compose'));
    if (Object.keys(svc.logging as object).length === 0) delete svc.logging;
    if (Array.isArray(svc.networks))
      for (const key of svc.networks as string[]) declared[key] ??= { name: key };
    // Named volumes the service mounts are declared at the top level, as compose requires.
    if (Array.isArray(svc.volumes))
      for (const v of svc.volumes as Record<string, unknown>[])
        if (v.type === 'volume' && typeof v.source === 'string') volumes[v.source] = {};
    services[spec.source.name] = svc;
  }
  const doc = {
    name: KIT_PROJECT,
    services,
    ...(Object.keys(declared).length > 0 ? { networks: declared } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  return { input: JSON.stringify(doc, null, 2), unrepresentable };
}

/** A resource set as Pulumi resources (`docker.Container` and `docker.Network` inputs). */
export function writePulumiStack(set: ResourceSet): {
  input: PulumiResourceInput[];
  unrepresentable: Record<string, string>;
} {
  const unrepresentable: Record<string, string> = {};
  const input: PulumiResourceInput[] = [];
  const urn = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;
  for (const n of set.networks) {
    const w = writePulumiNetwork(n);
    Object.assign(unrepresentable, w.unrepresentable);
    const name = n.source.name;
    input.push({
      type: PULUMI_TYPES.network,
      name,
      urn: urn(PULUMI_TYPES.network, name),
      props: w.input as Record<string, unknown>,
    });
  }
  for (const c of set.containers) {
    const w = writePulumi(c);
    Object.assign(unrepresentable, w.unrepresentable);
    const name = c.source.name;
    input.push({
      type: PULUMI_TYPES.container,
      name,
      urn: urn(PULUMI_TYPES.container, name),
      props: w.input as Record<string, unknown>,
    });
  }
  return { input, unrepresentable };
}

/** A resource set as `docker inspect` output of its containers and networks. */
export function writeInspectStack(set: ResourceSet): Written {
  const unrepresentable: Record<string, string> = {};
  const out: unknown[] = [];
  for (const n of set.networks) {
    const w = writeInspectNetwork(n);
    Object.assign(unrepresentable, w.unrepresentable);
    out.push(...(w.input as unknown[]));
  }
  for (const c of set.containers) {
    const w = writeInspect(c);
    Object.assign(unrepresentable, w.unrepresentable);
    out.push(...(w.input as unknown[]));
  }
  return { input: out, unrepresentable };
}

function composeNetwork(n: NetworkSpec, unrepresentable: Record<string, string>): Record<string, unknown> {
  const w = leaf('compose');
  if (isUnknown(n.name)) {
    unrepresentable.name = 'compose has no unknown network key';
    return {};
  }
  const out: Record<string, unknown> = { name: n.name };
  if (n.driver !== undefined) out.driver = w(n.driver);
  if (n.internal !== undefined) out.internal = w(n.internal);
  if (n.attachable !== undefined) out.attachable = w(n.attachable);
  if (n.ipv6 !== undefined) out.enable_ipv6 = w(n.ipv6);
  if (n.options !== undefined) out.driver_opts = values(n.options, w);
  if (n.labels !== undefined) out.labels = values(n.labels, w);
  return { [n.name as string]: out };
}

/** `spec` as Pulumi `docker.Container` arguments. */
export function writePulumi(spec: ContainerSpec): Written {
  const args: Record<string, unknown> = { name: spec.source.name, capabilities: {} };
  const unrepresentable = writeFields(spec, PULUMI, args, 'pulumi');
  if (Object.keys(args.capabilities as object).length === 0) delete args.capabilities;
  return { input: args, unrepresentable };
}

/** `spec` as `docker inspect` output of one container (an array of one object). */
export function writeInspect(spec: ContainerSpec): Written {
  const c: Inspect = {
    Name: `/${spec.source.name}`,
    Config: {},
    HostConfig: { LogConfig: {} },
    NetworkSettings: { Networks: {} },
  };
  const unrepresentable = writeFields(spec, INSPECT, c, 'inspect');
  return { input: [c], unrepresentable };
}

/** `spec` as Pulumi `docker.Network` arguments. */
export function writePulumiNetwork(n: NetworkSpec): Written {
  const w = leaf('pulumi');
  const args: Record<string, unknown> = { name: w(n.name) };
  if (n.driver !== undefined) args.driver = w(n.driver);
  if (n.internal !== undefined) args.internal = w(n.internal);
  if (n.attachable !== undefined) args.attachable = w(n.attachable);
  if (n.ipv6 !== undefined) args.ipv6 = w(n.ipv6);
  if (n.options !== undefined) args.options = values(n.options, w);
  if (n.labels !== undefined)
    args.labels = isUnknown(n.labels)
      ? w(n.labels)
      : Object.entries(n.labels).map(([label, value]) => ({ label, value: w(value) }));
  return { input: args, unrepresentable: {} };
}

/** `spec` as `docker network inspect` output. */
export function writeInspectNetwork(n: NetworkSpec): Written {
  const unrepresentable: Record<string, string> = {};
  const w: Writer = (v) => {
    try {
      return leaf('inspect')(v);
    } catch (e) {
      if (!(e instanceof Unrepresentable)) throw e;
      unrepresentable.value = e.message;
      return undefined;
    }
  };
  const out = {
    Name: w(n.name),
    Driver: n.driver === undefined ? 'bridge' : w(n.driver),
    Scope: 'local',
    Internal: n.internal === undefined ? false : w(n.internal),
    Attachable: n.attachable === undefined ? false : w(n.attachable),
    EnableIPv6: n.ipv6 === undefined ? false : w(n.ipv6),
    Options: n.options === undefined ? {} : values(n.options, w),
    Labels: n.labels === undefined ? {} : values(n.labels, w),
  };
  return { input: [out], unrepresentable };
}

/** `spec` as a compose file declaring only this network (and no service). */
export function writeComposeNetwork(n: NetworkSpec): Written {
  const unrepresentable: Record<string, string> = {};
  const declared = composeNetwork(n, unrepresentable);
  const key = Object.keys(declared)[0];
  const services = { probe: { image: 'probe', ...(key === undefined ? {} : { networks: [key] }) } };
  return { input: JSON.stringify({ name: KIT_PROJECT, services, networks: declared }), unrepresentable };
}
