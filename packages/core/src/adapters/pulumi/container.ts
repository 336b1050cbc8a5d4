/**
 * `docker:index/container:Container` inputs → {@link ContainerSpec}, described as one table: each
 * spec field names its `ContainerArgs` path and its reader. Reading, the translation of a
 * finding's spec path back to `ContainerArgs` (`readOnlyRootfs` → `readOnly`), the list of fields
 * an unreadable container leaves unknown and the components' reverse map all derive from it.
 */
import { type ContainerSpec, newContainerSpec, type SourceInfo } from '../../model/spec.js';
import { cpusToNano, mbToBytes } from '../../model/units.js';
import { isUnknown, UNKNOWN } from '../../model/value.js';
import { type FieldReader, type FieldTable, fieldPathsOf, fieldsOf, tableReader } from '../fields.js';
import {
  bool,
  get,
  guarded,
  linksFromLabels,
  list,
  num,
  obj,
  type ReadContext,
  secretItem,
  secretStr,
  str,
  strList,
  strMap,
} from '../read.js';
import {
  deviceList,
  envList,
  gpusFromRequests,
  healthcheck,
  joinLists,
  labelList,
  mountList,
  networkList,
  portList,
  restart,
  ulimitList,
  volumeList,
} from './items.js';
import { CONTAINER_KINDS, markUnreadable } from './kinds.js';

/** Reads the capabilities object once for `capAdd` and `capDrop`: an unknown one makes both unknown. */
function capList(p: object, key: 'adds' | 'drops', ctx: ReadContext) {
  const caps = obj(get(p, 'capabilities'), ctx);
  if (caps === undefined) return undefined;
  return isUnknown(caps) ? UNKNOWN : strList(get(caps, key), ctx);
}

const plainStr = (path: string): FieldReader<ContainerSpec, never> => ({
  path,
  read: (p, ctx) => str(get(p, path), ctx) as never,
});
const plainBool = (path: string): FieldReader<ContainerSpec, never> => ({
  path,
  read: (p, ctx) => bool(get(p, path), ctx) as never,
});
const plainNum = (path: string): FieldReader<ContainerSpec, never> => ({
  path,
  read: (p, ctx) => num(get(p, path), ctx) as never,
});

/**
 * Every spec field `docker.Container` can set, with its `ContainerArgs` path and reader. Sizes in
 * MB become bytes, `cpus` nano-CPUs, `labels` (`[{label, value}]`) a map. `links` and `ingress`
 * are read from the labels after the table (see {@link readContainer}).
 */
