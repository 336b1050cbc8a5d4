import type { MaybeSecret, Val } from './value.js';

/** Where a resource came from, so findings can point back at it. */
export type InputKind = 'pulumi' | 'compose' | 'inspect' | 'stack-export' | 'preview';

/** A position in a source file (1-based). */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/**
 * The identity of a resource and how to translate spec field paths into the paths of the input
 * it came from (`capDrop` → `capabilities.drops` for Pulumi, `cap_drop` for compose…).
 */
export interface SourceInfo {
  kind: InputKind;
  /** Resource name: Pulumi logical name, compose service name, container name. */
  name: string;
  /** Pulumi URN where one exists. */
  urn?: string;
  /** Resource type as the source spells it (`docker:index/container:Container`, `compose:service`…). */
  type: string;
  /** Pulumi parent URN (the component that created the resource), where known. */
  parent?: string;
  /** Where the resource itself is declared. */
  location?: Location;
  /**
   * Top-level spec field → the source's field path for it. Unlisted fields keep their spec name.
   * Keys `list[].field` rename a sub-field of items whose `origin` is in `list` (`volumes[].source`
   * → `hostPath`).
   */
  fieldPaths?: Readonly<Record<string, string>>;
  /** Source field path → location, for inputs with line numbers (compose). */
  locations?: ReadonlyMap<string, Location>;
  /**
   * Spec fields this kind of resource cannot express at all (a swarm `docker.Service` has no
   * `securityOpt`, `privileged`, `devices`…). Rules that need one report it plainly.
   */
  cannotExpress?: ReadonlySet<keyof ContainerSpec>;
  /**
   * Why values are unknown, by source field path, for unknowns the input itself explains (a
   * compose variable that is not set: `depends on ${APP_UID}, which is not set`). Findings about
   * an unknown value at or under such a path say this instead of the Pulumi wording.
   */
  unknownReasons?: ReadonlyMap<string, string>;
  /**
   * Inputs that are present but not of the kind the tool that defines them takes (Pulumi
   * `privileged: "yes"`), by source field path → what they must be. The readers make them
   * unknown; a finding at or around such a path fails instead of staying unknown (fail closed).
   */
  unreadable?: ReadonlyMap<string, string>;
  /** Compose profiles the service belongs to (it runs only when one of them is enabled). */
  profiles?: readonly string[];
  /**
   * The resource's settings as its source resolved them, for tools that carry a resource over
   * rather than judge it (`bulkhead init --from-compose` reads `build`, `entrypoint`… from it).
   * Compose: the service mapping after merge keys (and whatever else the compose loader resolves).
   * Rules never read it.
   */
  settings?: Readonly<Record<string, unknown>>;
}

/** Where a list item came from in its source, for findings' paths. */
export interface ItemOrigin {
  /** Source path of this item (`volumes[0]`, `mounts[2]`), when it differs from the spec's. */
  origin?: string;
}

/** A filesystem mount: bind, named volume or tmpfs. */
export interface MountSpec extends ItemOrigin {
  type: Val<'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster'>;
  /** Host path (bind) or volume name (volume). */
  source?: Val<string>;
  target: Val<string>;
  readOnly?: Val<boolean>;
  /** Bind propagation: private, rprivate, shared, rshared, slave, rslave. */
  propagation?: Val<string>;
  /**
   * Why an unknown mount cannot be known from the input, in the input's words (a compose
   * external volume, whose driver is set up outside the file). Rules report it as the reason.
   */
  unknownReason?: string;
}

/** A published port. */
export interface PortSpec extends ItemOrigin {
  containerPort: Val<number>;
  hostPort?: Val<number>;
  /** Host interface; absent means all interfaces (0.0.0.0 / ::). */
  hostIp?: Val<string>;
  protocol?: Val<string>;
}

/** A host device mapped into the container. */
export interface DeviceSpec extends ItemOrigin {
  hostPath: Val<string>;
  containerPath?: Val<string>;
  permissions?: Val<string>;
}

