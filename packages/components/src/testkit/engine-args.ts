/**
 * Pure translation of `@pulumi/docker` resource inputs (as a mocked Pulumi program registers
 * them) into Docker Engine API requests, following what the kreuzwerker provider behind
 * `@pulumi/docker` sends. No engine is touched here: {@link deployToEngine} feeds these plans to
 * dockerode, and the unit tests check them directly.
 *
 * Untranslated container arguments (deployment fails with {@link TestkitInputError} when one is
 * set, rather than silently deploying something weaker than the program asked for):
 * - `uploads` (files copied in before start), `attach` / `logs` (wait for exit and capture logs
 *   during `pulumi up`), `gpus` and `deviceRequests` (no GPU/CDI on test engines).
 *
 * Accepted but without engine effect (they steer the provider's lifecycle, not the container):
 * - `destroyGraceSeconds` (teardown always force-removes), `removeVolumes` (teardown always
 *   removes anonymous volumes).
 *
 * Network arguments are all translated (`name`, `driver`, `internal`, `attachable`, `ingress`,
 * `ipv6`, `options`, `labels`, `ipamDriver`, `ipamOptions`, `ipamConfigs`).
 *
 * Deliberate differences from the provider:
 * - Engine names get the deployment prefix (`<prefix>-<name>`), so runs never collide.
 * - On every user-defined network a container joins, its Pulumi resource name and its `name`
 *   argument are added as network aliases, so peers can address it as the program names it.
 * - The provider creates the container on the default bridge, disconnects it and connects each
 *   `networksAdvanced` entry; the kit creates it directly on the first entry (no transient
 *   bridge attachment) and connects the rest before start. `HostConfig.NetworkMode` therefore
 *   names that first network where the provider's shows `default`.
 * @module
 */
import { isSecret, PULUMI_SECRET_SIG, PULUMI_SIG_KEY, PULUMI_TYPES, PULUMI_UNKNOWN } from '@bulkhead/core';

// import-equals, not a default import: the emitted declarations then compile for users without
// esModuleInterop (Pulumi's TypeScript template has none).
import type Dockerode = require('dockerode');

/** Type token of `docker.Container` resources. */
export const CONTAINER_TYPE = PULUMI_TYPES.container;
/** Type token of `docker.Network` resources. */
export const NETWORK_TYPE = PULUMI_TYPES.network;

/**
 * One resource as a Pulumi program registered it under mocks — structurally what
 * `runProgramUnderMocks` returns. `id` and `outputs`, when present, let container arguments
 * refer to a network by the id or name the mocks gave it.
 */
export interface DeployableResource {
  type: string;
  name: string;
  urn: string;
  parent?: string | undefined;
  inputs: Record<string, unknown>;
  id?: string | undefined;
  outputs?: Record<string, unknown> | undefined;
}

/** A resource argument the test kit cannot deploy: names the resource, the field and the fix. */
export class TestkitInputError extends Error {
  constructor(
    readonly resource: string,
    readonly field: string,
    problem: string,
    fix: string,
  ) {
    super(`${resource}: argument \`${field}\` ${problem}. ${fix}`);
    this.name = 'TestkitInputError';
  }
}

/** Container arguments the kit refuses (see the module documentation). */
export const UNSUPPORTED_CONTAINER_ARGS: readonly string[] = [
  'uploads',
  'attach',
  'logs',
  'gpus',
  'deviceRequests',
];
/** Container arguments accepted without an engine effect. */
export const LIFECYCLE_ONLY_CONTAINER_ARGS: readonly string[] = ['destroyGraceSeconds', 'removeVolumes'];

const SECRET_SIG_KEY = PULUMI_SIG_KEY;
const SECRET_SIG = PULUMI_SECRET_SIG;

function isUnknownMarker(v: unknown): boolean {
  if (v === PULUMI_UNKNOWN) return true;
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return o.__pulumiUnknown === true || o.__bulkheadUnknown === true;
}

/**
 * Plain value of a mocked input: secret wrappers (Pulumi's RPC form and core's `Secret`) are
 * unwrapped; an unknown value throws, naming the resource and the field.
 */
export function plainValue(v: unknown, resource: string, field: string): unknown {
  if (isUnknownMarker(v)) {
    throw new TestkitInputError(
      resource,
      field,
      'is unknown (a value computed during preview)',
      'A preview-only program cannot be deployed: run the program with preview off so every input is known.',
    );
  }
  if (Array.isArray(v)) return v.map((e, i) => plainValue(e, resource, `${field}[${i}]`));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG_KEY] === SECRET_SIG) return plainValue(o.value, resource, field);
  if (isSecret(v)) return v.reveal();
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(o)) out[k] = plainValue(e, resource, field ? `${field}.${k}` : k);
  return out;
}

