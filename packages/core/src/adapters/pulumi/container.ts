/**
 * `docker:index/container:Container` inputs → {@link ContainerSpec}, described as one table: each
 * spec field names its `ContainerArgs` path and its reader. Reading, the translation of a
 * finding's spec path back to `ContainerArgs` (`readOnlyRootfs` → `readOnly`), the list of fields
 * an unreadable container leaves unknown and the components' reverse map all derive from it.
 */
import { type ContainerSpec, newContainerSpec, type SourceInfo } from '../../model/spec.js';
import { cpusToNano, mbToBytes } from '../../model/units.js';
import { isUnknown, UNKNOWN } from '../../model/value.js';
import {
  type FieldReader,
  type FieldTable,
  fieldPathsOf,
  fieldsOf,
  type NoSetting,
  type Shape,
  tableReader,
} from '../fields.js';
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

/** A row for a value `ContainerArgs` holds unchanged at `path`, read by `read`. */
const plain =
  (read: (raw: unknown, ctx: ReadContext) => unknown, as: Shape = 'value') =>
  (path: string): FieldReader<ContainerSpec, never> => ({
    path,
    as,
    read: (p, ctx) => read(get(p, path), ctx) as never,
  });
const plainStr = plain(str);
const plainBool = plain(bool);
const plainNum = plain(num);
const plainList = plain(strList, 'list');
const plainMap = plain(strMap, 'map');
/** Strings that may each be a secret (`securityOpts`, `command`). */
const plainSecrets = plain((raw, ctx) => list(raw, secretItem(ctx), ctx), 'list');

/**
 * Every spec field `docker.Container` can set, with its `ContainerArgs` path and reader. Sizes in
 * MB become bytes, `cpus` nano-CPUs, `labels` (`[{label, value}]`) a map. `links` and `ingress`
 * are read from the labels after the table (see {@link readContainer}).
 */
export const PULUMI_CONTAINER_FIELDS: FieldTable<ContainerSpec> = {
  image: { path: 'image', as: 'value', read: (p, ctx) => secretStr(get(p, 'image'), false, ctx) },
  user: plainStr('user'),
  groupAdd: plainList('groupAdds'),
  privileged: plainBool('privileged'),
  capAdd: { path: 'capabilities.adds', as: 'list', read: (p, ctx) => capList(p, 'adds', ctx) },
  capDrop: { path: 'capabilities.drops', as: 'list', read: (p, ctx) => capList(p, 'drops', ctx) },
  securityOpt: plainSecrets('securityOpts'),
  readOnlyRootfs: plainBool('readOnly'),
  tmpfs: plainMap('tmpfs'),
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
  deviceCgroupRules: plainList('deviceCgroupRules'),
  gpus: {
    path: 'gpus',
    as: 'value',
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
  sysctls: plainMap('sysctls'),
  ulimits: { path: 'ulimits', read: (p, ctx) => ulimitList(get(p, 'ulimits'), ctx) },
  env: { path: 'envs', read: (p, ctx) => envList(get(p, 'envs'), ctx) },
  logDriver: plainStr('logDriver'),
  logOpts: plainMap('logOpts'),
  init: plainBool('init'),
  runtime: plainStr('runtime'),
  labels: { path: 'labels', read: (p, ctx) => labelList(get(p, 'labels'), ctx) },
  hostname: plainStr('hostname'),
  command: plainSecrets('command'),
};

/** Spec field → `ContainerArgs` path. */
export const CONTAINER_PATHS = fieldPathsOf(PULUMI_CONTAINER_FIELDS);

/** What `docker.Container` has no input for. */
export const CONTAINER_NO_SETTING: NoSetting<ContainerSpec> = {
  pidsLimit: 'Pulumi `docker.Container` has no pids limit input',
  utsMode: 'Pulumi `docker.Container` has no UTS namespace input',
};

/**
 * What `docker.Container` cannot express where a rule needs it set: no PIDs limit (a private UTS
 * namespace, the other field it lacks, is what the engine does anyway).
 */
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
