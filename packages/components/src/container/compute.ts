import {
  type Catalog,
  type ContainerSpec,
  catalog,
  evaluate,
  fromPulumiContainerArgs,
  LABELS,
  PULUMI_TYPES,
  type Report,
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
  writablePaths: Object.freeze({ '/tmp': Object.freeze({ size: '16m' }) }),
  tmpfsSize: '16m',
  tmpfsMode: '0700',
  apparmor: 'docker-default',
  memoryMb: 256,
  cpus: '0.5',
  maxProcesses: 256,
  maxOpenFiles: 1024,
  portIp: '127.0.0.1',
  restartRetries: 3,
  logMaxSize: '10m',
  logMaxFiles: 3,
  healthcheck: Object.freeze({ interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' }),
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
  const a = parsed.data as HardenedContainerArgs;
  const issues: ArgIssue[] = [];
  const D = CONTAINER_DEFAULTS;

  const [uid, gid] = a.user ? (a.user.split(':').map(Number) as [number, number]) : defaultIds(name);
  const exceptions = (a.exceptions ?? []).map((e) => {
    const out: ComponentException = { rule: e.rule, reason: e.reason.trim() };
    if (e.expires) out.expires = e.expires;
    return out;
  });

  /** Docker-argument path → component-argument path, to translate core findings. */
  const origins = new Map<string, string>();
  const ca: PlainContainerArgs = { image: a.image };
  origins.set('image', 'image');

  ca.user = `${uid}:${gid}`;
  origins.set('user', 'user');
  if (a.containerName !== undefined) ca.name = a.containerName;
  if (a.hostname !== undefined) ca.hostname = a.hostname;
  if (a.command) ca.command = a.command;
  if (a.entrypoint) ca.entrypoints = a.entrypoint;
  if (a.workingDir) ca.workingDir = a.workingDir;

  // Environment. Which values are secrets is decided below by core's rules.
  const envKeys: string[] = [];
  if (a.env) {
    const envs: pulumi.Input<string>[] = [];
    for (const [k, v] of Object.entries(a.env)) {
      envKeys.push(k);
      envs.push(typeof v === 'string' ? `${k}=${v}` : pulumi.output(v).apply((x) => `${k}=${x}`));
    }
    ca.envs = envs;
    origins.set('envs', 'env');
  }

  // Privileges.
  ca.privileged = a.privileged ?? false;
  origins.set('privileged', 'privileged');
  const capabilities: { drops: string[]; adds?: string[] } = { drops: ['ALL'] };
  if (a.capAdd && a.capAdd.length > 0) {
    capabilities.adds = a.capAdd.map((c) => c.toUpperCase().replace(/^CAP_/, ''));
    origins.set('capabilities.adds', 'capAdd');
  }
  ca.capabilities = capabilities;
  origins.set('capabilities', 'capAdd');

  const securityOpts: string[] = [];
  if (a.noNewPrivileges ?? true) securityOpts.push('no-new-privileges:true');
  else origins.set('securityOpts', 'noNewPrivileges');
  origins.set(`securityOpts[${securityOpts.length}]`, 'apparmor');
  securityOpts.push(`apparmor=${a.apparmor ?? D.apparmor}`);
  const seccomp = resolveSeccomp(a.seccomp, 'args.seccomp');
  if ('issues' in seccomp) issues.push(...seccomp.issues);
  else {
    origins.set(`securityOpts[${securityOpts.length}]`, 'seccomp');
    securityOpts.push(seccomp.opt);
  }
  ca.securityOpts = securityOpts;
  ca.runtime = a.sandbox === 'gvisor' ? 'runsc' : 'runc';
  origins.set('runtime', 'sandbox');

  // Filesystem.
  ca.readOnly = a.readOnlyRootfs ?? true;
  origins.set('readOnly', 'readOnlyRootfs');
  const writable = a.writablePaths ?? D.writablePaths;
  const tmpfs: Record<string, string> = {};
  for (const [path, w] of Object.entries(writable)) {
    const opts = [`size=${w.size ?? D.tmpfsSize}`];
    if (!w.exec) opts.push('noexec');
    opts.push('nosuid', 'nodev', `uid=${uid}`, `gid=${gid}`, `mode=${w.mode ?? D.tmpfsMode}`);
    tmpfs[path] = opts.join(',');
  }
  if (Object.keys(tmpfs).length > 0) ca.tmpfs = tmpfs;
  origins.set('tmpfs', 'writablePaths');
  const mounts: docker.types.input.ContainerMount[] = [];
  a.volumes?.forEach((v, i) => {
    origins.set(`mounts[${mounts.length}]`, `volumes[${i}]`);
    mounts.push({ type: 'volume', source: v.source, target: v.target, readOnly: v.readOnly ?? false });
  });
  a.bindMounts?.forEach((b, i) => {
    origins.set(`mounts[${mounts.length}]`, `bindMounts[${i}]`);
    mounts.push({ type: 'bind', source: b.hostPath, target: b.target, readOnly: b.readOnly ?? true });
  });
  if (mounts.length > 0) ca.mounts = mounts;

  // Resources.
  const memory = a.memoryMb ?? D.memoryMb;
  ca.memory = memory;
  ca.memorySwap = memory;
  origins.set('memory', 'memoryMb').set('memorySwap', 'memoryMb');
  ca.cpus = a.cpus ?? D.cpus;
  origins.set('cpus', 'cpus');
  const nproc = a.maxProcesses ?? D.maxProcesses;
  const nofile = a.maxOpenFiles ?? D.maxOpenFiles;
  ca.ulimits = [
    { name: 'nofile', soft: nofile, hard: nofile },
    { name: 'nproc', soft: nproc, hard: nproc },
  ];
  origins.set('ulimits[0]', 'maxOpenFiles').set('ulimits[1]', 'maxProcesses').set('ulimits', 'maxProcesses');
  if (a.sysctls && Object.keys(a.sysctls).length > 0) {
    ca.sysctls = { ...a.sysctls };
    origins.set('sysctls', 'sysctls');
  }

  // Namespaces and networks.
  const ns = a.hostNamespaces ?? {};
  const networks = a.networks ?? [];
  if (ns.network) {
    if (networks.length > 0) {
      issues.push({
        path: 'args.hostNamespaces.network',
        message: 'a container on the host network cannot also join networks; drop one of the two',
      });
    }
    ca.networkMode = 'host';
    origins.set('networkMode', 'hostNamespaces.network');
  } else if (networks.length === 0) {
    ca.networkMode = 'none';
    origins.set('networkMode', 'networks');
  } else {
    ca.networksAdvanced = networks.map(networkAttachment);
    origins.set('networksAdvanced', 'networks');
  }
  if (ns.pid) {
    ca.pidMode = 'host';
    origins.set('pidMode', 'hostNamespaces.pid');
  }
  if (ns.ipc) {
    ca.ipcMode = 'host';
    origins.set('ipcMode', 'hostNamespaces.ipc');
  }
  if (ns.userns) {
    ca.usernsMode = 'host';
    origins.set('usernsMode', 'hostNamespaces.userns');
  }
  // Explicit: on cgroup v1 hosts the engine's default cgroup namespace mode is `host`.
  ca.cgroupnsMode = ns.cgroupns ? 'host' : 'private';
  origins.set('cgroupnsMode', 'hostNamespaces.cgroupns');

  if (a.ports && a.ports.length > 0) {
    ca.ports = a.ports.map((p) => {
      const port: docker.types.input.ContainerPort = {
        internal: p.internal,
        ip: p.ip ?? D.portIp,
        protocol: p.protocol ?? 'tcp',
      };
      if (p.external !== undefined) port.external = p.external;
      return port;
    });
    origins.set('ports', 'ports');
    ca.ports.forEach((_, i) => {
      origins
        .set(`ports[${i}].hostIp`, `ports[${i}].ip`)
        .set(`ports[${i}].hostPort`, `ports[${i}].external`)
        .set(`ports[${i}].containerPort`, `ports[${i}].internal`);
    });
  }

  // Lifecycle.
  if (a.healthcheck) {
    const h = a.healthcheck;
    const first = h.test[0]!;
    ca.healthcheck = {
      tests: ['CMD', 'CMD-SHELL', 'NONE'].includes(first) ? h.test : ['CMD', ...h.test],
      interval: h.interval ?? D.healthcheck.interval,
      timeout: h.timeout ?? D.healthcheck.timeout,
      retries: h.retries ?? D.healthcheck.retries,
      startPeriod: h.startPeriod ?? D.healthcheck.startPeriod,
    };
  }
  origins.set('healthcheck', 'healthcheck').set('healthcheck.tests', 'healthcheck.test');
  ca.restart = 'on-failure';
  ca.maxRetryCount = a.restartRetries ?? D.restartRetries;
  origins.set('restart', 'restartRetries').set('maxRetryCount', 'restartRetries');
  ca.logDriver = 'json-file';
  ca.logOpts = {
    'max-size': a.logs?.maxSize ?? D.logMaxSize,
    'max-file': String(a.logs?.maxFiles ?? D.logMaxFiles),
  };
  origins.set('logDriver', 'logs').set('logOpts', 'logs');
  ca.init = true;
  origins.set('init', 'init');

  // Labels: the user's, then Bulkhead's (component, role, links, exceptions).
  const labels: Record<string, string> = { ...a.labels, [LABELS.component]: component };
  if (a.role === 'ingress' || (a.ports?.length ?? 0) > 0) labels[LABELS.role] = 'ingress';
  if (a.links && a.links.length > 0) labels[LABELS.links] = a.links.join(',');
  Object.assign(labels, exceptionLabels(exceptions));
  ca.labels = Object.keys(labels)
    .sort()
    .map((label) => ({ label, value: labels[label]! }));
  origins.set('labels', 'labels');

  if (issues.length > 0) throw new ComponentArgsError(component, name, issues);

  let secretEnvKeys: string[] = [];
  let report = evaluateContainerArgs(name, ca, secretEnvKeys, rules);
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
      report = evaluateContainerArgs(name, ca, secretEnvKeys, rules);
    }
  }
  issues.push(...gate(report, origins, exceptions, true, rules));
  if (issues.length > 0) throw new ComponentArgsError(component, name, issues);
  return { containerArgs: ca, uid, gid, exceptions, secretEnvKeys, report, catalog: rules };
}

