export {
  allowedSyscalls,
  BUILD_ARCHITECTURES,
  type BuildArchitecture,
  type BuildSeccompOptions,
  buildSeccompProfile,
  dockerDefaultProfile,
  dockerDefaultSyscalls,
  mergeSeccompProfiles,
} from './build.js';
export {
  CAPABILITY_GATED,
  type CapabilityGated,
  dangerousAllowances,
  isLearnedProfile,
  LEARNED_MARKER,
  LEARNED_REQUIRES_NNP,
} from './danger.js';
export {
  DOCKER_DEFAULT_RULES,
  DOCKER_DEFAULT_SOURCE,
  type DockerDefaultRule,
  type DockerRuleCondition,
} from './docker-default.js';
export { canonicalSeccompProfile, seccompSecurityOpt, seccompToJson } from './json.js';
export { isKnownSyscall, KNOWN_SYSCALLS } from './syscalls.js';
export {
  CAPABILITIES,
  type Capability,
  DENY_ACTIONS,
  SECCOMP_ACTIONS,
  SECCOMP_ARCHES,
  SECCOMP_OPERATORS,
  type SeccompAction,
  type SeccompArch,
  type SeccompArchMap,
  type SeccompArg,
  type SeccompFilter,
  type SeccompFlag,
  type SeccompIssue,
  type SeccompOperator,
  type SeccompProfile,
  type SeccompSyscall,
} from './types.js';
export { type SeccompValidation, validateSeccompProfile } from './validate.js';