/** Typed, path-aware reader over one resource's (already plain) inputs. */
class Reader {
  constructor(
    readonly resource: string,
    readonly obj: Record<string, unknown>,
    readonly base = '',
  ) {}

  private path(k: string): string {
    return this.base ? `${this.base}.${k}` : k;
  }

  private bad(k: string, expected: string): never {
    const got = this.obj[k];
    const kind = Array.isArray(got) ? 'a list' : got === null ? 'null' : `a ${typeof got}`;
    throw new TestkitInputError(
      this.resource,
      this.path(k),
      `must be ${expected}, got ${kind}`,
      'Pass it the way the @pulumi/docker argument type declares it.',
    );
  }

  has(k: string): boolean {
    const v = this.obj[k];
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === 'object') return Object.keys(v).length > 0;
    return true;
  }

  str(k: string): string | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.bad(k, 'a string');
    return v;
  }

  num(k: string): number | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.bad(k, 'a number');
    return v;
  }

  bool(k: string): boolean | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.bad(k, 'a boolean');
    return v;
  }

  strList(k: string): string[] | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) this.bad(k, 'a list of strings');
    return v as string[];
  }

  strMap(k: string): Record<string, string> | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((e) => typeof e !== 'string')) {
      this.bad(k, 'a map of strings');
    }
    return { ...(v as Record<string, string>) };
  }

  objList(k: string): Reader[] | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
      this.bad(k, 'a list of objects');
    }
    return (v as Record<string, unknown>[]).map(
      (e, i) => new Reader(this.resource, e, `${this.path(k)}[${i}]`),
    );
  }

  obj1(k: string): Reader | undefined {
    const v = this.obj[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.bad(k, 'an object');
    return new Reader(this.resource, v as Record<string, unknown>, this.path(k));
  }

  need<T>(k: string, v: T | undefined, expected: string): T {
    if (v === undefined) {
      throw new TestkitInputError(this.resource, this.path(k), `is required (${expected})`, 'Set it.');
    }
    return v;
  }

  fail(k: string, problem: string, fix: string): never {
    throw new TestkitInputError(this.resource, this.path(k), problem, fix);
  }
}

/** `{label, value}` list (container/network `labels`) → map. */
function labelMap(r: Reader, k: string): Record<string, string> | undefined {
  const list = r.objList(k);
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const e of list) {
    out[e.need('label', e.str('label'), 'a string')] = e.need('value', e.str('value'), 'a string');
  }
  return out;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go duration string (`1m30s`, `500ms`, `2h`) → nanoseconds, as the provider parses healthcheck
 * durations with `time.ParseDuration`. Returns undefined when the text is not a duration.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== text.length) return undefined;
  return Math.round(total);
}

const MB = 1024 * 1024;

/** Resolves names the program used for other resources to what the engine knows. */
export interface TranslateContext {
  /** Container name on the engine. */
  engineName: string;
  /** The image to run (after any override). */
  image: string;
  /** Labels added to every created object (run label etc.). */
  extraLabels: Record<string, string>;
  /** A network reference from `networksAdvanced[].name` / `networkMode` → engine network id or name. */
  resolveNetwork(ref: string): string;
  /** `container:<ref>` in pid/ipc/network modes → engine container name, when it is in the deployment. */
  resolveContainer(ref: string): string | undefined;
}

/** The requests that create and start one container. */
export interface ContainerPlan {
  /** Body of `POST /containers/create` (dockerode `createContainer` options, incl. `name`). */
  create: Dockerode.ContainerCreateOptions;
  /** Networks to connect after create and before start (beyond the one in `create`). */
  connect: { network: string; endpoint: Dockerode.EndpointSettings }[];
  /** `start` argument (default true). */
  start: boolean;
  /** `mustRun` (default true): the container must be running after start. */
  mustRun: boolean;
  /** How long to wait for the running state (`containerReadRefreshTimeoutMilliseconds`, default 15 s). */
  runningTimeoutMs: number;
  /** `wait`: wait for the health check to report healthy, up to `waitTimeout` s (default 60). */
  waitHealthyMs: number | undefined;
}

