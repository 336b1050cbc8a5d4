/**
 * `@pulumi/docker` v5 resource inputs → {@link ContainerSpec} / {@link NetworkSpec}.
 *
 * The props are the *resolved inputs* of a resource as the policy analyzer, `setMocks`, a stack
 * export or a preview sees them: secrets may be wrapped, unknowns may be sentinels or
 * `{__pulumiUnknown: true}`, and nothing is validated. Nothing here throws.
 */
import {
  type ContainerSpec,
  type DeviceSpec,
  type EnvSpec,
  type HealthcheckSpec,
  type InputKind,
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
import { isUnknown, type MaybeSecret, markSecretKeys, UNKNOWN, type Val } from '../model/value.js';
import { CONTAINER_KINDS, NETWORK_KINDS, SERVICE_KINDS, unreadableInputs } from './pulumi-kinds.js';
import {
  bool,
  envEntry,
  get,
  linksFromLabels,
  list,
  num,
  obj,
  PLAIN,
  peel,
  put,
  type ReadContext,
  SEALED,
  safeCopy,
  secretItem,
  secretMap,
  secretStr,
  setKey,
  str,
  strList,
  strMap,
  unknownNetwork,
} from './read.js';
import { cpusToNano, mbToBytes } from './units.js';

/** Type tokens of the `@pulumi/docker` resources Bulkhead reads. */
export const PULUMI_TYPES = {
  container: 'docker:index/container:Container',
  network: 'docker:index/network:Network',
  service: 'docker:index/service:Service',
} as const;

/** One Pulumi resource as an analyzer, a stack export or a preview describes it. */
export interface PulumiResourceInput {
  /** Type token, such as `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  urn?: string;
  /** URN of the parent (the component that created the resource). */
  parent?: string;
  /** Resolved inputs. */
  props: Record<string, unknown>;
  location?: Location;
  /** URNs of the resources this one depends on (`dependsOn` and every input's dependencies). */
  dependencies?: readonly string[];
  /** Input property → URNs of the resources its value came from. */
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Image resources whose digest outputs name exact content: `docker.RemoteImage` (`repoDigest`,
 * `imageId`) and `docker.Image` (`repoDigest`) always; a docker-build `Image` (`ref`, `digest`)
 * only when it pushes (`push: true`), since without a push `ref` is one of its tags.
 */
export const DIGEST_IMAGE_TYPES = {
  remoteImage: 'docker:index/remoteImage:RemoteImage',
  image: 'docker:index/image:Image',
  buildImage: 'docker-build:index:Image',
} as const;

/** The resource type in a URN (`urn:pulumi:stack::project::parent$type::name` → `type`). */
export function typeFromUrn(urn: unknown): string | undefined {
  if (typeof urn !== 'string' || !urn.startsWith('urn:pulumi:')) return undefined;
  const parts = urn.split('::');
  if (parts.length < 4) return undefined;
  const qualified = parts[2]!;
  return qualified.slice(qualified.lastIndexOf('$') + 1);
}

/** True when the resource at `urn` produces a digest-pinned image reference. */
function producesDigest(urn: string, byUrn: ReadonlyMap<string, PulumiResourceInput>): boolean {
  const type = typeFromUrn(urn);
  if (type === DIGEST_IMAGE_TYPES.remoteImage || type === DIGEST_IMAGE_TYPES.image) return true;
  if (type !== DIGEST_IMAGE_TYPES.buildImage) return false;
  const push = byUrn.get(urn)?.props?.push;
  return push === true;
}

const CONTAINER_TYPES: ReadonlySet<string | undefined> = new Set([
  PULUMI_TYPES.container,
  PULUMI_TYPES.service,
]);

/**
 * What a Pulumi resource's dependencies tell about a container: its image is a digest output
 * (when the image is not known yet and every resource it came from produces digests), and the
 * containers it depends on count as declared links.
 */
function applyDependencies(
  spec: ContainerSpec,
  r: PulumiResourceInput,
  byUrn: ReadonlyMap<string, PulumiResourceInput>,
): void {
  const pd = isPlainRecord(r.propertyDependencies) ? r.propertyDependencies : undefined;
  const from = pd !== undefined && Array.isArray(pd.image) ? pd.image : undefined;
  if (
    from !== undefined &&
    from.length > 0 &&
    isUnknown(spec.image) &&
    from.every((u) => typeof u === 'string' && producesDigest(u, byUrn))
  ) {
    const type = typeFromUrn(from[0]);
    if (type !== undefined) spec.imageDigestFrom = type;
  }
  if (spec.links !== undefined && isUnknown(spec.links)) return;
  const peers: string[] = [];
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const u of list) {
      if (typeof u === 'string' && u !== r.urn && CONTAINER_TYPES.has(typeFromUrn(u)) && !peers.includes(u))
        peers.push(u);
    }
  };
  add(r.dependencies);
  if (pd !== undefined) for (const k of Object.keys(pd)) add(pd[k]);
  if (peers.length > 0) spec.links = [...(spec.links ?? []), ...peers];
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Spec field → `ContainerArgs` path. */
const CONTAINER_PATHS: Readonly<Record<string, string>> = Object.freeze({
  capAdd: 'capabilities.adds',
  capDrop: 'capabilities.drops',
  securityOpt: 'securityOpts',
  readOnlyRootfs: 'readOnly',
  groupAdd: 'groupAdds',
  networks: 'networksAdvanced',
  nanoCpus: 'cpus',
  env: 'envs',
  restart: 'restart',
  healthcheck: 'healthcheck.tests',
  pidsLimit: 'pidsLimit',
  'volumes[].source': 'hostPath',
  'volumes[].target': 'containerPath',
  'ports[].containerPort': 'internal',
  'ports[].hostPort': 'external',
  'ports[].hostIp': 'ip',
});

/** Spec field → `ServiceArgs` path. */
const SERVICE_PATHS: Readonly<Record<string, string>> = Object.freeze({
  image: 'taskSpec.containerSpec.image',
  user: 'taskSpec.containerSpec.user',
  groupAdd: 'taskSpec.containerSpec.groups',
  capAdd: 'taskSpec.containerSpec.capAdds',
  capDrop: 'taskSpec.containerSpec.capDrops',
  securityOpt: 'taskSpec.containerSpec.privileges',
  readOnlyRootfs: 'taskSpec.containerSpec.readOnly',
  mounts: 'taskSpec.containerSpec.mounts',
  networks: 'taskSpec.networksAdvanceds',
  memory: 'taskSpec.resources.limits.memoryBytes',
  nanoCpus: 'taskSpec.resources.limits.nanoCpus',
  ports: 'endpointSpec.ports',
  healthcheck: 'taskSpec.containerSpec.healthcheck.tests',
  restart: 'taskSpec.restartPolicy',
  sysctls: 'taskSpec.containerSpec.sysctl',
  env: 'taskSpec.containerSpec.env',
  logDriver: 'taskSpec.logDriver.name',
  logOpts: 'taskSpec.logDriver.options',
  init: 'taskSpec.containerSpec.init',
  labels: 'taskSpec.containerSpec.labels',
  hostname: 'taskSpec.containerSpec.hostname',
  command: 'taskSpec.containerSpec.commands',
});

const NETWORK_PATHS: Readonly<Record<string, string>> = Object.freeze({});

const CONTAINER_CANNOT: ReadonlySet<keyof ContainerSpec> = Object.freeze(
  new Set<keyof ContainerSpec>(['pidsLimit']),
);

/**
 * What a swarm `docker.Service` cannot set at all: no security options (no-new-privileges,
 * seccomp, AppArmor), no pids limit, no ulimits, no `--tmpfs` map (tmpfs mounts only) and no
 * swap limit.
 */
const SERVICE_CANNOT: ReadonlySet<keyof ContainerSpec> = Object.freeze(
  new Set<keyof ContainerSpec>(['securityOpt', 'pidsLimit', 'ulimits', 'tmpfs', 'memorySwap']),
);

const CONTAINER_FIELDS: readonly (keyof ContainerSpec)[] = [
  'image',
  'user',
  'groupAdd',
  'privileged',
  'capAdd',
  'capDrop',
  'securityOpt',
  'readOnlyRootfs',
  'tmpfs',
  'mounts',
  'networkMode',
  'networks',
  'pidMode',
  'ipcMode',
  'usernsMode',
  'cgroupnsMode',
  'cgroupParent',
  'memory',
  'memorySwap',
  'nanoCpus',
  'cpuQuota',
  'cpuPeriod',
  'cpuShares',
  'devices',
  'deviceCgroupRules',
  'gpus',
  'ports',
  'publishAllPorts',
  'healthcheck',
  'restart',
  'sysctls',
  'ulimits',
  'env',
  'logDriver',
  'logOpts',
  'init',
  'runtime',
  'labels',
  'hostname',
  'command',
  'links',
  'ingress',
];

/** A container about which nothing is known (its inputs were unknown or unreadable). */
export function unknownContainer(source: SourceInfo): ContainerSpec {
  const spec = newContainerSpec(source) as unknown as Record<string, unknown>;
  for (const f of CONTAINER_FIELDS) {
    if (!source.cannotExpress?.has(f)) spec[f] = UNKNOWN;
  }
  return spec as unknown as ContainerSpec;
}

function sourceOf(
  given: Partial<SourceInfo> | undefined,
  type: string,
  fieldPaths: Readonly<Record<string, string>>,
  cannotExpress: ReadonlySet<keyof ContainerSpec> | undefined,
): SourceInfo {
  const s: SourceInfo = {
    kind: given?.kind ?? 'pulumi',
    name: given?.name ?? '(unnamed)',
    type: given?.type ?? type,
    fieldPaths: given?.fieldPaths ? { ...fieldPaths, ...given.fieldPaths } : fieldPaths,
  };
  if (given?.urn !== undefined) s.urn = given.urn;
  if (given?.parent !== undefined) s.parent = given.parent;
  if (given?.location !== undefined) s.location = given.location;
  if (given?.locations !== undefined) s.locations = given.locations;
  const cannot = given?.cannotExpress ?? cannotExpress;
  if (cannot !== undefined) s.cannotExpress = cannot;
  return s;
}

/**
 * `docker:index/container:Container` inputs → {@link ContainerSpec}. Sizes in MB become bytes,
 * `cpus` becomes nano-CPUs, `labels` (`[{label, value}]`) a map; `pidsLimit` is listed in
 * `source.cannotExpress` because `docker.Container` has no such input. Never throws: a field of
 * the wrong type is {@link UNKNOWN}.
 */
export function fromPulumiContainerArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): ContainerSpec {
  return containerFromProps(
    props,
    sourceOf(source, PULUMI_TYPES.container, CONTAINER_PATHS, CONTAINER_CANNOT),
    PLAIN,
  );
}