/** A resource limit (`ulimit`). */
export interface UlimitSpec extends ItemOrigin {
  name: Val<string>;
  soft: Val<number>;
  hard: Val<number>;
}

/** An environment variable. Values from secrets stay {@link Secret}. */
export interface EnvSpec extends ItemOrigin {
  name: Val<string>;
  value?: Val<MaybeSecret>;
}

/** A network attachment. */
export interface NetworkAttachmentSpec extends ItemOrigin {
  /** Network name or id as the source gives it. */
  name: Val<string>;
  aliases?: Val<Val<string>[]>;
}

/** A health check. `disabled` means explicitly switched off (`NONE`, `disable: true`). */
export interface HealthcheckSpec {
  test?: Val<Val<string>[]>;
  disabled?: Val<boolean>;
}

/** The restart policy. */
export interface RestartSpec {
  policy: Val<string>;
  maxRetries?: Val<number>;
}

/**
 * The normalized container model every rule reads. Each field is known, {@link UNKNOWN} or absent
 * (`undefined`, meaning the source did not set it and the engine default applies). Sizes are in
 * bytes and CPU in nano-CPUs whatever unit the source used.
 */
export interface ContainerSpec {
  source: SourceInfo;
  image?: Val<MaybeSecret>;
  /**
   * Set when `image` is not known yet but is, by construction, the digest output of another
   * resource (`RemoteImage.repoDigest`, `Image.repoDigest`, a pushed docker-build `Image`'s
   * `ref`/`digest`): the type token of that resource. Pulumi adapters set it from the input's
   * property dependencies.
   */
  imageDigestFrom?: string;
  /** `uid[:gid]` or a name; absent means the image's default user. */
  user?: Val<string>;
  groupAdd?: Val<Val<string>[]>;
  privileged?: Val<boolean>;
  capAdd?: Val<Val<string>[]>;
  capDrop?: Val<Val<string>[]>;
  securityOpt?: Val<Val<MaybeSecret>[]>;
  readOnlyRootfs?: Val<boolean>;
  /** tmpfs mount point → mount options (`size=64m,noexec`). */
  tmpfs?: Val<Record<string, Val<string>>>;
  mounts?: Val<MountSpec[]>;
  networkMode?: Val<string>;
  networks?: Val<NetworkAttachmentSpec[]>;
  pidMode?: Val<string>;
  ipcMode?: Val<string>;
  utsMode?: Val<string>;
  usernsMode?: Val<string>;
  cgroupnsMode?: Val<string>;
  cgroupParent?: Val<string>;
  /** Memory limit in bytes (0 = unlimited). */
  memory?: Val<number>;
  memorySwap?: Val<number>;
  /** CPU limit in nano-CPUs (1e9 = one CPU). */
  nanoCpus?: Val<number>;
  cpuQuota?: Val<number>;
  cpuPeriod?: Val<number>;
  cpuShares?: Val<number>;
  /** Process limit (`--pids-limit`); not expressible through the Pulumi docker provider. */
  pidsLimit?: Val<number>;
  devices?: Val<DeviceSpec[]>;
  deviceCgroupRules?: Val<Val<string>[]>;
  gpus?: Val<string>;
  ports?: Val<PortSpec[]>;
  publishAllPorts?: Val<boolean>;
  healthcheck?: Val<HealthcheckSpec>;
  restart?: Val<RestartSpec>;
  sysctls?: Val<Record<string, Val<string>>>;
  ulimits?: Val<UlimitSpec[]>;
  env?: Val<EnvSpec[]>;
  logDriver?: Val<string>;
  logOpts?: Val<Record<string, Val<string>>>;
  init?: Val<boolean>;
  runtime?: Val<string>;
  labels?: Val<Record<string, Val<MaybeSecret>>>;
  /** Container hostname; informational. */
  hostname?: Val<string>;
  command?: Val<Val<MaybeSecret>[]>;
  /**
   * Containers/services this one declares it talks to, as `name` or `name:port` (compose
   * `depends_on`/`links`, the `dev.bulkhead.links` label). Stack rules use it for segmentation.
   */
  links?: Val<Val<string>[]>;
  /** True when the container is declared an ingress (may publish ports): `dev.bulkhead.role=ingress`. */
  ingress?: Val<boolean>;
  /**
   * A seccomp profile learned from this workload (`bulkhead seccomp learn`): the calls it allows
   * and where it came from. Set only by a surface that was given a learned profile (such as
   * `bulkhead validate --learned-profile`), never by adapters.
   */
  learnedSeccomp?: { allowed: readonly string[]; source: string };
}