const HANDLED_CONTAINER_ARGS = new Set([
  'image',
  'name',
  'hostname',
  'domainname',
  'tty',
  'stdinOpen',
  'envs',
  'command',
  'entrypoints',
  'user',
  'ports',
  'workingDir',
  'hosts',
  'ulimits',
  'volumes',
  'labels',
  'healthcheck',
  'mounts',
  'privileged',
  'publishAllPorts',
  'restart',
  'maxRetryCount',
  'rm',
  'readOnly',
  'logDriver',
  'logOpts',
  'tmpfs',
  'capabilities',
  'devices',
  'dns',
  'dnsOpts',
  'dnsSearches',
  'securityOpts',
  'memory',
  'memorySwap',
  'memoryReservation',
  'shmSize',
  'cpuShares',
  'cpuSet',
  'cpus',
  'cpuPeriod',
  'cpuQuota',
  'networkMode',
  'networksAdvanced',
  'usernsMode',
  'pidMode',
  'ipcMode',
  'cgroupnsMode',
  'cgroupParent',
  'sysctls',
  'groupAdds',
  'init',
  'runtime',
  'stopSignal',
  'stopTimeout',
  'storageOpts',
  'deviceCgroupRules',
  'deviceReadBps',
  'deviceReadIops',
  'deviceWriteBps',
  'deviceWriteIops',
  'platform',
  'start',
  'mustRun',
  'wait',
  'waitTimeout',
  'containerReadRefreshTimeoutMilliseconds',
  ...LIFECYCLE_ONLY_CONTAINER_ARGS,
]);

function checkArgs(r: Reader, handled: Set<string>, unsupported: readonly string[]): void {
  for (const k of Object.keys(r.obj)) {
    if (handled.has(k)) continue;
    const v = r.obj[k];
    if (!r.has(k) || v === false) continue;
    if (unsupported.includes(k)) {
      r.fail(
        k,
        'is not supported by the test kit',
        'Remove it for the engine test, or deploy with the real provider (`pulumi up`).',
      );
    }
    r.fail(k, 'is not a known argument of this resource type', 'Check the spelling against @pulumi/docker.');
  }
}

function modeRef(v: string | undefined, ctx: TranslateContext): string | undefined {
  if (v === undefined || !v.startsWith('container:')) return v;
  const target = ctx.resolveContainer(v.slice('container:'.length));
  return target ? `container:${target}` : v;
}

function blkio(r: Reader, k: string): { Path: string; Rate: number }[] | undefined {
  return r.objList(k)?.map((e) => ({
    Path: e.need('path', e.str('path'), 'a string'),
    Rate: e.need('rate', e.num('rate'), 'a number'),
  }));
}

/**
 * Plan the engine requests for one `docker:index/container:Container` resource.
 * @throws TestkitInputError on an unknown value, a malformed or unsupported argument.
 */
