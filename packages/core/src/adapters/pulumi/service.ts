/**
 * `docker:index/service:Service` (swarm) inputs → {@link ContainerSpec}. The container sits under
 * `taskSpec.containerSpec`; what a service cannot set is listed in `source.cannotExpress`.
 */
import {
  type ContainerSpec,
  type EnvSpec,
  newContainerSpec,
  type PortSpec,
  type RestartSpec,
  type SourceInfo,
} from '../../model/spec.js';
import { isUnknown, UNKNOWN } from '../../model/value.js';
import { type FieldTable, fieldPathsOf, type NoSetting, tableReader } from '../fields.js';
import {
  bool,
  get,
  guarded,
  linksFromLabels,
  list,
  num,
  obj,
  put,
  type ReadContext,
  secretItem,
  secretMap,
  secretStr,
  str,
  strList,
  strMap,
} from '../read.js';
import { unknownContainer } from './container.js';
import {
  healthcheck,
  isSealed,
  joinLists,
  labelList,
  mountList,
  networkList,
  sealedEnv,
  unknownPort,
} from './items.js';
import { markUnreadable, SERVICE_KINDS } from './kinds.js';

/**
 * What a swarm `docker.Service` cannot set at all: no security options (no-new-privileges,
 * seccomp, AppArmor), no pids limit, no ulimits, no `--tmpfs` map (tmpfs mounts only) and no
 * swap limit.
 */
export const SERVICE_CANNOT: ReadonlySet<keyof ContainerSpec> = Object.freeze(
  new Set<keyof ContainerSpec>(['securityOpt', 'pidsLimit', 'ulimits', 'tmpfs', 'memorySwap']),
);

/**
 * What a swarm `docker.Service` has no input for: {@link SERVICE_CANNOT} (but its one security
 * option, SELinux labelling, which the table reads), and what a swarm task cannot ask of the
 * engine at all.
 */
export const SERVICE_NO_SETTING: NoSetting<ContainerSpec> = {
  pidsLimit: 'a swarm service has no pids limit input',
  ulimits: 'a swarm service has no ulimits input',
  tmpfs: 'a swarm service has no `--tmpfs` input (tmpfs mounts only)',
  memorySwap: 'a swarm service has no swap limit input',
  privileged: 'a swarm task cannot be privileged',
  networkMode: 'a swarm task has no network mode (it joins networks)',
  pidMode: 'a swarm task has no PID namespace setting',
  ipcMode: 'a swarm task has no IPC namespace setting',
  utsMode: 'a swarm task has no UTS namespace setting',
  usernsMode: 'a swarm task has no user namespace setting',
  cgroupnsMode: 'a swarm task has no cgroup namespace setting',
  cgroupParent: 'a swarm task has no cgroup parent setting',
  cpuQuota: 'a swarm task has no CPU quota (its limit is nano-CPUs)',
  cpuPeriod: 'a swarm task has no CPU period (its limit is nano-CPUs)',
  cpuShares: 'a swarm task has no CPU shares',
  devices: 'a swarm task cannot map devices',
  deviceCgroupRules: 'a swarm task has no device cgroup rules',
  gpus: 'a swarm task has no GPU requests input',
  publishAllPorts: 'a swarm service has no publish-all-ports input',
  runtime: 'a swarm task has no runtime setting',
};

/** A service's inputs as the table's rows read them: the inputs, the task and its container. */
interface ServiceInput {
  p: Record<string, unknown>;
  task: Record<string, unknown>;
  c: Record<string, unknown>;
  ctx: ReadContext;
}

/** A table row; `V` is what it reads (the table checks it against the spec field). */
interface Row<V> {
  path: string;
  read(i: ServiceInput): V | undefined;
}

/** `taskSpec.containerSpec.<key>`, read by `read` (given its path, for items' origins). */
function inContainer<V>(
  key: string,
  read: (raw: unknown, ctx: ReadContext, at: string, i: ServiceInput) => V | undefined,
): Row<V> {
  const path = `taskSpec.containerSpec.${key}`;
  return { path, read: (i) => read(get(i.c, key), i.ctx, path, i) };
}

/** A member of a `taskSpec` object (`resources.limits`, `logDriver`): unknown when that object is. */
function inTask<V>(
  parents: readonly string[],
  key: string,
  read: (raw: unknown, ctx: ReadContext) => V | undefined,
): Row<V> {
  return {
    path: ['taskSpec', ...parents, key].join('.'),
    read(i) {
      let o: Record<string, unknown> = i.task;
      for (const k of parents) {
        const next = obj(get(o, k), i.ctx);
        if (next === undefined) return undefined;
        if (isUnknown(next)) return UNKNOWN as V;
        o = next;
      }
      return read(get(o, key), i.ctx);
    },
  };
}

/**
 * Every spec field a swarm `docker.Service` can set, with its `ServiceArgs` path and reader.
 * `links` and `ingress` are read from the labels after the table (see {@link readService}).
 */