/** A user-defined network (`docker.Network`, compose `networks:`, `docker network inspect`). */
export interface NetworkSpec {
  source: SourceInfo;
  /** The network's engine name. */
  name: Val<string>;
  driver?: Val<string>;
  internal?: Val<boolean>;
  attachable?: Val<boolean>;
  ipv6?: Val<boolean>;
  /** Driver options (`com.docker.network.bridge.enable_icc` …). */
  options?: Val<Record<string, Val<string>>>;
  labels?: Val<Record<string, Val<MaybeSecret>>>;
}

/** What {@link evaluate} judges: every container and network of one stack, program or host. */
export interface ResourceSet {
  containers: ContainerSpec[];
  networks: NetworkSpec[];
}

/**
 * A new {@link ContainerSpec} with only its source set. Every field is present (as `undefined`)
 * from the start, in one order, so that all specs share one object shape: rules read the same
 * fields of thousands of specs, and uniformly shaped objects keep those reads fast. Adapters
 * create specs through this; a field left `undefined` means absent, exactly as a missing one.
 */
export function newContainerSpec(source: SourceInfo): ContainerSpec {
  const spec: AllFields<ContainerSpec> = {
    source,
    image: undefined,
    imageDigestFrom: undefined,
    user: undefined,
    groupAdd: undefined,
    privileged: undefined,
    capAdd: undefined,
    capDrop: undefined,
    securityOpt: undefined,
    readOnlyRootfs: undefined,
    tmpfs: undefined,
    mounts: undefined,
    networkMode: undefined,
    networks: undefined,
    pidMode: undefined,
    ipcMode: undefined,
    utsMode: undefined,
    usernsMode: undefined,
    cgroupnsMode: undefined,
    cgroupParent: undefined,
    memory: undefined,
    memorySwap: undefined,
    nanoCpus: undefined,
    cpuQuota: undefined,
    cpuPeriod: undefined,
    cpuShares: undefined,
    pidsLimit: undefined,
    devices: undefined,
    deviceCgroupRules: undefined,
    gpus: undefined,
    ports: undefined,
    publishAllPorts: undefined,
    healthcheck: undefined,
    restart: undefined,
    sysctls: undefined,
    ulimits: undefined,
    env: undefined,
    logDriver: undefined,
    logOpts: undefined,
    init: undefined,
    runtime: undefined,
    labels: undefined,
    hostname: undefined,
    command: undefined,
    links: undefined,
    ingress: undefined,
    learnedSeccomp: undefined,
  };
  return spec as ContainerSpec;
}

/** A new {@link NetworkSpec}, every field present in one order (see {@link newContainerSpec}). */
export function newNetworkSpec(source: SourceInfo, name: Val<string>): NetworkSpec {
  const spec: AllFields<NetworkSpec> = {
    source,
    name,
    driver: undefined,
    internal: undefined,
    attachable: undefined,
    ipv6: undefined,
    options: undefined,
    labels: undefined,
  };
  return spec as NetworkSpec;
}

/** Every member of `T` present, optional ones possibly `undefined`: the compiler checks none is missing. */
type AllFields<T> = { [K in keyof T]-?: T[K] | undefined };
