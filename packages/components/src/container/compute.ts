import {
  type Catalog,
  type ContainerSpec,
  catalog,
  describeFinding,
  evaluate,
  type Finding,
  fromPulumiContainerArgs,
  LABELS,
  PULUMI_TYPES,
  type Report,
  SECURE,
} from '@bulkhead/core';
import type * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { type ArgIssue, ComponentArgsError } from '../errors.js';
import { type ComponentException, exceptionHint, exceptionLabels } from '../exceptions.js';
import { zodIssues } from '../schema.js';
import { resolveSeccomp } from '../seccomp.js';
import type { HardenedContainerArgs, NamedResource, NetworkRef } from './args.js';
import { containerArgsSchema } from './args-schema.js';

/** The component type name, as written to the `dev.bulkhead.component` label. */
export const CONTAINER_COMPONENT = 'HardenedContainer';

/** Secure defaults of {@link HardenedContainer}; every one can be overridden per argument. */
export const CONTAINER_DEFAULTS = Object.freeze({
  writablePaths: Object.freeze({ [SECURE.tmpfsPath]: Object.freeze({ size: SECURE.tmpfsSize }) }),
  tmpfsSize: SECURE.tmpfsSize,
  tmpfsMode: SECURE.tmpfsMode,
  apparmor: SECURE.apparmor,
  memoryMb: SECURE.memoryMb,
  cpus: SECURE.cpus,
  maxProcesses: SECURE.maxProcesses,
  maxOpenFiles: SECURE.maxOpenFiles,
  portIp: SECURE.portIp,
  restartRetries: SECURE.restartRetries,
  logMaxSize: SECURE.logMaxSize,
  logMaxFiles: SECURE.logMaxFiles,
  healthcheck: SECURE.healthcheck,
  /** Range of the per-container uid derived from the name when `user` is not given. */
  uidRange: Object.freeze({ min: 20000, size: 40000 }),
});

/**
 * `docker.ContainerArgs` as plain data: every value is known except the pass-through inputs the
 * caller gave (an image output, secret env values, network names of resources).
 */
export type PlainContainerArgs = docker.ContainerArgs;

/** What {@link computeContainerArgs} returns. */
export interface ComputedContainer {
  /** The arguments for the one `docker.Container`. */
  containerArgs: PlainContainerArgs;
  /** The numeric uid and gid the container runs as. */
  uid: number;
  gid: number;
  /** The validated exceptions (recorded as labels in `containerArgs.labels`). */
  exceptions: ComponentException[];
  /** Env keys whose values are treated as secrets (the container's `envs` is then secret as a whole). */
  secretEnvKeys: string[];
  /** Core's report for these arguments under the `restricted` profile. */
  report: Report;
  /** The catalog it was judged with. */
  catalog: Catalog;
}

/** Options of {@link computeContainerArgs}. */
export interface ComputeOptions {
  /** Today as YYYY-MM-DD, for exception expiry. Default: the current UTC date. */
  today?: () => string;
  /** Component type for error messages. Default `HardenedContainer`. */
  component?: string;
}

/**
 * Computes the `docker.ContainerArgs` of a hardened container, without Pulumi: validates `args`
 * with zod, applies the secure defaults, evaluates the result with core's catalog (`restricted`),
 * and throws one {@link ComponentArgsError} if anything is invalid or weakens a control without
 * an exception for its rule.
 *
 * @param name the component's resource name (also seeds the default per-container uid)
 * @throws {@link ComponentArgsError} naming each argument path and its fix
 */
