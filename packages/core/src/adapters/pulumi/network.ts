/** `docker:index/network:Network` inputs → {@link NetworkSpec}. */
import { type NetworkSpec, newNetworkSpec, type SourceInfo } from '../../model/spec.js';
import { isUnknown, UNKNOWN } from '../../model/value.js';
import { bool, get, guarded, obj, put, type ReadContext, str, strMap, unknownNetwork } from '../read.js';
import { labelList } from './items.js';
import { markUnreadable, NETWORK_KINDS } from './kinds.js';

/** Spec field → `NetworkArgs` path: every field keeps its name. */
export const NETWORK_PATHS: Readonly<Record<string, string>> = Object.freeze({});

function readNetwork(props: unknown, source: SourceInfo, ctx: ReadContext): NetworkSpec {
  const p = obj(props, ctx);
  if (p === undefined || isUnknown(p)) return unknownNetwork(source);
  // Without a `name` input the provider auto-names the network at create time.
  const spec = newNetworkSpec(source, str(get(p, 'name'), ctx) ?? UNKNOWN);
  markUnreadable(source, p, NETWORK_KINDS, ctx);
  put(spec, 'driver', str(get(p, 'driver'), ctx));
  put(spec, 'internal', bool(get(p, 'internal'), ctx));
  put(spec, 'attachable', bool(get(p, 'attachable'), ctx));
  put(spec, 'ipv6', bool(get(p, 'ipv6'), ctx));
  put(spec, 'options', strMap(get(p, 'options'), ctx));
  put(spec, 'labels', labelList(get(p, 'labels'), ctx));
  return spec;
}

/** `docker.Network` inputs → spec; a getter that throws (the policy SDK's proxy) reads a guarded copy. */
export const networkFromProps = guarded(readNetwork);