/**
 * `docker:index/service:Service` (swarm) inputs → {@link ContainerSpec}. What a service cannot
 * set (security options, pids limit, ulimits, tmpfs map, swap) is listed in
 * `source.cannotExpress`. Never throws.
 */
export function fromPulumiServiceArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): ContainerSpec {
  return serviceFromProps(
    props,
    sourceOf(source, PULUMI_TYPES.service, SERVICE_PATHS, SERVICE_CANNOT),
    PLAIN,
  );
}

/** `docker:index/network:Network` inputs → {@link NetworkSpec}. Never throws. */
export function fromPulumiNetworkArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): NetworkSpec {
  return networkFromProps(props, sourceOf(source, PULUMI_TYPES.network, NETWORK_PATHS, undefined), PLAIN);
}

/**
 * Picks the docker containers, services and networks out of a list of Pulumi resources (by type
 * token) and converts them; other resources are ignored. Never throws.
 */
export function fromPulumiResources(resources: readonly PulumiResourceInput[]): ResourceSet {
  return resourcesFrom(resources, 'pulumi', PLAIN);
}

/** {@link fromPulumiResources} with the input kind and encoding of a file format. */
export function resourcesFrom(
  resources: readonly PulumiResourceInput[],
  kind: InputKind,
  ctx: ReadContext,
): ResourceSet {
  const out: ResourceSet = { containers: [], networks: [] };
  if (!Array.isArray(resources)) return out;
  // docker-build images, by URN: whether one pushes decides what its outputs are.
  const byUrn = new Map<string, PulumiResourceInput>();
  for (const r of resources) {
    if (
      typeof r === 'object' &&
      r !== null &&
      r.type === DIGEST_IMAGE_TYPES.buildImage &&
      typeof r.urn === 'string'
    )
      byUrn.set(r.urn, r);
  }
  for (const r of resources) {
    if (typeof r !== 'object' || r === null) continue;
    const type = r.type;
    if (type !== PULUMI_TYPES.container && type !== PULUMI_TYPES.service && type !== PULUMI_TYPES.network)
      continue;
    const given: Partial<SourceInfo> = {
      kind,
      name: typeof r.name === 'string' ? r.name : '(unnamed)',
      type,
    };
    if (typeof r.urn === 'string') given.urn = r.urn;
    if (typeof r.parent === 'string') given.parent = r.parent;
    if (r.location !== undefined) given.location = r.location;
    if (type === PULUMI_TYPES.container) {
      const spec = containerFromProps(r.props, sourceOf(given, type, CONTAINER_PATHS, CONTAINER_CANNOT), ctx);
      if (r.dependencies !== undefined || r.propertyDependencies !== undefined)
        applyDependencies(spec, r, byUrn);
      out.containers.push(spec);
    } else if (type === PULUMI_TYPES.service) {
      const spec = serviceFromProps(r.props, sourceOf(given, type, SERVICE_PATHS, SERVICE_CANNOT), ctx);
      // A service's image sits inside `taskSpec`, whose dependencies cover the whole task: only links.
      if (r.dependencies !== undefined) applyDependencies(spec, { ...r, propertyDependencies: {} }, byUrn);
      out.containers.push(spec);
    } else {
      out.networks.push(networkFromProps(r.props, sourceOf(given, type, NETWORK_PATHS, undefined), ctx));
    }
  }
  return out;
}