export const PULUMI_SERVICE_FIELDS: FieldTable<ContainerSpec, [ServiceInput]> = {
  image: inContainer('image', (raw, ctx) => secretStr(raw, false, ctx)),
  user: inContainer('user', str),
  groupAdd: inContainer('groups', strList),
  capAdd: inContainer('capAdds', strList),
  capDrop: inContainer('capDrops', strList),
  // The only security option a service has: SELinux labelling can be switched off.
  securityOpt: inContainer('privileges', (raw, ctx) => {
    const priv = obj(raw, ctx);
    if (priv === undefined) return undefined;
    const se = isUnknown(priv) ? UNKNOWN : obj(get(priv, 'seLinuxContext'), ctx);
    const disable = se === undefined ? undefined : isUnknown(se) ? UNKNOWN : bool(get(se, 'disable'), ctx);
    if (disable === undefined) return undefined;
    return isUnknown(disable) ? [UNKNOWN] : disable ? ['label=disable'] : [];
  }),
  readOnlyRootfs: inContainer('readOnly', bool),
  mounts: inContainer('mounts', (raw, ctx, at) => mountList(raw, at, ctx)),
  networks: {
    path: 'taskSpec.networksAdvanceds',
    read: (i) => networkList(get(i.task, 'networksAdvanceds'), 'taskSpec.networksAdvanceds', i.ctx),
  },
  memory: inTask(['resources', 'limits'], 'memoryBytes', num),
  nanoCpus: inTask(['resources', 'limits'], 'nanoCpus', num),
  ports: {
    path: 'endpointSpec.ports',
    read(i) {
      const endpoint = obj(get(i.p, 'endpointSpec'), i.ctx);
      if (endpoint === undefined || isUnknown(endpoint)) return endpoint;
      return (
        list(
          get(endpoint, 'ports'),
          (raw, _s, n) => {
            const o = obj(raw, i.ctx);
            const origin = `endpointSpec.ports[${n}]`;
            if (o === undefined || isUnknown(o)) return unknownPort(origin);
            const port: PortSpec = { containerPort: num(get(o, 'targetPort'), i.ctx) ?? UNKNOWN, origin };
            put(port, 'hostPort', num(get(o, 'publishedPort'), i.ctx));
            put(port, 'protocol', str(get(o, 'protocol'), i.ctx));
            return port;
          },
          i.ctx,
        ) ?? []
      );
    },
  },
  // Findings point at the test, the part a fix changes.
  healthcheck: {
    ...inContainer('healthcheck', healthcheck),
    path: 'taskSpec.containerSpec.healthcheck.tests',
  },
  restart: {
    path: 'taskSpec.restartPolicy',
    read(i) {
      const rp = obj(get(i.task, 'restartPolicy'), i.ctx);
      if (rp === undefined || isUnknown(rp)) return rp;
      const cond = str(get(rp, 'condition'), i.ctx);
      const r: RestartSpec = {
        policy: cond === undefined ? 'always' : isUnknown(cond) ? UNKNOWN : swarmCondition(cond),
      };
      put(r, 'maxRetries', num(get(rp, 'maxAttempts'), i.ctx));
      return r;
    },
  },
  sysctls: inContainer('sysctl', strMap),
  env: inContainer('env', (raw, ctx, at) => {
    const env = isSealed(raw, ctx) ? undefined : secretMap(raw, ctx);
    if (env === undefined) return raw !== undefined && raw !== null ? [sealedEnv(at)] : undefined;
    return isUnknown(env)
      ? UNKNOWN
      : Object.keys(env)
          .sort()
          .map<EnvSpec>((name) => ({ name, value: env[name] ?? '', origin: `${at}.${name}` }));
  }),
  logDriver: inTask(['logDriver'], 'name', str),
  logOpts: inTask(['logDriver'], 'options', strMap),
  init: inContainer('init', bool),
  // Service-level labels first, container labels win: Bulkhead's labels may sit on either.
  labels: inContainer('labels', (raw, ctx, _at, i) => {
    const svcLabels = labelList(get(i.p, 'labels'), ctx);
    const ctrLabels = labelList(raw, ctx);
    if (svcLabels === undefined && ctrLabels === undefined) return undefined;
    return (svcLabels !== undefined && isUnknown(svcLabels)) ||
      (ctrLabels !== undefined && isUnknown(ctrLabels))
      ? UNKNOWN
      : { ...(svcLabels as object | undefined), ...(ctrLabels as object | undefined) };
  }),
  hostname: inContainer('hostname', str),
  // `commands` then `args`, as the engine runs them.
  command: inContainer('commands', (raw, ctx, _at, i) =>
    joinLists(list(raw, secretItem(ctx), ctx), list(get(i.c, 'args'), secretItem(ctx), ctx)),
  ),
};

/** Spec field → `ServiceArgs` path. */
export const SERVICE_PATHS = fieldPathsOf(PULUMI_SERVICE_FIELDS);
const readFields = tableReader(PULUMI_SERVICE_FIELDS);

function readService(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownContainer(source);
  markUnreadable(source, p, SERVICE_KINDS, ctx);
  const task = obj(get(p, 'taskSpec'), ctx);
  if (task === undefined || isUnknown(task)) return unknownContainer(source);
  const c = obj(get(task, 'containerSpec'), ctx);
  if (c === undefined || isUnknown(c)) return unknownContainer(source);
  const spec = newContainerSpec(source);
  readFields(spec, { p, task, c, ctx });
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
}

/** `docker.Service` inputs → spec; a getter that throws (the policy SDK's proxy) reads a guarded copy. */
export const serviceFromProps = guarded(readService);

function swarmCondition(c: string): string {
  if (c === 'any') return 'always';
  if (c === 'none') return 'no';
  return c;
}
