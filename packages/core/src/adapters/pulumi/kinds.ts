/**
 * What kind of value each Pulumi input Bulkhead reads must hold, and a check of raw inputs
 * against it. The readers (`read.ts`) turn a value of the wrong kind into UNKNOWN so that they
 * never throw; this check records where that happened (`SourceInfo.unreadable`), so that an
 * unknown finding at such a path fails instead (fail closed): `privileged: "yes"` or
 * `memory: "lots"` is a value Pulumi's docker provider would refuse, not one it has not
 * computed yet. Values Pulumi has not computed (its unknown sentinels, `[secret]` in preview
 * JSON, encrypted secrets) stay unknown.
 * @internal
 */
import type { SourceInfo } from '../../model/spec.js';
import { cpusToNano } from '../../model/units.js';
import { isUnknown } from '../../model/value.js';
import { get, isObject, peel, type ReadContext } from '../read.js';

/** The kinds an input can be declared as. */
type Kind = 'boolean' | 'number' | 'string' | 'strings' | 'mapping' | 'mappings' | 'cpus';

/** What the message says each kind must be. */
const EXPECTED: Readonly<Record<Kind, string>> = {
  boolean: 'a boolean (true or false)',
  number: 'a number',
  string: 'a string',
  strings: 'a list of strings',
  mapping: 'a mapping',
  mappings: 'a list of mappings',
  cpus: 'a number of CPUs as a decimal string ("0.5")',
};

/** Source paths (`a.b`, `list[].field`) of `docker.Container` inputs → kind. */
export const CONTAINER_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  image: 'string',
  user: 'string',
  privileged: 'boolean',
  readOnly: 'boolean',
  init: 'boolean',
  publishAllPorts: 'boolean',
  memory: 'number',
  memorySwap: 'number',
  cpus: 'cpus',
  cpuQuota: 'number',
  cpuPeriod: 'number',
  cpuShares: 'number',
  networkMode: 'string',
  pidMode: 'string',
  ipcMode: 'string',
  usernsMode: 'string',
  cgroupnsMode: 'string',
  cgroupParent: 'string',
  logDriver: 'string',
  runtime: 'string',
  restart: 'string',
  maxRetryCount: 'number',
  capabilities: 'mapping',
  'capabilities.adds': 'strings',
  'capabilities.drops': 'strings',
  groupAdds: 'strings',
  securityOpts: 'strings',
  deviceCgroupRules: 'strings',
  envs: 'strings',
  command: 'strings',
  tmpfs: 'mapping',
  sysctls: 'mapping',
  logOpts: 'mapping',
  healthcheck: 'mapping',
  'healthcheck.tests': 'strings',
  labels: 'mappings',
  ports: 'mappings',
  'ports[].internal': 'number',
  'ports[].external': 'number',
  'ports[].ip': 'string',
  volumes: 'mappings',
  'volumes[].hostPath': 'string',
  'volumes[].containerPath': 'string',
  'volumes[].readOnly': 'boolean',
  mounts: 'mappings',
  'mounts[].type': 'string',
  'mounts[].source': 'string',
  'mounts[].target': 'string',
  'mounts[].readOnly': 'boolean',
  devices: 'mappings',
  'devices[].hostPath': 'string',
  networksAdvanced: 'mappings',
  ulimits: 'mappings',
  'ulimits[].soft': 'number',
  'ulimits[].hard': 'number',
});

/** Source paths of `docker.Service` inputs → kind. */
export const SERVICE_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  taskSpec: 'mapping',
  'taskSpec.containerSpec': 'mapping',
  'taskSpec.containerSpec.image': 'string',
  'taskSpec.containerSpec.user': 'string',
  'taskSpec.containerSpec.readOnly': 'boolean',
  'taskSpec.containerSpec.init': 'boolean',
  'taskSpec.containerSpec.groups': 'strings',
  'taskSpec.containerSpec.capAdds': 'strings',
  'taskSpec.containerSpec.capDrops': 'strings',
  'taskSpec.containerSpec.env': 'mapping',
  'taskSpec.containerSpec.sysctl': 'mapping',
  'taskSpec.containerSpec.mounts': 'mappings',
  'taskSpec.resources.limits.memoryBytes': 'number',
  'taskSpec.resources.limits.nanoCpus': 'number',
  'endpointSpec.ports': 'mappings',
});

/** Source paths of `docker.Network` inputs → kind. */
export const NETWORK_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  name: 'string',
  driver: 'string',
  internal: 'boolean',
  attachable: 'boolean',
  ipv6: 'boolean',
  options: 'mapping',
  labels: 'mappings',
});

/** Absent, or a value Pulumi has not computed: nothing to check. */
const SKIP = Symbol('skip');

function peeled(raw: unknown, ctx: ReadContext): unknown {
  if (raw === undefined || raw === null) return SKIP;
  const { v } = peel(raw, false, ctx);
  return v === undefined || v === null || isUnknown(v) ? SKIP : v;
}

function fits(v: unknown, kind: Kind, ctx: ReadContext): boolean {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'string':
      return typeof v === 'string';
    case 'cpus':
      return typeof v === 'string' && !isUnknown(cpusToNano(v));
    case 'mapping':
      return isObject(v);
    case 'strings':
      return Array.isArray(v) && v.every((x) => ((y) => y === SKIP || typeof y === 'string')(peeled(x, ctx)));
    case 'mappings':
      return Array.isArray(v) && v.every((x) => ((y) => y === SKIP || isObject(y))(peeled(x, ctx)));
  }
}

function visit(
  node: unknown,
  segments: readonly string[],
  prefix: string,
  kind: Kind,
  out: Map<string, string>,
  ctx: ReadContext,
): void {
  const [head, ...rest] = segments as [string, ...string[]];
  const each = head.endsWith('[]');
  const name = each ? head.slice(0, -2) : head;
  const at = prefix ? `${prefix}.${name}` : name;
  const v = peeled(get(node, name), ctx);
  if (v === SKIP) return;
  if (rest.length === 0) {
    if (!fits(v, kind, ctx)) out.set(at, EXPECTED[kind]);
    return;
  }
  if (!each) {
    if (isObject(v)) visit(v, rest, at, kind, out, ctx);
    return;
  }
  if (!Array.isArray(v)) return;
  v.forEach((item, i) => {
    const x = peeled(item, ctx);
    if (isObject(x)) visit(x, rest, `${at}[${i}]`, kind, out, ctx);
  });
}

/**
 * The inputs of `props` that are present, computed and not of their declared kind, by source
 * path (`privileged`, `ports[2].internal`) → what they must be; `undefined` when there is none.
 */
export function unreadableInputs(
  props: unknown,
  kinds: Readonly<Record<string, Kind>>,
  ctx: ReadContext,
): ReadonlyMap<string, string> | undefined {
  const out = new Map<string, string>();
  for (const [p, kind] of Object.entries(kinds)) visit(props, p.split('.'), '', kind, out, ctx);
  return out.size > 0 ? out : undefined;
}

/** Records on `source` the inputs present but not of their kind: their findings fail. */
export function markUnreadable(
  source: SourceInfo,
  props: unknown,
  kinds: Readonly<Record<string, Kind>>,
  ctx: ReadContext,
): void {
  const unreadable = unreadableInputs(props, kinds, ctx);
  if (unreadable) source.unreadable = unreadable;
}