/** Records the inputs present but not of their kind (see `pulumi-kinds.ts`): their findings fail. */
function markUnreadable(
  spec: ContainerSpec | NetworkSpec,
  props: Record<string, unknown>,
  kinds: Parameters<typeof unreadableInputs>[1],
  ctx: ReadContext,
): void {
  const unreadable = unreadableInputs(props, kinds, ctx);
  if (unreadable) spec.source.unreadable = unreadable;
}

function containerFromProps(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  try {
    return containerFromPropsFast(props, source, ctx);
  } catch {
    // A getter threw (the policy SDK's proxy on an unknown value): read a guarded copy instead.
    return containerFromPropsFast(safeCopy(props), source, ctx);
  }
}

function containerFromPropsFast(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownContainer(source);
  const spec = newContainerSpec(source);
  markUnreadable(spec, p, CONTAINER_KINDS, ctx);
  put(spec, 'image', secretStr(get(p, 'image'), false, ctx));
  put(spec, 'user', str(get(p, 'user'), ctx));
  put(spec, 'groupAdd', strList(get(p, 'groupAdds'), ctx));
  put(spec, 'privileged', bool(get(p, 'privileged'), ctx));
  const caps = obj(get(p, 'capabilities'), ctx);
  if (caps !== undefined) {
    if (isUnknown(caps)) {
      spec.capAdd = UNKNOWN;
      spec.capDrop = UNKNOWN;
    } else {
      put(spec, 'capAdd', strList(get(caps, 'adds'), ctx));
      put(spec, 'capDrop', strList(get(caps, 'drops'), ctx));
    }
  }
  put(spec, 'securityOpt', list(get(p, 'securityOpts'), secretItem(ctx), ctx));
  put(spec, 'readOnlyRootfs', bool(get(p, 'readOnly'), ctx));
  put(spec, 'tmpfs', strMap(get(p, 'tmpfs'), ctx));
  put(
    spec,
    'mounts',
    joinLists(volumeList(get(p, 'volumes'), ctx), mountList(get(p, 'mounts'), 'mounts', ctx)),
  );
  put(spec, 'networkMode', str(get(p, 'networkMode'), ctx));
  put(spec, 'networks', networkList(get(p, 'networksAdvanced'), 'networksAdvanced', ctx));
  put(spec, 'pidMode', str(get(p, 'pidMode'), ctx));
  put(spec, 'ipcMode', str(get(p, 'ipcMode'), ctx));
  put(spec, 'usernsMode', str(get(p, 'usernsMode'), ctx));
  put(spec, 'cgroupnsMode', str(get(p, 'cgroupnsMode'), ctx));
  put(spec, 'cgroupParent', str(get(p, 'cgroupParent'), ctx));
  put(spec, 'memory', mbToBytes(num(get(p, 'memory'), ctx)));
  put(spec, 'memorySwap', mbToBytes(num(get(p, 'memorySwap'), ctx)));
  const cpus = get(p, 'cpus');
  if (cpus !== undefined && cpus !== null) {
    const c = str(cpus, ctx);
    spec.nanoCpus = c === undefined || isUnknown(c) ? UNKNOWN : (cpusToNano(c) ?? UNKNOWN);
  }
  put(spec, 'cpuQuota', num(get(p, 'cpuQuota'), ctx));
  put(spec, 'cpuPeriod', num(get(p, 'cpuPeriod'), ctx));
  put(spec, 'cpuShares', num(get(p, 'cpuShares'), ctx));
  put(spec, 'devices', deviceList(get(p, 'devices'), ctx));
  put(spec, 'deviceCgroupRules', strList(get(p, 'deviceCgroupRules'), ctx));
  const gpus = str(get(p, 'gpus'), ctx) ?? gpusFromRequests(get(p, 'deviceRequests'), ctx);
  if (gpus !== undefined) {
    spec.gpus = gpus;
    if (get(p, 'gpus') === undefined) source.fieldPaths = { ...source.fieldPaths, gpus: 'deviceRequests' };
  }
  put(spec, 'ports', portList(get(p, 'ports'), ctx));
  put(spec, 'publishAllPorts', bool(get(p, 'publishAllPorts'), ctx));
  put(spec, 'healthcheck', healthcheck(get(p, 'healthcheck'), ctx));
  put(spec, 'restart', restart(get(p, 'restart'), get(p, 'maxRetryCount'), ctx));
  put(spec, 'sysctls', strMap(get(p, 'sysctls'), ctx));
  put(spec, 'ulimits', ulimitList(get(p, 'ulimits'), ctx));
  put(spec, 'env', envList(get(p, 'envs'), ctx));
  put(spec, 'logDriver', str(get(p, 'logDriver'), ctx));
  put(spec, 'logOpts', strMap(get(p, 'logOpts'), ctx));
  put(spec, 'init', bool(get(p, 'init'), ctx));
  put(spec, 'runtime', str(get(p, 'runtime'), ctx));
  put(spec, 'labels', labelList(get(p, 'labels'), ctx));
  put(spec, 'hostname', str(get(p, 'hostname'), ctx));
  put(spec, 'command', list(get(p, 'command'), secretItem(ctx), ctx));
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
}

