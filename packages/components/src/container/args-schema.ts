// zod schema of HardenedContainer's arguments, apart from the plain interfaces in args.ts: the
// public declarations must not name zod's types (they would pull zod's own declarations into
// users' programs).
import { isIP } from 'node:net';
import type { Catalog } from '@bulkhead/core';
import type * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { exceptionsSchema, unknownArgumentsMessage, userLabelsSchema } from '../schema.js';
import type { NamedResource } from './args.js';

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
export function containerArgsSchema(now?: () => string, rules?: Catalog) {
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
      exceptions: exceptionsSchema(now, rules),
      catalog: z
        .custom<Catalog>(
          (v) => typeof (v as Catalog | null)?.has === 'function' && Array.isArray((v as Catalog).rules),
          'must be a rule Catalog (buildCatalog from @bulkhead/core)',
        )
        .optional(),
    },
    {
      error: (iss) =>
        unknownArgumentsMessage(iss) ??
        (iss.code === 'invalid_type' ? 'must be an object of HardenedContainer arguments' : undefined),
    },
  );
}
