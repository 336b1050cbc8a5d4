import type { Catalog, SeccompProfile } from '@bulkhead/core';
import type * as pulumi from '@pulumi/pulumi';
import type { ComponentException } from '../exceptions.js';

/** A resource with a `name` output: a `docker.Network` or a `HardenedNetwork`. */
export type NamedResource = pulumi.Resource & { readonly name: pulumi.Output<string> };

/** A network to join: its name, a `docker.Network` or `HardenedNetwork`, or either with aliases. */
export type NetworkRef =
  | pulumi.Input<string>
  | NamedResource
  | { network: pulumi.Input<string> | NamedResource; aliases?: string[] };

/** A writable directory on the otherwise read-only root filesystem, mounted as tmpfs. */
export interface WritablePath {
  /** tmpfs size (`16m`, `512k`, `1g`). Default `16m`. */
  size?: string;
  /** Octal mode of the mount point. Default `0700` (owned by the container's uid:gid). */
  mode?: string;
  /** Allow executing files from this path (drops `noexec`). Default false. */
  exec?: boolean;
}

/** A published port. */
export interface PortArg {
  /** Port inside the container. */
  internal: number;
  /** Host port; absent lets the engine pick a free one. */
  external?: number;
  /** Host interface to bind. Default `127.0.0.1`; `0.0.0.0` needs an exception. */
  ip?: string;
  /** Default `tcp`. */
  protocol?: 'tcp' | 'udp' | 'sctp';
}

/** A named Docker volume mounted into the container. */
export interface VolumeArg {
  /** Volume name (a `docker.Volume`'s `name`). */
  source: pulumi.Input<string>;
  /** Absolute path inside the container. */
  target: string;
  /** Default false. */
  readOnly?: boolean;
}

/** A host directory bind-mounted into the container. */
export interface BindMountArg {
  /** Absolute host path. */
  hostPath: string;
  /** Absolute path inside the container. */
  target: string;
  /** Default true: a bind mount is read-only unless you say otherwise. */
  readOnly?: boolean;
}

/** A health check, as in a Dockerfile `HEALTHCHECK`. */
export interface HealthcheckArg {
  /** `["CMD", "/app/healthz"]`, `["CMD-SHELL", "…"]`, or a plain argv (CMD is prepended). */
  test: string[];
  /** Default `30s`. */
  interval?: string;
  /** Default `5s`. */
  timeout?: string;
  /** Default 3. */
  retries?: number;
  /** Default `10s`. */
  startPeriod?: string;
}

/**
 * The seccomp filter. Default: Bulkhead's default-deny profile from `@bulkhead/core`.
 * - `{ add, remove }`: the default profile with syscalls allowed or removed;
 * - `{ profile }`: a complete profile (object or JSON), e.g. one learned from a test run;
 *   it is validated before use;
 * - `"unconfined"`: no filter (needs an exception).
 */
export type SeccompArg =
  | { add?: string[]; remove?: string[] }
  | { profile: SeccompProfile | string }
  | 'unconfined';

/** Host namespaces to share. Each one weakens isolation and needs an exception. */
export interface HostNamespacesArg {
  network?: boolean;
  pid?: boolean;
  ipc?: boolean;
  userns?: boolean;
  cgroupns?: boolean;
}

/** Arguments of {@link HardenedContainer} and {@link computeContainerArgs}. */
export interface HardenedContainerArgs {
  /** Image pinned by digest: `name@sha256:<64 hex>` (or an output such as `RemoteImage.repoDigest`). */
  image: pulumi.Input<string>;
  /**
   * Numeric `uid:gid`. Default: a uid:gid derived from the resource name (20000–59999), so each
   * container has its own uid and the per-uid `nproc` limit bounds this container alone.
   */
  user?: string;
  command?: pulumi.Input<string>[];
  entrypoint?: string[];
  workingDir?: string;
  /** Environment. Values of secret-looking keys (`*_PASSWORD`, `*_TOKEN`…) are made Pulumi secrets. */
  env?: Record<string, pulumi.Input<string>>;
  /** Extra capabilities (all are dropped). Each one the capability rules flag needs an exception. */
  capAdd?: string[];
  /** Default false; true needs an exception. */
  privileged?: boolean;
  /** Default true; false needs an exception. */
  noNewPrivileges?: boolean;
  /** Default true; false needs an exception. */
  readOnlyRootfs?: boolean;
  /** Writable tmpfs directories. Default `{ "/tmp": { size: "16m" } }`. Pass `{}` for none. */
  writablePaths?: Record<string, WritablePath>;
  /** Named volumes. */
  volumes?: VolumeArg[];
  /** Host bind mounts (read-only by default). Sensitive host paths need an exception. */
  bindMounts?: BindMountArg[];
  seccomp?: SeccompArg;
  /** AppArmor profile. Default `docker-default`; `unconfined` needs an exception. */
  apparmor?: string;
  /** Memory limit in MB; swap is set to the same value (no swap). Default 256. */
  memoryMb?: number;
  /** CPU limit as a decimal number of CPUs. Default `"0.5"`. */
  cpus?: string;
  /**
   * Process limit through the `nproc` ulimit (soft = hard). Default 256. Docker counts `nproc`
   * per uid, not per container: this is why each container gets its own uid by default.
   * `--pids-limit` (CIS 5.29) cannot be set through the Pulumi Docker provider.
   */
  maxProcesses?: number;
  /** `nofile` ulimit (soft = hard). Default 1024. */
  maxOpenFiles?: number;
  /** Networks to join. None: the container gets no network at all (`networkMode: "none"`). */
  networks?: NetworkRef[];
  /** Published ports, bound to `127.0.0.1` unless an interface is given. */
  ports?: PortArg[];
  hostNamespaces?: HostNamespacesArg;
  /** Namespaced sysctls; unsafe ones need an exception. */
  sysctls?: Record<string, string>;
  healthcheck?: HealthcheckArg;
  /** `on-failure` restart attempts. Default 3. */
  restartRetries?: number;
  /** `json-file` log rotation. Defaults `10m` × 3 files. */
  logs?: { maxSize?: string; maxFiles?: number };
  /** `gvisor` runs the container under runsc. Default `none` (runc). */
  sandbox?: 'gvisor' | 'none';
  /** Extra labels. `dev.bulkhead.*` keys are reserved. */
  labels?: Record<string, string>;
  /** Engine container name; default Pulumi's auto-name. */
  containerName?: pulumi.Input<string>;
  hostname?: string;
  /** Services this container talks to (`db:5432`), recorded as `dev.bulkhead.links`. */
  links?: string[];
  /** `ingress` marks a container meant to publish ports. Set automatically when `ports` is given. */
  role?: 'ingress';
  /** Written decisions to weaken a default; see {@link ComponentException}. */
  exceptions?: ComponentException[];
  /**
   * The rule catalog the arguments are judged with: Bulkhead's by default, or one with a team's
   * rule packages (`buildCatalog({ packages: [acme] })`) so their container rules gate it too.
   */
  catalog?: Catalog;
}