export function planContainer(resource: DeployableResource, ctx: TranslateContext): ContainerPlan {
  const who = `container "${resource.name}"`;
  const r = new Reader(who, plainValue(resource.inputs, who, '') as Record<string, unknown>);
  checkArgs(r, HANDLED_CONTAINER_ARGS, UNSUPPORTED_CONTAINER_ARGS);
  r.need('image', r.str('image'), 'the image to run');

  const create: Dockerode.ContainerCreateOptions = { name: ctx.engineName, Image: ctx.image };
  const host: Dockerode.HostConfig = {};
  const set = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void => {
    if (v !== undefined) o[k] = v;
  };

  set(create, 'Hostname', r.str('hostname'));
  set(create, 'Domainname', r.str('domainname'));
  set(create, 'Tty', r.bool('tty'));
  set(create, 'OpenStdin', r.bool('stdinOpen'));
  set(create, 'Env', r.strList('envs'));
  const cmd = r.strList('command');
  if (cmd?.some((c) => c === ''))
    r.fail('command', 'may not contain empty strings', 'Drop the empty entries.');
  set(create, 'Cmd', cmd);
  set(create, 'Entrypoint', r.strList('entrypoints'));
  set(create, 'User', r.str('user'));
  set(create, 'WorkingDir', r.str('workingDir'));
  set(create, 'StopSignal', r.str('stopSignal'));
  set(create, 'StopTimeout', r.num('stopTimeout'));
  set(create, 'platform', r.str('platform'));
  create.Labels = { ...(labelMap(r, 'labels') ?? {}), ...ctx.extraLabels };

  const ports = r.objList('ports');
  if (ports) {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of ports) {
      const key = `${p.need('internal', p.num('internal'), 'the container port')}/${p.str('protocol') ?? 'tcp'}`;
      exposed[key] = {};
      const external = p.num('external');
      const binding = {
        HostIp: p.str('ip') ?? '0.0.0.0',
        HostPort: external === undefined ? '' : String(external),
      };
      bindings[key] = [...(bindings[key] ?? []), binding];
    }
    create.ExposedPorts = exposed;
    host.PortBindings = bindings;
  }

  const hc = r.obj1('healthcheck');
  if (hc) {
    const dur = (k: string): number | undefined => {
      const t = hc.str(k);
      if (t === undefined) return undefined;
      const ns = parseGoDuration(t);
      if (ns === undefined) hc.fail(k, 'is not a duration', 'Write it like `30s`, `500ms` or `1m30s`.');
      return ns;
    };
    const health: Dockerode.HealthConfig = {};
    set(health, 'Test', hc.strList('tests'));
    set(health, 'Interval', dur('interval'));
    set(health, 'Timeout', dur('timeout'));
    set(health, 'StartPeriod', dur('startPeriod'));
    const startInterval = dur('startInterval');
    if (startInterval !== undefined) (health as Record<string, unknown>).StartInterval = startInterval;
    set(health, 'Retries', hc.num('retries'));
    create.Healthcheck = health;
  }

  // Volumes: host path → bind, volume name → named volume, neither → anonymous volume.
  const volumes = r.objList('volumes');
  if (volumes) {
    const anon: Record<string, object> = {};
    const binds: string[] = [];
    const from: string[] = [];
    for (const v of volumes) {
      const fromContainer = v.str('fromContainer');
      if (fromContainer !== undefined) {
        from.push(ctx.resolveContainer(fromContainer) ?? fromContainer);
        continue;
      }
      const target = v.need('containerPath', v.str('containerPath'), 'the path in the container');
      const source = v.str('hostPath') ?? v.str('volumeName');
      if (source === undefined) {
        anon[target] = {};
        continue;
      }
      const opts = [v.bool('readOnly') ? 'ro' : undefined, v.str('selinuxRelabel')].filter(Boolean);
      binds.push(`${source}:${target}${opts.length ? `:${opts.join(',')}` : ''}`);
    }
    if (Object.keys(anon).length) create.Volumes = anon;
    if (binds.length) host.Binds = binds;
    if (from.length) host.VolumesFrom = from;
  }

  const mounts = r.objList('mounts');
  if (mounts) {
    host.Mounts = mounts.map((m) => {
      const type = m.need('type', m.str('type'), 'bind, volume or tmpfs');
      const out: Record<string, unknown> = {
        Type: type,
        Target: m.need('target', m.str('target'), 'the path in the container'),
      };
      const source = m.str('source');
      if (source !== undefined) out.Source = source;
      const ro = m.bool('readOnly');
      if (ro !== undefined) out.ReadOnly = ro;
      const bind = m.obj1('bindOptions');
      if (type === 'bind' && bind?.str('propagation'))
        out.BindOptions = { Propagation: bind.str('propagation') };
      const vol = m.obj1('volumeOptions');
      if (type === 'volume' && vol) {
        const vo: Record<string, unknown> = {};
        if (vol.bool('noCopy') !== undefined) vo.NoCopy = vol.bool('noCopy');
        const labels = labelMap(vol, 'labels');
        if (labels) vo.Labels = labels;
        const driver = vol.str('driverName');
        const driverOpts = vol.strMap('driverOptions');
        if (driver !== undefined || driverOpts !== undefined) {
          vo.DriverConfig = {
            ...(driver !== undefined && { Name: driver }),
            ...(driverOpts && { Options: driverOpts }),
          };
        }
        if (vol.str('subpath') !== undefined) vo.Subpath = vol.str('subpath');
        out.VolumeOptions = vo;
      }
      const tmpfs = m.obj1('tmpfsOptions');
      if (type === 'tmpfs' && tmpfs) {
        out.TmpfsOptions = {
          ...(tmpfs.num('sizeBytes') !== undefined && { SizeBytes: tmpfs.num('sizeBytes') }),
          ...(tmpfs.num('mode') !== undefined && { Mode: tmpfs.num('mode') }),
        };
      }
      return out;
    }) as unknown as Dockerode.MountConfig;
  }

  set(host, 'Privileged', r.bool('privileged'));
  set(host, 'PublishAllPorts', r.bool('publishAllPorts'));
  host.RestartPolicy = { Name: r.str('restart') ?? 'no', MaximumRetryCount: r.num('maxRetryCount') ?? 0 };
  set(host, 'AutoRemove', r.bool('rm'));
  set(host, 'ReadonlyRootfs', r.bool('readOnly'));
  host.LogConfig = { Type: r.str('logDriver') ?? 'json-file', Config: r.strMap('logOpts') ?? {} };
  set(host, 'Tmpfs', r.strMap('tmpfs'));
  const hosts = r.objList('hosts');
  if (hosts) {
    host.ExtraHosts = hosts.map(
      (h) => `${h.need('host', h.str('host'), 'a name')}:${h.need('ip', h.str('ip'), 'an IP')}`,
    );
  }
  const ulimits = r.objList('ulimits');
  if (ulimits) {
    host.Ulimits = ulimits.map((u) => ({
      Name: u.need('name', u.str('name'), 'e.g. nproc or nofile'),
      Soft: u.need('soft', u.num('soft'), 'a number'),
      Hard: u.need('hard', u.num('hard'), 'a number'),
    }));
  }
  const caps = r.obj1('capabilities');
  if (caps) {
    set(host, 'CapAdd', caps.strList('adds'));
    set(host, 'CapDrop', caps.strList('drops'));
  }
  const devices = r.objList('devices');
  if (devices) {
    host.Devices = devices.map((d) => {
      const hostPath = d.need('hostPath', d.str('hostPath'), 'the device on the host');
      return {
        PathOnHost: hostPath,
        PathInContainer: d.str('containerPath') ?? hostPath,
        CgroupPermissions: d.str('permissions') ?? 'rwm',
      };
    });
  }
  set(host, 'Dns', r.strList('dns'));
  set(host, 'DnsOptions', r.strList('dnsOpts'));
  set(host, 'DnsSearch', r.strList('dnsSearches'));
  set(host, 'SecurityOpt', r.strList('securityOpts'));

  const memory = r.num('memory');
  if (memory !== undefined && memory > 0) host.Memory = memory * MB;
  const swap = r.num('memorySwap');
  if (swap !== undefined && swap !== 0) host.MemorySwap = swap > 0 ? swap * MB : swap;
  const reservation = r.num('memoryReservation');
  if (reservation !== undefined && reservation > 0) host.MemoryReservation = reservation * MB;
  const shm = r.num('shmSize');
  if (shm !== undefined && shm > 0) host.ShmSize = shm * MB;
  set(host, 'CpuShares', r.num('cpuShares'));
  set(host, 'CpusetCpus', r.str('cpuSet'));
  const cpus = r.str('cpus');
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!Number.isFinite(n) || n <= 0)
      r.fail('cpus', 'is not a positive decimal number', 'Write it like "0.5".');
    host.NanoCpus = Math.round(n * 1e9);
  } else {
    set(host, 'CpuPeriod', r.num('cpuPeriod'));
    set(host, 'CpuQuota', r.num('cpuQuota'));
  }

  set(host, 'UsernsMode', r.str('usernsMode'));
  set(host, 'PidMode', modeRef(r.str('pidMode'), ctx));
  set(host, 'IpcMode', modeRef(r.str('ipcMode'), ctx));
  const cgroupns = r.str('cgroupnsMode');
  if (cgroupns !== undefined) (host as Record<string, unknown>).CgroupnsMode = cgroupns;
  set(host, 'CgroupParent', r.str('cgroupParent'));
  set(host, 'Sysctls', r.strMap('sysctls'));
  set(host, 'GroupAdd', r.strList('groupAdds'));
  host.Init = r.bool('init') ?? false;
  set(host, 'Runtime', r.str('runtime'));
  set(host, 'StorageOpt', r.strMap('storageOpts'));
  set(host, 'DeviceCgroupRules', r.strList('deviceCgroupRules'));
  set(host, 'BlkioDeviceReadBps', blkio(r, 'deviceReadBps'));
  set(host, 'BlkioDeviceReadIOps', blkio(r, 'deviceReadIops'));
  set(host, 'BlkioDeviceWriteBps', blkio(r, 'deviceWriteBps'));
  set(host, 'BlkioDeviceWriteIOps', blkio(r, 'deviceWriteIops'));

  // Networks.
  const aliasesFor = [resource.name, r.str('name')].filter((a): a is string => !!a);
  const networkMode = r.str('networkMode');
  const connect: ContainerPlan['connect'] = [];
  const advanced = r.objList('networksAdvanced') ?? [];
  for (const n of advanced) {
    const ref = n.need('name', n.str('name'), 'the network name or id');
    const endpoint: Dockerode.EndpointSettings = {
      Aliases: [...new Set([...(n.strList('aliases') ?? []), ...aliasesFor])],
    };
    const ipv4 = n.str('ipv4Address');
    const ipv6 = n.str('ipv6Address');
    if (ipv4 !== undefined || ipv6 !== undefined) {
      endpoint.IPAMConfig = {
        ...(ipv4 !== undefined && { IPv4Address: ipv4 }),
        ...(ipv6 !== undefined && { IPv6Address: ipv6 }),
      };
    }
    const mac = n.str('macAddress');
    if (mac !== undefined) endpoint.MacAddress = mac;
    const linkLocal = n.strList('linkLocalIps');
    if (linkLocal) endpoint.IPAMConfig = { ...endpoint.IPAMConfig, LinkLocalIPs: linkLocal };
    const driverOpts = n.strList('driverOpts');
    if (driverOpts) {
      endpoint.DriverOpts = Object.fromEntries(
        driverOpts.map((o) => [o.split('=')[0], o.split('=').slice(1).join('=')]),
      );
    }
    connect.push({ network: ctx.resolveNetwork(ref), endpoint });
  }
  if (networkMode !== undefined) {
    host.NetworkMode = networkMode.startsWith('container:')
      ? (modeRef(networkMode, ctx) as string)
      : ctx.resolveNetwork(networkMode);
  } else if (connect.length > 0) {
    const first = connect.shift() as ContainerPlan['connect'][number];
    host.NetworkMode = first.network;
    create.NetworkingConfig = { EndpointsConfig: { [first.network]: first.endpoint } };
  }

  create.HostConfig = host;
  const wait = r.bool('wait') ?? false;
  return {
    create,
    connect,
    start: r.bool('start') ?? true,
    mustRun: r.bool('mustRun') ?? true,
    runningTimeoutMs: r.num('containerReadRefreshTimeoutMilliseconds') ?? 15_000,
    waitHealthyMs: wait ? (r.num('waitTimeout') ?? 60) * 1000 : undefined,
  };
}

