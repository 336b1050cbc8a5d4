/**
 * `@bulkhead/components`: secure-by-default Pulumi components for Docker. Every default can be
 * weakened only through an exception naming a core rule and a reason, which travels with the
 * resource as a label.
 * @packageDocumentation
 */

/** Argument types of {@link HardenedContainer}. */
export type {
  BindMountArg,
  HardenedContainerArgs,
  HealthcheckArg,
  HostNamespacesArg,
  NamedResource,
  NetworkRef,
  PortArg,
  SeccompArg,
  VolumeArg,
  WritablePath,
} from './container/args.js';
export {
  CONTAINER_DEFAULTS,
  type ComputedContainer,
  type ComputeOptions,
  computeContainerArgs,
  defaultIds,
  type PlainContainerArgs,
} from './container/compute.js';
export { HARDENED_CONTAINER_TYPE, HardenedContainer } from './container/hardened-container.js';
export { type ArgIssue, ComponentArgsError } from './errors.js';
export type { ComponentException } from './exceptions.js';
export {
  type ComputedNetwork,
  computeNetworkArgs,
  type HardenedNetworkArgs,
  ICC_OPTION,
  MASQUERADE_OPTION,
  type Reason,
} from './network/compute.js';
export { HARDENED_NETWORK_TYPE, HardenedNetwork } from './network/hardened-network.js';
export { type Link, parseLinks } from './stack/links.js';
export {
  LINK_ICC_REASON,
  SEGMENTED_STACK_TYPE,
  SegmentedStack,
  type SegmentedStackArgs,
  type ServiceArgs,
} from './stack/segmented-stack.js';