export function computeContainerArgs(
  name: string,
  args: HardenedContainerArgs,
  options: ComputeOptions = {},
): ComputedContainer {
  const component = options.component ?? CONTAINER_COMPONENT;
  const rules = args?.catalog ?? catalog;
  const parsed = containerArgsSchema(options.today, rules).safeParse(args);
  if (!parsed.success) throw new ComponentArgsError(component, name, zodIssues(parsed.error, 'args'));
  const given = parsed.data as HardenedContainerArgs;
  const issues: ArgIssue[] = [];

  const [uid, gid] = given.user ? (given.user.split(':').map(Number) as [number, number]) : defaultIds(name);
  const exceptions = (given.exceptions ?? []).map((e) => {
    const out: ComponentException = { rule: e.rule, reason: e.reason.trim() };
    if (e.expires) out.expires = e.expires;
    return out;
  });

  /**
   * Spec path → component-argument path for what depends on the arguments (which list item came
   * from which argument); the fixed part is {@link SPEC_TO_ARG}.
   */
  const origins = new Map<string, string>();
  const dockerArgs: PlainContainerArgs = { image: given.image };

  dockerArgs.user = `${uid}:${gid}`;
  if (given.containerName !== undefined) dockerArgs.name = given.containerName;
  if (given.hostname !== undefined) dockerArgs.hostname = given.hostname;
  if (given.command) dockerArgs.command = given.command;
  if (given.entrypoint) dockerArgs.entrypoints = given.entrypoint;
  if (given.workingDir) dockerArgs.workingDir = given.workingDir;

  // Environment. Which values are secrets is decided below by core's rules.
  const envKeys: string[] = [];
  if (given.env) {
    const envs: pulumi.Input<string>[] = [];
    for (const [k, v] of Object.entries(given.env)) {
      envKeys.push(k);
      envs.push(typeof v === 'string' ? `${k}=${v}` : pulumi.output(v).apply((x) => `${k}=${x}`));
    }
    dockerArgs.envs = envs;
  }

  // Privileges.
  dockerArgs.privileged = given.privileged ?? false;
  const capabilities: { drops: string[]; adds?: string[] } = { drops: [SECURE.capDrop] };
  if (given.capAdd && given.capAdd.length > 0) {
    capabilities.adds = given.capAdd.map((c) => c.toUpperCase().replace(/^CAP_/, ''));
  }
  dockerArgs.capabilities = capabilities;

  const securityOpts: string[] = [];
  if (given.noNewPrivileges ?? true) securityOpts.push(SECURE.noNewPrivileges);
  else origins.set('securityOpt', 'noNewPrivileges');
  origins.set(`securityOpt[${securityOpts.length}]`, 'apparmor');
  securityOpts.push(`apparmor=${given.apparmor ?? CONTAINER_DEFAULTS.apparmor}`);
  const seccomp = resolveSeccomp(given.seccomp, 'args.seccomp');
  if ('issues' in seccomp) issues.push(...seccomp.issues);
  else {
    origins.set(`securityOpt[${securityOpts.length}]`, 'seccomp');
    securityOpts.push(seccomp.opt);
  }
  dockerArgs.securityOpts = securityOpts;
  dockerArgs.runtime = given.sandbox === 'gvisor' ? 'runsc' : 'runc';

  // Filesystem.
  dockerArgs.readOnly = given.readOnlyRootfs ?? true;
  const writable = given.writablePaths ?? CONTAINER_DEFAULTS.writablePaths;
  const tmpfs: Record<string, string> = {};
  for (const [path, w] of Object.entries(writable)) {
    const opts = [`size=${w.size ?? CONTAINER_DEFAULTS.tmpfsSize}`];
    if (!w.exec) opts.push('noexec');
    opts.push(
      'nosuid',
      'nodev',
      `uid=${uid}`,
      `gid=${gid}`,
      `mode=${w.mode ?? CONTAINER_DEFAULTS.tmpfsMode}`,
    );
    tmpfs[path] = opts.join(',');
  }
  if (Object.keys(tmpfs).length > 0) dockerArgs.tmpfs = tmpfs;
  const mounts: docker.types.input.ContainerMount[] = [];
  given.volumes?.forEach((v, i) => {
    origins.set(`mounts[${mounts.length}]`, `volumes[${i}]`);
    mounts.push({ type: 'volume', source: v.source, target: v.target, readOnly: v.readOnly ?? false });
  });
  given.bindMounts?.forEach((b, i) => {
    origins.set(`mounts[${mounts.length}]`, `bindMounts[${i}]`);
    mounts.push({ type: 'bind', source: b.hostPath, target: b.target, readOnly: b.readOnly ?? true });
  });
  if (mounts.length > 0) dockerArgs.mounts = mounts;

  // Resources.
  const memory = given.memoryMb ?? CONTAINER_DEFAULTS.memoryMb;
  dockerArgs.memory = memory;
  dockerArgs.memorySwap = memory;
  dockerArgs.cpus = given.cpus ?? CONTAINER_DEFAULTS.cpus;
  const nproc = given.maxProcesses ?? CONTAINER_DEFAULTS.maxProcesses;
  const nofile = given.maxOpenFiles ?? CONTAINER_DEFAULTS.maxOpenFiles;
  dockerArgs.ulimits = [
    { name: 'nofile', soft: nofile, hard: nofile },
    { name: 'nproc', soft: nproc, hard: nproc },
  ];
  origins.set('ulimits[0]', 'maxOpenFiles').set('ulimits[1]', 'maxProcesses');
  if (given.sysctls && Object.keys(given.sysctls).length > 0) {
    dockerArgs.sysctls = { ...given.sysctls };
  }

  // Namespaces and networks.
  const ns = given.hostNamespaces ?? {};
  const networks = given.networks ?? [];
  if (ns.network) {
    if (networks.length > 0) {
      issues.push({
        path: 'args.hostNamespaces.network',
        message: 'a container on the host network cannot also join networks; drop one of the two',
      });
    }
    dockerArgs.networkMode = 'host';
    origins.set('networkMode', 'hostNamespaces.network');
  } else if (networks.length === 0) {
    dockerArgs.networkMode = 'none';
    origins.set('networkMode', 'networks');
  } else {
    dockerArgs.networksAdvanced = networks.map(networkAttachment);
  }
  if (ns.pid) {
    dockerArgs.pidMode = 'host';
  }
  if (ns.ipc) {
    dockerArgs.ipcMode = 'host';
  }
  if (ns.userns) {
    dockerArgs.usernsMode = 'host';
  }
  // Explicit: on cgroup v1 hosts the engine's default cgroup namespace mode is `host`.
  dockerArgs.cgroupnsMode = ns.cgroupns ? 'host' : 'private';

  if (given.ports && given.ports.length > 0) {
    dockerArgs.ports = given.ports.map((p) => {
      const port: docker.types.input.ContainerPort = {
        internal: p.internal,
        ip: p.ip ?? CONTAINER_DEFAULTS.portIp,
        protocol: p.protocol ?? 'tcp',
      };
      if (p.external !== undefined) port.external = p.external;
      return port;
    });
  }

  // Lifecycle.
  if (given.healthcheck) {
    const h = given.healthcheck;
    const first = h.test[0]!;
    dockerArgs.healthcheck = {
      tests: ['CMD', 'CMD-SHELL', 'NONE'].includes(first) ? h.test : ['CMD', ...h.test],
      interval: h.interval ?? CONTAINER_DEFAULTS.healthcheck.interval,
      timeout: h.timeout ?? CONTAINER_DEFAULTS.healthcheck.timeout,
      retries: h.retries ?? CONTAINER_DEFAULTS.healthcheck.retries,
      startPeriod: h.startPeriod ?? CONTAINER_DEFAULTS.healthcheck.startPeriod,
    };
  }
  dockerArgs.restart = SECURE.restartPolicy;
  dockerArgs.maxRetryCount = given.restartRetries ?? CONTAINER_DEFAULTS.restartRetries;
  dockerArgs.logDriver = SECURE.logDriver;
  dockerArgs.logOpts = {
    'max-size': given.logs?.maxSize ?? CONTAINER_DEFAULTS.logMaxSize,
    'max-file': String(given.logs?.maxFiles ?? CONTAINER_DEFAULTS.logMaxFiles),
  };
  dockerArgs.init = true;

  // Labels: the user's, then Bulkhead's (component, role, links, exceptions).
  const labels: Record<string, string> = { ...given.labels, [LABELS.component]: component };
  if (given.role === 'ingress' || (given.ports?.length ?? 0) > 0) labels[LABELS.role] = 'ingress';
  if (given.links && given.links.length > 0) labels[LABELS.links] = given.links.join(',');
  Object.assign(labels, exceptionLabels(exceptions));
  dockerArgs.labels = Object.keys(labels)
    .sort()
    .map((label) => ({ label, value: labels[label]! }));

  if (issues.length > 0) throw new ComponentArgsError(component, name, issues);

  let secretEnvKeys: string[] = [];
  let report = evaluateContainerArgs(name, dockerArgs, secretEnvKeys, rules);
  if (envKeys.length > 0) {
    // Every env entry core's rules flag (a secret-looking name, a credential-shaped value, or an
    // unknown value under a secret-looking name) is passed as a Pulumi secret instead.
    const flagged = new Set<number>();
    for (const f of report.findings) {
      const m = /^env\[(\d+)\]/.exec(f.specPath);
      if (m) flagged.add(Number(m[1]));
    }
    if (flagged.size > 0) {
      secretEnvKeys = envKeys.filter((_, i) => flagged.has(i));
      report = evaluateContainerArgs(name, dockerArgs, secretEnvKeys, rules);
    }
  }
  issues.push(...gate(report, origins, exceptions, true, rules));
  if (issues.length > 0) throw new ComponentArgsError(component, name, issues);
  return { containerArgs: dockerArgs, uid, gid, exceptions, secretEnvKeys, report, catalog: rules };
}