/**
 * Checks an image that was an output when the component was built, once its value is known.
 * Returns the issues core's rules find with the image (empty when it is acceptable).
 */
export function checkResolvedImage(name: string, computed: ComputedContainer, image: string): ArgIssue[] {
  const ca = { ...computed.containerArgs, image };
  const report = evaluateContainerArgs(name, ca, computed.secretEnvKeys, computed.catalog);
  const origins = new Map([['image', 'image']]);
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
  ca: PlainContainerArgs,
  secretEnvKeys: readonly string[],
  rules: Catalog = catalog,
): Report {
  return evaluate(
    { containers: [containerSpecFor(name, ca, secretEnvKeys)], networks: [] },
    { profile: 'restricted', catalog: rules },
  );
}

/** Core's `ContainerSpec` for computed container arguments, as the policy pack will see them. */
export function containerSpecFor(
  name: string,
  ca: PlainContainerArgs,
  secretEnvKeys: readonly string[],
): ContainerSpec {
  return fromPulumiContainerArgs(staticView(ca, secretEnvKeys), { name, type: PULUMI_TYPES.container });
}

/** Pulumi's wire encoding of a secret, which core's adapters read as a secret value. */
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

/**
 * The arguments as the adapters will see them once registered: env entries of secret keys are
 * wrapped as secrets; outputs stay outputs (the adapters read them as unknown).
 */
function staticView(ca: PlainContainerArgs, secretEnvKeys: readonly string[]): Record<string, unknown> {
  if (secretEnvKeys.length === 0 || !Array.isArray(ca.envs)) return ca as unknown as Record<string, unknown>;
  const secret = new Set(secretEnvKeys);
  const envs = (ca.envs as unknown[]).map((e) => {
    const key = typeof e === 'string' ? e.slice(0, e.indexOf('=')) : undefined;
    return key !== undefined && secret.has(key) ? { [SIG_KEY]: SECRET_SIG, value: e } : e;
  });
  return { ...ca, envs };
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
    const argPath = translate(f.path, origins);
    const fix = HINTS[argPath.replace(/[.[].*$/, '')] ?? rule.remediation.pulumi;
    issues.push({
      path: `args.${argPath}`,
      message: `${f.message} (rule ${f.ruleId}); ${lowerFirst(trimDot(fix))}, or ${exceptionHint(f.ruleId)}`,
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

function translate(path: string, origins: ReadonlyMap<string, string>): string {
  let best = '';
  for (const k of origins.keys()) {
    if (k.length > best.length && (path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`)))
      best = k;
  }
  if (!best) return path;
  return origins.get(best)! + path.slice(best.length);
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