function serviceFromProps(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  try {
    return serviceFromPropsFast(props, source, ctx);
  } catch {
    // A getter threw (the policy SDK's proxy on an unknown value): read a guarded copy instead.
    return serviceFromPropsFast(safeCopy(props), source, ctx);
  }
}

function serviceFromPropsFast(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownContainer(source);
  const unreadable = unreadableInputs(p, SERVICE_KINDS, ctx);
  if (unreadable) source.unreadable = unreadable;
  const task = obj(get(p, 'taskSpec'), ctx);
  if (task === undefined || isUnknown(task)) return unknownContainer(source);
  const c = obj(get(task, 'containerSpec'), ctx);
  if (c === undefined || isUnknown(c)) return unknownContainer(source);
  const spec = newContainerSpec(source);
  put(spec, 'image', secretStr(get(c, 'image'), false, ctx));
  put(spec, 'user', str(get(c, 'user'), ctx));
  put(spec, 'groupAdd', strList(get(c, 'groups'), ctx));
  put(spec, 'capAdd', strList(get(c, 'capAdds'), ctx));
  put(spec, 'capDrop', strList(get(c, 'capDrops'), ctx));
  // The only security option a service has: SELinux labelling can be switched off.
  const priv = obj(get(c, 'privileges'), ctx);
  if (priv !== undefined) {
    const se = isUnknown(priv) ? UNKNOWN : obj(get(priv, 'seLinuxContext'), ctx);
    const disable = se === undefined ? undefined : isUnknown(se) ? UNKNOWN : bool(get(se, 'disable'), ctx);
    if (disable !== undefined)
      spec.securityOpt = isUnknown(disable) ? [UNKNOWN] : disable ? ['label=disable'] : [];
  }
  put(spec, 'readOnlyRootfs', bool(get(c, 'readOnly'), ctx));
  put(spec, 'mounts', mountList(get(c, 'mounts'), 'taskSpec.containerSpec.mounts', ctx));
  put(spec, 'networks', networkList(get(task, 'networksAdvanceds'), 'taskSpec.networksAdvanceds', ctx));
  const res = obj(get(task, 'resources'), ctx);
  if (res !== undefined) {
    const limits = isUnknown(res) ? UNKNOWN : obj(get(res, 'limits'), ctx);
    if (limits !== undefined && isUnknown(limits)) {
      spec.memory = UNKNOWN;
      spec.nanoCpus = UNKNOWN;
    } else if (limits !== undefined) {
      put(spec, 'memory', num(get(limits, 'memoryBytes'), ctx));
      put(spec, 'nanoCpus', num(get(limits, 'nanoCpus'), ctx));
    }
  }
  const endpoint = obj(get(p, 'endpointSpec'), ctx);
  if (endpoint !== undefined) {
    spec.ports = isUnknown(endpoint)
      ? UNKNOWN
      : (list(
          get(endpoint, 'ports'),
          (raw, _s, i) => {
            const o = obj(raw, ctx);
            const origin = `endpointSpec.ports[${i}]`;
            if (o === undefined || isUnknown(o)) return unknownPort(origin);
            const port: PortSpec = { containerPort: num(get(o, 'targetPort'), ctx) ?? UNKNOWN, origin };
            put(port, 'hostPort', num(get(o, 'publishedPort'), ctx));
            put(port, 'protocol', str(get(o, 'protocol'), ctx));
            return port;
          },
          ctx,
        ) ?? []);
  }
  put(spec, 'healthcheck', healthcheck(get(c, 'healthcheck'), ctx));
  const rp = obj(get(task, 'restartPolicy'), ctx);
  if (rp !== undefined) {
    if (isUnknown(rp)) spec.restart = UNKNOWN;
    else {
      const cond = str(get(rp, 'condition'), ctx);
      const r: RestartSpec = {
        policy: cond === undefined ? 'always' : isUnknown(cond) ? UNKNOWN : swarmCondition(cond),
      };
      put(r, 'maxRetries', num(get(rp, 'maxAttempts'), ctx));
      spec.restart = r;
    }
  }
  put(spec, 'sysctls', strMap(get(c, 'sysctl'), ctx));
  const rawEnv = get(c, 'env');
  const env = isSealed(rawEnv, ctx) ? undefined : secretMap(rawEnv, ctx);
  if (env === undefined && rawEnv !== undefined && rawEnv !== null) {
    spec.env = [sealedEnv('taskSpec.containerSpec.env')];
  } else if (env !== undefined) {
    spec.env = isUnknown(env)
      ? UNKNOWN
      : Object.keys(env)
          .sort()
          .map<EnvSpec>((name) => ({
            name,
            value: env[name] ?? '',
            origin: `taskSpec.containerSpec.env.${name}`,
          }));
  }
  const log = obj(get(task, 'logDriver'), ctx);
  if (log !== undefined) {
    if (isUnknown(log)) {
      spec.logDriver = UNKNOWN;
      spec.logOpts = UNKNOWN;
    } else {
      put(spec, 'logDriver', str(get(log, 'name'), ctx));
      put(spec, 'logOpts', strMap(get(log, 'options'), ctx));
    }
  }
  put(spec, 'init', bool(get(c, 'init'), ctx));
  // Service-level labels first, container labels win: Bulkhead's labels may sit on either.
  const svcLabels = labelList(get(p, 'labels'), ctx);
  const ctrLabels = labelList(get(c, 'labels'), ctx);
  if (svcLabels !== undefined || ctrLabels !== undefined) {
    spec.labels =
      (svcLabels !== undefined && isUnknown(svcLabels)) || (ctrLabels !== undefined && isUnknown(ctrLabels))
        ? UNKNOWN
        : { ...(svcLabels as object | undefined), ...(ctrLabels as object | undefined) };
  }
  put(spec, 'hostname', str(get(c, 'hostname'), ctx));
  const commands = list(get(c, 'commands'), secretItem(ctx), ctx);
  const args = list(get(c, 'args'), secretItem(ctx), ctx);
  put(spec, 'command', joinLists(commands, args));
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
}

