import { isIP } from 'node:net';
import type { SeccompProfile } from '@bulkhead/core';
import type * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { type ComponentException, exceptionsSchema } from '../exceptions.js';
import { unknownArgumentsMessage, userLabelsSchema } from '../schema.js';

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
}

const isOutputLike = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  ((v as { __pulumiOutput?: unknown }).__pulumiOutput === true || v instanceof Promise);

/** A Pulumi resource with a `name` output: `docker.Network`, `HardenedNetwork`. */
const isNamedResource = (v: unknown): v is NamedResource =>
  typeof v === 'object' &&
  v !== null &&
  (v as { __pulumiResource?: unknown }).__pulumiResource === true &&
  isOutputLike((v as { name?: unknown }).name);

const output = z.custom<pulumi.Output<unknown>>(isOutputLike);
const inputString = (error: string) => z.union([z.string({ error }).min(1, error), output], { error });

const absPath = z
  .string({ error: 'must be an absolute path such as "/data"' })
  .refine((p) => p.startsWith('/') && !p.split('/').includes('..'), {
    error: 'must be an absolute path such as "/data", without ".."',
  })
  .refine((p) => p !== '/', { error: 'must not be "/"' });

const SIZE = /^\d+[kmg]?$/i;
const DURATION = /^\d+(ms|s|m|h)$/;
const CAP = /^(CAP_)?[A-Z_]+$/i;
const USER = /^\d+:\d+$/;

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `must be ${what}` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be ${what}`)
    .max(max, `must be ${what}`);

const networkRef = z.union(
  [
    inputString('must be a network name or a docker.Network'),
    z.custom<NamedResource>(isNamedResource),
    z.strictObject({
      network: z.union([inputString('must be a network name'), z.custom<NamedResource>(isNamedResource)]),
      aliases: z.array(z.string().min(1)).optional(),
    }),
  ],
  { error: 'must be a network name, a docker.Network, or { network, aliases }' },
);

const seccompSchema = z.union(
  [
    z.literal('unconfined'),
    z.strictObject({
      add: z.array(z.string().min(1)).optional(),
      remove: z.array(z.string().min(1)).optional(),
    }),
    z.strictObject({
      profile: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
        error: 'must be a seccomp profile object or its JSON text',
      }),
    }),
  ],
  { error: 'must be { add?, remove? }, { profile } or "unconfined"' },
);

/** zod schema of {@link HardenedContainerArgs}. Security weakening is judged later, by core's rules. */
export function containerArgsSchema(now?: () => string) {
  return z.strictObject(
    {
      image: inputString('is required: an image pinned by digest, "name@sha256:<64 hex>"'),
      user: z
        .string({ error: 'must be a numeric "uid:gid" string such as "10001:10001"' })
        .regex(
          USER,
          'must be a numeric "uid:gid" such as "10001:10001"; a user name cannot be checked for root before ' +
            'the container starts, and a uid alone runs with gid 0 (root group)',
        )
        .optional(),
      command: z.array(inputString('must be a non-empty string')).optional(),
      entrypoint: z.array(z.string().min(1)).optional(),
      workingDir: absPath.optional(),
      env: z
        .record(
          z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'env keys must be names such as "PORT"'),
          z.union([z.string(), output], { error: 'must be a string or an output' }),
        )
        .optional(),
      capAdd: z
        .array(z.string().regex(CAP, 'must be a capability name such as "NET_BIND_SERVICE"'))
        .optional(),
      privileged: z.boolean().optional(),
      noNewPrivileges: z.boolean().optional(),
      readOnlyRootfs: z.boolean().optional(),
      writablePaths: z
        .record(
          absPath,
          z.strictObject({
            size: z.string().regex(SIZE, 'must be a size such as "16m"').optional(),
            mode: z
              .string()
              .regex(/^[0-7]{3,4}$/, 'must be an octal mode such as "0700"')
              .optional(),
            exec: z.boolean().optional(),
          }),
        )
        .optional(),
      volumes: z
        .array(
          z.strictObject({
            source: inputString('must be a volume name'),
            target: absPath,
            readOnly: z.boolean().optional(),
          }),
        )
        .optional(),
      bindMounts: z
        .array(
          z.strictObject({
            hostPath: z.string().refine((p) => p.startsWith('/'), { error: 'must be an absolute host path' }),
            target: absPath,
            readOnly: z.boolean().optional(),
          }),
        )
        .optional(),
      seccomp: seccompSchema.optional(),
      apparmor: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, 'must be an AppArmor profile name such as "docker-default"')
        .optional(),
      memoryMb: int(6, 1024 * 1024, 'a memory limit in MB of at least 6').optional(),
      cpus: z
        .string({ error: 'must be a decimal string such as "0.5"' })
        .regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "0.5"')
        .refine((c) => Number(c) > 0, 'must be more than 0')
        .optional(),
      maxProcesses: int(1, 4_194_304, 'a process count of at least 1').optional(),
      maxOpenFiles: int(16, 1_048_576, 'a file count of at least 16').optional(),
      networks: z
        .array(networkRef)
        .superRefine((list, ctx) => {
          list.forEach((n, i) => {
            const name = typeof n === 'string' ? n : undefined;
            if (name === 'host') {
              ctx.addIssue({
                code: 'custom',
                path: [i],
                message: 'the host network is not a network to join; use hostNamespaces.network',
              });
            } else if (name === 'none') {
              ctx.addIssue({
                code: 'custom',
                path: [i],
                message: 'omit networks to run without a network',
              });
            }
          });
        })
        .optional(),
      ports: z
        .array(
          z.strictObject({
            internal: int(1, 65535, 'a port number 1–65535'),
            external: int(1, 65535, 'a port number 1–65535').optional(),
            ip: z
              .string()
              .refine((ip) => isIP(ip) !== 0, 'must be an IP address such as "127.0.0.1"')
              .optional(),
            protocol: z.enum(['tcp', 'udp', 'sctp']).optional(),
          }),
        )
        .optional(),
      hostNamespaces: z
        .strictObject({
          network: z.boolean().optional(),
          pid: z.boolean().optional(),
          ipc: z.boolean().optional(),
          userns: z.boolean().optional(),
          cgroupns: z.boolean().optional(),
        })
        .optional(),
      sysctls: z.record(z.string().min(1), z.string()).optional(),
      healthcheck: z
        .strictObject({
          test: z.array(z.string().min(1)).min(1, 'must name a command such as ["CMD", "/app/healthz"]'),
          interval: z.string().regex(DURATION, 'must be a duration such as "30s"').optional(),
          timeout: z.string().regex(DURATION, 'must be a duration such as "5s"').optional(),
          retries: int(1, 100, 'a retry count of at least 1').optional(),
          startPeriod: z.string().regex(DURATION, 'must be a duration such as "10s"').optional(),
        })
        .optional(),
      restartRetries: int(0, 100, 'a retry count').optional(),
      logs: z
        .strictObject({
          maxSize: z
            .string()
            .regex(/^\d+[kmg]$/, 'must be a size such as "10m"')
            .optional(),
          maxFiles: int(1, 100, 'a file count of at least 1').optional(),
        })
        .optional(),
      sandbox: z.enum(['gvisor', 'none'], { error: 'must be "gvisor" or "none"' }).optional(),
      labels: userLabelsSchema('use exceptions, links or role instead').optional(),
      containerName: inputString('must be a container name').optional(),
      hostname: z.string().min(1).optional(),
      links: z
        .array(z.string().regex(/^[A-Za-z0-9_.-]+(:\d{1,5})?$/, 'must be "service" or "service:port"'))
        .optional(),
      role: z.literal('ingress', { error: 'must be "ingress"' }).optional(),
      exceptions: exceptionsSchema(now),
    },
    {
      error: (iss) =>
        unknownArgumentsMessage(iss) ??
        (iss.code === 'invalid_type' ? 'must be an object of HardenedContainer arguments' : undefined),
    },
  );
}