const HANDLED_NETWORK_ARGS = new Set([
  'name',
  'driver',
  'internal',
  'attachable',
  'ingress',
  'ipv6',
  'options',
  'labels',
  'ipamDriver',
  'ipamOptions',
  'ipamConfigs',
]);

/**
 * Plan the engine request for one `docker:index/network:Network` resource.
 * @throws TestkitInputError on an unknown value or a malformed argument.
 */
export function planNetwork(
  resource: DeployableResource,
  ctx: { engineName: string; extraLabels: Record<string, string> },
): Dockerode.NetworkCreateOptions {
  const who = `network "${resource.name}"`;
  const r = new Reader(who, plainValue(resource.inputs, who, '') as Record<string, unknown>);
  checkArgs(r, HANDLED_NETWORK_ARGS, []);
  const out: Dockerode.NetworkCreateOptions = {
    Name: ctx.engineName,
    CheckDuplicate: true,
    Driver: r.str('driver') ?? 'bridge',
    Labels: { ...(labelMap(r, 'labels') ?? {}), ...ctx.extraLabels },
  };
  const put = <K extends keyof Dockerode.NetworkCreateOptions>(
    k: K,
    v: Dockerode.NetworkCreateOptions[K] | undefined,
  ) => {
    if (v !== undefined) out[k] = v;
  };
  put('Internal', r.bool('internal'));
  put('Attachable', r.bool('attachable'));
  put('Ingress', r.bool('ingress'));
  put('EnableIPv6', r.bool('ipv6'));
  put('Options', r.strMap('options'));
  const configs = r.objList('ipamConfigs');
  const ipamDriver = r.str('ipamDriver');
  const ipamOptions = r.strMap('ipamOptions');
  if (configs || ipamDriver !== undefined || ipamOptions) {
    out.IPAM = {
      Driver: ipamDriver ?? 'default',
      ...(ipamOptions && { Options: ipamOptions }),
      Config: (configs ?? []).map((c) => {
        const e: Record<string, unknown> = {};
        if (c.str('subnet') !== undefined) e.Subnet = c.str('subnet');
        if (c.str('ipRange') !== undefined) e.IPRange = c.str('ipRange');
        if (c.str('gateway') !== undefined) e.Gateway = c.str('gateway');
        if (c.strMap('auxAddress')) e.AuxiliaryAddresses = c.strMap('auxAddress');
        return e;
      }),
    } as Dockerode.IPAM;
  }
  return out;
}
