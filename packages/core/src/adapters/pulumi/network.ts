/** `docker:index/network:Network` inputs → {@link NetworkSpec}. */
import { type NetworkSpec, newNetworkSpec, type SourceInfo } from '../../model/spec.js';
import { isUnknown, UNKNOWN } from '../../model/value.js';
import { type FieldTable, fieldPathsOf, tableReader } from '../fields.js';
import { bool, get, guarded, obj, type ReadContext, str, strMap, unknownNetwork } from '../read.js';
import { labelList } from './items.js';
import { markUnreadable, NETWORK_KINDS } from './kinds.js';

/** Every spec field `docker.Network` can set (its `name` is read first), with its reader. */
export const PULUMI_NETWORK_FIELDS: FieldTable<NetworkSpec> = {
  driver: { path: 'driver', as: 'value', read: (p, ctx) => str(get(p, 'driver'), ctx) },
  internal: { path: 'internal', as: 'value', read: (p, ctx) => bool(get(p, 'internal'), ctx) },
  attachable: { path: 'attachable', as: 'value', read: (p, ctx) => bool(get(p, 'attachable'), ctx) },
  ipv6: { path: 'ipv6', as: 'value', read: (p, ctx) => bool(get(p, 'ipv6'), ctx) },
  options: { path: 'options', as: 'map', read: (p, ctx) => strMap(get(p, 'options'), ctx) },
  labels: { path: 'labels', read: (p, ctx) => labelList(get(p, 'labels'), ctx) },
};

/** Spec field → `NetworkArgs` path: every field keeps its name. */
export const NETWORK_PATHS = fieldPathsOf(PULUMI_NETWORK_FIELDS);
const readFields = tableReader(PULUMI_NETWORK_FIELDS);

function readNetwork(props: unknown, source: SourceInfo, ctx: ReadContext): NetworkSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownNetwork(source);
  // Without a `name` input the provider auto-names the network at create time.
  const spec = newNetworkSpec(source, str(get(p, 'name'), ctx) ?? UNKNOWN);
  markUnreadable(source, p, NETWORK_KINDS, ctx);
  readFields(spec, p, ctx, source);
  return spec;
}

/** `docker.Network` inputs → spec; a getter that throws (the policy SDK's proxy) reads a guarded copy. */
export const networkFromProps = guarded(readNetwork);