function networkFromProps(props: unknown, source: SourceInfo, ctx: ReadContext): NetworkSpec {
  try {
    return networkFromPropsFast(props, source, ctx);
  } catch {
    // A getter threw (the policy SDK's proxy on an unknown value): read a guarded copy instead.
    return networkFromPropsFast(safeCopy(props), source, ctx);
  }
}

function networkFromPropsFast(props: unknown, source: SourceInfo, ctx: ReadContext): NetworkSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownNetwork(source);
  // Without a `name` input the provider auto-names the network at create time.
  const spec = newNetworkSpec(source, str(get(p, 'name'), ctx) ?? UNKNOWN);
  markUnreadable(spec, p, NETWORK_KINDS, ctx);
  put(spec, 'driver', str(get(p, 'driver'), ctx));
  put(spec, 'internal', bool(get(p, 'internal'), ctx));
  put(spec, 'attachable', bool(get(p, 'attachable'), ctx));
  put(spec, 'ipv6', bool(get(p, 'ipv6'), ctx));
  put(spec, 'options', strMap(get(p, 'options'), ctx));
  put(spec, 'labels', labelList(get(p, 'labels'), ctx));
  return spec;
}

/** True when the raw value is a secret whose content is not in the input. */
function isSealed(raw: unknown, ctx: ReadContext): boolean {
  return raw !== undefined && raw !== null && peel(raw, false, ctx).v === SEALED;
}