/**
 * Checks an image that was an output when the component was built, once its value is known.
 * Returns the issues core's rules find with the image (empty when it is acceptable).
 */
export function checkResolvedImage(name: string, computed: ComputedContainer, image: string): ArgIssue[] {
  const dockerArgs = { ...computed.containerArgs, image };
  const report = evaluateContainerArgs(name, dockerArgs, computed.secretEnvKeys, computed.catalog);
  const origins = new Map<string, string>();
  return gate(
    { ...report, findings: report.findings.filter((f) => f.specPath.startsWith('image')) },
    origins,
    computed.exceptions,
    false,
    computed.catalog,
  );
}

/** Core's report for computed container arguments under `restricted`. */
export function evaluateContainerArgs(
  name: string,
  dockerArgs: PlainContainerArgs,
  secretEnvKeys: readonly string[],
  rules: Catalog = catalog,
): Report {
  return evaluate(
    { containers: [containerSpecFor(name, dockerArgs, secretEnvKeys)], networks: [] },
    { profile: 'restricted', catalog: rules },
  );
}

/** Core's `ContainerSpec` for computed container arguments, as the policy pack will see them. */
export function containerSpecFor(
  name: string,
  dockerArgs: PlainContainerArgs,
  secretEnvKeys: readonly string[],
): ContainerSpec {
  return fromPulumiContainerArgs(staticView(dockerArgs, secretEnvKeys), {
    name,
    type: PULUMI_TYPES.container,
  });
}

