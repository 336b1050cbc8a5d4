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

/** Spec field → `ServiceArgs` path. */
export const SERVICE_PATHS: Readonly<Record<string, string>> = Object.freeze({
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

/**
 * What a swarm `docker.Service` cannot set at all: no security options (no-new-privileges,
 * seccomp, AppArmor), no pids limit, no ulimits, no `--tmpfs` map (tmpfs mounts only) and no
 * swap limit.
 */
export const SERVICE_CANNOT: ReadonlySet<keyof ContainerSpec> = Object.freeze(
  new Set<keyof ContainerSpec>(['securityOpt', 'pidsLimit', 'ulimits', 'tmpfs', 'memorySwap']),
);

function readService(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownContainer(source);
  markUnreadable(source, p, SERVICE_KINDS, ctx);
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

/** `docker.Service` inputs → spec; a getter that throws (the policy SDK's proxy) reads a guarded copy. */
export const serviceFromProps = guarded(readService);

function swarmCondition(c: string): string {
  if (c === 'any') return 'always';
  if (c === 'none') return 'no';
  return c;
}