/**
 * A whole environment that is secret and encrypted (a stack export) or hidden (a preview): every
 * value in it is a secret, but neither the names nor the count are known. It is represented as
 * one entry with an unknown name and a sealed value, so `no-secrets-in-env` can see it is managed
 * as a secret while nothing reads its content.
 */
function sealedEnv(origin: string): EnvSpec {
  return { name: UNKNOWN, value: SEALED, origin };
}

function envList(raw: unknown, ctx: ReadContext): Val<EnvSpec[]> | undefined {
  if (isSealed(raw, ctx)) return [sealedEnv('envs')];
  return list(raw, (el, s, i) => envEntry(el, s, `envs[${i}]`, ctx), ctx);
}

function swarmCondition(c: string): string {
  if (c === 'any') return 'always';
  if (c === 'none') return 'no';
  return c;
}

/** Concatenates two optional lists; unknown if either is. */
function joinLists<T>(a: Val<T[]> | undefined, b: Val<T[]> | undefined): Val<T[]> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
  return [...a, ...b];
}

function unknownMount(origin: string): MountSpec {
  return { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin };
}

function unknownPort(origin: string): PortSpec {
  return { containerPort: UNKNOWN, hostPort: UNKNOWN, hostIp: UNKNOWN, protocol: UNKNOWN, origin };
}