export const PULUMI_CONTAINER_FIELDS: FieldTable<ContainerSpec> = {
  image: { path: 'image', read: (p, ctx) => secretStr(get(p, 'image'), false, ctx) },
  user: plainStr('user'),
  groupAdd: { path: 'groupAdds', read: (p, ctx) => strList(get(p, 'groupAdds'), ctx) },
  privileged: plainBool('privileged'),
  capAdd: { path: 'capabilities.adds', read: (p, ctx) => capList(p, 'adds', ctx) },
  capDrop: { path: 'capabilities.drops', read: (p, ctx) => capList(p, 'drops', ctx) },
  securityOpt: { path: 'securityOpts', read: (p, ctx) => list(get(p, 'securityOpts'), secretItem(ctx), ctx) },
  readOnlyRootfs: plainBool('readOnly'),
  tmpfs: { path: 'tmpfs', read: (p, ctx) => strMap(get(p, 'tmpfs'), ctx) },
  mounts: {
    path: 'mounts',
    items: { volumes: { source: 'hostPath', target: 'containerPath' } },
    read: (p, ctx) =>
      joinLists(volumeList(get(p, 'volumes'), ctx), mountList(get(p, 'mounts'), 'mounts', ctx)),
  },
  networkMode: plainStr('networkMode'),
  networks: {
    path: 'networksAdvanced',
    read: (p, ctx) => networkList(get(p, 'networksAdvanced'), 'networksAdvanced', ctx),
  },
  pidMode: plainStr('pidMode'),
  ipcMode: plainStr('ipcMode'),
  usernsMode: plainStr('usernsMode'),
  cgroupnsMode: plainStr('cgroupnsMode'),
  cgroupParent: plainStr('cgroupParent'),
  memory: { path: 'memory', read: (p, ctx) => mbToBytes(num(get(p, 'memory'), ctx)) },
  memorySwap: { path: 'memorySwap', read: (p, ctx) => mbToBytes(num(get(p, 'memorySwap'), ctx)) },
  nanoCpus: {
    path: 'cpus',
    read(p, ctx) {
      const cpus = get(p, 'cpus');
      if (cpus === undefined || cpus === null) return undefined;
      const c = str(cpus, ctx);
      return c === undefined || isUnknown(c) ? UNKNOWN : (cpusToNano(c) ?? UNKNOWN);
    },
  },
  cpuQuota: plainNum('cpuQuota'),
  cpuPeriod: plainNum('cpuPeriod'),
  cpuShares: plainNum('cpuShares'),
  devices: { path: 'devices', read: (p, ctx) => deviceList(get(p, 'devices'), ctx) },
  deviceCgroupRules: {
    path: 'deviceCgroupRules',
    read: (p, ctx) => strList(get(p, 'deviceCgroupRules'), ctx),
  },
  gpus: {
    path: 'gpus',
    read(p, ctx, source) {
      const gpus = str(get(p, 'gpus'), ctx) ?? gpusFromRequests(get(p, 'deviceRequests'), ctx);
      // Requested through `deviceRequests`: findings point there.
      if (gpus !== undefined && get(p, 'gpus') === undefined)
        source.fieldPaths = { ...source.fieldPaths, gpus: 'deviceRequests' };
      return gpus;
    },
  },
  ports: {
    path: 'ports',
    items: { ports: { containerPort: 'internal', hostPort: 'external', hostIp: 'ip' } },
    read: (p, ctx) => portList(get(p, 'ports'), ctx),
  },
  publishAllPorts: plainBool('publishAllPorts'),
  healthcheck: { path: 'healthcheck.tests', read: (p, ctx) => healthcheck(get(p, 'healthcheck'), ctx) },
  restart: { path: 'restart', read: (p, ctx) => restart(get(p, 'restart'), get(p, 'maxRetryCount'), ctx) },
  sysctls: { path: 'sysctls', read: (p, ctx) => strMap(get(p, 'sysctls'), ctx) },
  ulimits: { path: 'ulimits', read: (p, ctx) => ulimitList(get(p, 'ulimits'), ctx) },
  env: { path: 'envs', read: (p, ctx) => envList(get(p, 'envs'), ctx) },
  logDriver: plainStr('logDriver'),
  logOpts: { path: 'logOpts', read: (p, ctx) => strMap(get(p, 'logOpts'), ctx) },
  init: plainBool('init'),
  runtime: plainStr('runtime'),
  labels: { path: 'labels', read: (p, ctx) => labelList(get(p, 'labels'), ctx) },
  hostname: plainStr('hostname'),
  command: { path: 'command', read: (p, ctx) => list(get(p, 'command'), secretItem(ctx), ctx) },
};

/** Spec field → `ContainerArgs` path. */
export const CONTAINER_PATHS = fieldPathsOf(PULUMI_CONTAINER_FIELDS);

/** `docker.Container` has no PIDs limit input. */
export const CONTAINER_CANNOT: ReadonlySet<keyof ContainerSpec> = Object.freeze(
  new Set<keyof ContainerSpec>(['pidsLimit']),
);

/** The fields a container's inputs can set: the table's, and the two its labels give. */
const CONTAINER_FIELDS: readonly (keyof ContainerSpec)[] = [
  ...fieldsOf(PULUMI_CONTAINER_FIELDS),
  'links',
  'ingress',
];

const readFields = tableReader(PULUMI_CONTAINER_FIELDS);

/** A container about which nothing is known (its inputs were unknown or unreadable). */
export function unknownContainer(source: SourceInfo): ContainerSpec {
  const spec = newContainerSpec(source) as unknown as Record<string, unknown>;
  for (const f of CONTAINER_FIELDS) {
    if (!source.cannotExpress?.has(f)) spec[f] = UNKNOWN;
  }
  return spec as unknown as ContainerSpec;
}

function readContainer(props: unknown, source: SourceInfo, ctx: ReadContext): ContainerSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownContainer(source);
  const spec = newContainerSpec(source);
  markUnreadable(source, p, CONTAINER_KINDS, ctx);
  readFields(spec, p, ctx, source);
  Object.assign(spec, linksFromLabels(spec.labels));
  return spec;
}

/** `docker.Container` inputs → spec; a getter that throws (the policy SDK's proxy) reads a guarded copy. */
export const containerFromProps = guarded(readContainer);
