/**
 * `@bulkhead/policy-harness`: start a Pulumi policy pack the way the Pulumi engine does and speak
 * the analyzer gRPC protocol to it, so packs can be tested for real without the Pulumi CLI.
 *
 * ```ts
 * await using pack = await startPolicyPack('policy-packs/my-pack', { config: { all: 'mandatory' } });
 * const violations = await pack.analyze({
 *   type: 'docker:index/container:Container',
 *   name: 'web',
 *   properties: { image: 'nginx', envs: [secret('TOKEN=x')], networkMode: unknown() },
 * });
 * ```
 * @packageDocumentation
 */
export { PolicyConfigError, type ReconciledPolicyConfig, reconcileConfig } from './config.js';
export {
  PolicyPackHandle,
  PolicyPackRpcError,
  PolicyPackStartError,
  type StartOptions,
  startPolicyPack,
  withPolicyPack,
} from './pack.js';
export type * from './types.js';
export { makeUrn, STACK_TYPE, stackUrn } from './urn.js';
export {
  decodeValue,
  encodeValue,
  isSecretValue,
  isUnknownValue,
  SECRET_SIG,
  SecretValue,
  SPECIAL_SIG_KEY,
  secret,
  UNKNOWN_SENTINEL,
  UnknownValue,
  unknown,
} from './values.js';