const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']);

function mountType(raw: unknown, ctx: ReadContext): MountSpec['type'] {
  const t = str(raw, ctx);
  if (t === undefined || isUnknown(t)) return UNKNOWN;
  return MOUNT_TYPES.has(t) ? (t as MountSpec['type']) : UNKNOWN;
}

function volumeList(raw: unknown, ctx: ReadContext): Val<MountSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `volumes[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownMount(origin);
      if (get(o, 'fromContainer') !== undefined) return unknownMount(origin); // every volume of another container
      const host = str(get(o, 'hostPath'), ctx);
      const volume = str(get(o, 'volumeName'), ctx);
      const m: MountSpec = {
        type: host !== undefined ? (isUnknown(host) ? UNKNOWN : 'bind') : 'volume',
        target: str(get(o, 'containerPath'), ctx) ?? UNKNOWN,
        origin,
      };
      put(m, 'source', host ?? volume);
      put(m, 'readOnly', bool(get(o, 'readOnly'), ctx));
      return m;
    },
    ctx,
  );
}

function mountList(raw: unknown, path: string, ctx: ReadContext): Val<MountSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `${path}[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownMount(origin);
      const m: MountSpec = {
        type: mountType(get(o, 'type'), ctx),
        target: str(get(o, 'target'), ctx) ?? UNKNOWN,
        origin,
      };
      put(m, 'source', str(get(o, 'source'), ctx));
      put(m, 'readOnly', bool(get(o, 'readOnly'), ctx));
      const bind = obj(get(o, 'bindOptions'), ctx);
      if (bind !== undefined)
        m.propagation = isUnknown(bind) ? UNKNOWN : (str(get(bind, 'propagation'), ctx) ?? 'rprivate');
      return m;
    },
    ctx,
  );
}

function networkList(raw: unknown, path: string, ctx: ReadContext): Val<NetworkAttachmentSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `${path}[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return { name: UNKNOWN, aliases: UNKNOWN, origin };
      const n: NetworkAttachmentSpec = {
        name: str(get(o, 'name'), ctx) ?? str(get(o, 'id'), ctx) ?? UNKNOWN,
        origin,
      };
      put(n, 'aliases', strList(get(o, 'aliases'), ctx));
      return n;
    },
    ctx,
  );
}

function deviceList(raw: unknown, ctx: ReadContext): Val<DeviceSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `devices[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o))
        return { hostPath: UNKNOWN, containerPath: UNKNOWN, permissions: UNKNOWN, origin };
      const d: DeviceSpec = { hostPath: str(get(o, 'hostPath'), ctx) ?? UNKNOWN, origin };
      put(d, 'containerPath', str(get(o, 'containerPath'), ctx));
      put(d, 'permissions', str(get(o, 'permissions'), ctx));
      return d;
    },
    ctx,
  );
}