/** Pulumi's wire encoding of a secret, which core's adapters read as a secret value. */
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

/**
 * The arguments as the adapters will see them once registered: env entries of secret keys are
 * wrapped as secrets; outputs stay outputs (the adapters read them as unknown).
 */
function staticView(
  dockerArgs: PlainContainerArgs,
  secretEnvKeys: readonly string[],
): Record<string, unknown> {
  if (secretEnvKeys.length === 0 || !Array.isArray(dockerArgs.envs))
    return dockerArgs as unknown as Record<string, unknown>;
  const secret = new Set(secretEnvKeys);
  const envs = (dockerArgs.envs as unknown[]).map((e) => {
    const key = typeof e === 'string' ? e.slice(0, e.indexOf('=')) : undefined;
    return key !== undefined && secret.has(key) ? { [SIG_KEY]: SECRET_SIG, value: e } : e;
  });
  return { ...dockerArgs, envs };
}

/**
 * Turns failing container findings into argument issues, and flags exceptions that exempt
 * nothing (a label claiming an accepted risk that is not taken would mislead every reader).
 */
function gate(
  report: Report,
  origins: ReadonlyMap<string, string>,
  exceptions: readonly ComponentException[],
  checkUnused = true,
  rules: Catalog = catalog,
): ArgIssue[] {
  const issues: ArgIssue[] = [];
  const touched = new Set<string>();
  for (const f of report.findings) {
    touched.add(f.ruleId);
    const rule = rules.get(f.ruleId);
    if (!(f.status === 'fail' || f.status === 'error') || rule?.scope !== 'container') continue;
    const argPath = translate(f, origins);
    const d = describeFinding(f, rule);
    const fix = HINTS[argPath.replace(/[.[].*$/, '')] ?? d.fix ?? '';
    issues.push({
      path: `args.${argPath}`,
      message: `${d.what} (rule ${f.ruleId}); ${lowerFirst(trimDot(fix))}, or ${exceptionHint(f.ruleId)}`,
    });
  }
  if (checkUnused) {
    exceptions.forEach((e, i) => {
      const rule = rules.get(e.rule);
      if (rule?.scope === 'container' && !touched.has(e.rule)) {
        issues.push({
          path: `args.exceptions[${i}]`,
          message: `nothing in these arguments weakens rule ${e.rule}; remove the exception so the label does not claim an accepted risk`,
        });
      }
    });
  }
  return issues.sort((x, y) => x.path.localeCompare(y.path));
}

/** Fixes phrased for this component's arguments, by argument name. */
const HINTS: Readonly<Record<string, string>> = {
  user: 'use a numeric non-root uid:gid such as "10001:10001"',
  image: 'pin the image by digest, "name@sha256:<64 hex>" (for example RemoteImage.repoDigest)',
  capAdd: 'remove the capability from capAdd',
  privileged: 'remove privileged: true and add only the capabilities the workload needs to capAdd',
  noNewPrivileges: 'remove noNewPrivileges: false',
  readOnlyRootfs: 'keep the root filesystem read-only and list writable directories in writablePaths',
  writablePaths: 'keep the writablePaths defaults (size-limited, noexec)',
  seccomp: 'omit seccomp for the default profile, or pass { add, remove } or a learned { profile }',
  apparmor: 'omit apparmor for "docker-default", or name a custom profile',
  hostNamespaces: 'remove the host namespace from hostNamespaces',
  bindMounts: 'use a named volume or a narrower host path',
  ports: 'bind the port to 127.0.0.1 or one specific interface',
  networks: 'join user-defined networks only (for example HardenedNetwork)',
  sandbox: 'omit sandbox or use "gvisor"',
  restartRetries: 'use at most a few restart retries',
  healthcheck: 'pass healthcheck: { test: ["CMD", "/app/healthz"] } (a command the image can run)',
};

/**
 * Spec field → component argument where the argument is not the `ContainerArgs` path core's
 * Pulumi table gives: the component names `readOnlyRootfs` and `memoryMb` as core's spec does or
 * in its own words, and keeps the provider's names elsewhere (`ports[0].ip`, `privileged`).
 */
const SPEC_TO_ARG: Readonly<Record<string, string>> = {
  env: 'env',
  capAdd: 'capAdd',
  capDrop: 'capAdd',
  runtime: 'sandbox',
  readOnlyRootfs: 'readOnlyRootfs',
  tmpfs: 'writablePaths',
  memory: 'memoryMb',
  memorySwap: 'memoryMb',
  nanoCpus: 'cpus',
  ulimits: 'maxProcesses',
  networks: 'networks',
  pidMode: 'hostNamespaces.pid',
  ipcMode: 'hostNamespaces.ipc',
  usernsMode: 'hostNamespaces.userns',
  cgroupnsMode: 'hostNamespaces.cgroupns',
  healthcheck: 'healthcheck.test',
  restart: 'restartRetries',
  logDriver: 'logs',
  logOpts: 'logs',
};

/**
 * A finding's component-argument path: its spec path through `origins` (per-call) and
 * {@link SPEC_TO_ARG}, longest prefix first; else the `ContainerArgs` path core gives (which is
 * the argument's name where the component keeps the provider's).
 */
function translate(f: Finding, origins: ReadonlyMap<string, string>): string {
  const path = f.specPath;
  let best = '';
  let arg: string | undefined;
  const consider = (k: string, v: string) => {
    if (k.length > best.length && (path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`))) {
      best = k;
      arg = v;
    }
  };
  for (const [k, v] of origins) consider(k, v);
  for (const k of Object.keys(SPEC_TO_ARG)) consider(k, SPEC_TO_ARG[k]!);
  return arg === undefined ? f.path : arg + path.slice(best.length);
}

const trimDot = (s: string) => s.replace(/\.\s*$/, '');
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

function networkAttachment(ref: NetworkRef): docker.types.input.ContainerNetworksAdvanced {
  if (typeof ref === 'object' && ref !== null && 'network' in ref) {
    const out: docker.types.input.ContainerNetworksAdvanced = { name: networkName(ref.network) };
    if (ref.aliases && ref.aliases.length > 0) out.aliases = ref.aliases;
    return out;
  }
  return { name: networkName(ref) };
}

function networkName(ref: pulumi.Input<string> | NamedResource): pulumi.Input<string> {
  if (typeof ref === 'object' && ref !== null && (ref as { __pulumiResource?: unknown }).__pulumiResource) {
    return (ref as NamedResource).name;
  }
  return ref as pulumi.Input<string>;
}

/** FNV-1a: a stable per-name uid, so the per-uid nproc limit is per container. */
export function defaultIds(name: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const id = CONTAINER_DEFAULTS.uidRange.min + (h % CONTAINER_DEFAULTS.uidRange.size);
  return [id, id];
}