/** `deviceRequests` as the `--gpus` value it amounts to (`all`, `device=0,2`, `2`). */
function gpusFromRequests(raw: unknown, ctx: ReadContext): Val<string> | undefined {
  const reqs = list(
    raw,
    (el) => {
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return UNKNOWN;
      const ids = strList(get(o, 'deviceIds'), ctx);
      if (ids !== undefined)
        return isUnknown(ids) || ids.some(isUnknown) ? UNKNOWN : `device=${ids.join(',')}`;
      const count = num(get(o, 'count'), ctx);
      if (count === undefined || count === -1) return 'all';
      return isUnknown(count) ? UNKNOWN : String(count);
    },
    ctx,
  );
  if (reqs === undefined) return undefined;
  if (isUnknown(reqs)) return UNKNOWN;
  if (reqs.length === 0) return undefined;
  return reqs.some(isUnknown) ? UNKNOWN : (reqs as string[]).join(' ');
}

function portList(raw: unknown, ctx: ReadContext): Val<PortSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `ports[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownPort(origin);
      const port: PortSpec = {
        containerPort: num(get(o, 'internal'), ctx) ?? UNKNOWN,
        origin,
      };
      put(port, 'hostPort', num(get(o, 'external'), ctx));
      const ip = str(get(o, 'ip'), ctx);
      // The provider's default `0.0.0.0` is "all interfaces", the same as absent.
      if (ip !== undefined && ip !== '0.0.0.0' && ip !== '') port.hostIp = ip;
      put(port, 'protocol', str(get(o, 'protocol'), ctx));
      return port;
    },
    ctx,
  );
}

function healthcheck(raw: unknown, ctx: ReadContext): Val<HealthcheckSpec> | undefined {
  const o = obj(raw, ctx);
  if (o === undefined || isUnknown(o)) return o;
  const test = strList(get(o, 'tests'), ctx);
  const h: HealthcheckSpec = {};
  put(h, 'test', test);
  if (test !== undefined && !isUnknown(test) && test[0] === 'NONE') h.disabled = true;
  return h;
}

function restart(policy: unknown, retries: unknown, ctx: ReadContext): Val<RestartSpec> | undefined {
  const p = str(policy, ctx);
  const n = num(retries, ctx);
  if (p === undefined && n === undefined) return undefined;
  const r: RestartSpec = { policy: p ?? 'no' };
  put(r, 'maxRetries', n);
  return r;
}

function ulimitList(raw: unknown, ctx: ReadContext): Val<UlimitSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `ulimits[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return { name: UNKNOWN, soft: UNKNOWN, hard: UNKNOWN, origin };
      return {
        name: str(get(o, 'name'), ctx) ?? UNKNOWN,
        soft: num(get(o, 'soft'), ctx) ?? UNKNOWN,
        hard: num(get(o, 'hard'), ctx) ?? UNKNOWN,
        origin,
      };
    },
    ctx,
  );
}

/**
 * `[{label, value}]` → map. An unknown label *name* makes the whole map unknown (any exemption
 * or role label could be hiding behind it).
 */
function labelList(raw: unknown, ctx: ReadContext): Val<Record<string, Val<MaybeSecret>>> | undefined {
  let secretKeys = false;
  const items = list(
    raw,
    (el, s) => {
      const o = peel(el, s, ctx);
      if (o.s) secretKeys = true;
      if (o.v === SEALED || typeof o.v !== 'object' || o.v === null || isUnknown(o.v)) return UNKNOWN;
      const label = str(get(o.v, 'label'), ctx);
      if (label === undefined || isUnknown(label)) return UNKNOWN;
      return [label, secretStr(get(o.v, 'value'), o.s, ctx) ?? ''] as const;
    },
    ctx,
  );
  if (items === undefined || isUnknown(items)) return items;
  const out: Record<string, Val<MaybeSecret>> = {};
  for (const it of items) {
    if (isUnknown(it)) return UNKNOWN;
    setKey(out, it[0], it[1]);
  }
  return secretKeys ? markSecretKeys(out) : out;
}
