import { apparmorNotUnconfined } from './apparmor-not-unconfined.js';
import { backendOnInternalNetwork } from './backend-on-internal-network.js';
import { bindMountsReadOnly } from './bind-mounts-read-only.js';
import { boundedLogs } from './bounded-logs.js';
import { boundedRestarts } from './bounded-restarts.js';
import { capabilityAllowlist } from './capability-allowlist.js';
import { cpuLimit } from './cpu-limit.js';
import { dropAllCapabilities } from './drop-all-capabilities.js';
import { exemptionLabelsValid } from './exemption-labels-valid.js';
import { healthcheck } from './healthcheck.js';
import { imageDigestPinned } from './image-digest-pinned.js';
import { initProcess } from './init-process.js';
import { isolatedNetwork } from './isolated-network.js';
import { memoryLimit } from './memory-limit.js';
import { networkIccDisabled } from './network-icc-disabled.js';
import { networkInternal } from './network-internal.js';
import { noCgroupParent } from './no-cgroup-parent.js';
import { noCriticalCapabilities } from './no-critical-capabilities.js';
import { noDockerSocket } from './no-docker-socket.js';
import { noHostCgroupns } from './no-host-cgroupns.js';
import { noHostDevices } from './no-host-devices.js';
import { noHostIpc } from './no-host-ipc.js';
import { noHostNetwork } from './no-host-network.js';
import { noHostPid } from './no-host-pid.js';
import { noHostUserns } from './no-host-userns.js';
import { noHostUts } from './no-host-uts.js';
import { noNetRaw } from './no-net-raw.js';
import { noNewPrivileges } from './no-new-privileges.js';
import { noPrivileged } from './no-privileged.js';
import { noPrivilegedGroups } from './no-privileged-groups.js';
import { noPrivilegedPorts } from './no-privileged-ports.js';
import { noSecretsInEnv } from './no-secrets-in-env.js';
import { noSensitiveMounts } from './no-sensitive-mounts.js';
import { noSharedPropagation } from './no-shared-propagation.js';
import { noUnmaskedPaths } from './no-unmasked-paths.js';
import { nonRootUser } from './non-root-user.js';
import { numericUser } from './numeric-user.js';
import { pidsLimit } from './pids-limit.js';
import { portsBoundToInterface } from './ports-bound-to-interface.js';
import { portsOnlyOnIngress } from './ports-only-on-ingress.js';
import { readOnlyRootfs } from './read-only-rootfs.js';
import { runtimeAllowlist } from './runtime-allowlist.js';
import { safeSysctls } from './safe-sysctls.js';
import { seccompNotUnconfined } from './seccomp-not-unconfined.js';
import { seccompProfileValid } from './seccomp-profile-valid.js';
import { seccompWithinLearnedProfile } from './seccomp-within-learned-profile.js';
import { selinuxNotDisabled } from './selinux-not-disabled.js';
import { sharedNetworkNeedsLink } from './shared-network-needs-link.js';
import { tmpfsHardened } from './tmpfs-hardened.js';
import type { Rule } from './types.js';
import { ulimitsSet } from './ulimits-set.js';

/** Every rule file, listed once. Add a new rule here and nowhere else. The order is the catalog's order. */
export const ALL_RULES: readonly Rule[] = [
  noPrivileged,
  noCriticalCapabilities,
  dropAllCapabilities,
  capabilityAllowlist,
  noNetRaw,
  noNewPrivileges,
  seccompNotUnconfined,
  seccompProfileValid,
  seccompWithinLearnedProfile,
  apparmorNotUnconfined,
  selinuxNotDisabled,
  noUnmaskedPaths,
  nonRootUser,
  numericUser,
  noPrivilegedGroups,
  readOnlyRootfs,
  tmpfsHardened,
  noHostNetwork,
  noHostPid,
  noHostIpc,
  noHostUts,
  noHostUserns,
  noHostCgroupns,
  noCgroupParent,
  memoryLimit,
  cpuLimit,
  pidsLimit,
  ulimitsSet,
  noDockerSocket,
  noSensitiveMounts,
  noSharedPropagation,
  bindMountsReadOnly,
  noHostDevices,
  portsBoundToInterface,
  noPrivilegedPorts,
  portsOnlyOnIngress,
  isolatedNetwork,
  healthcheck,
  boundedRestarts,
  safeSysctls,
  imageDigestPinned,
  noSecretsInEnv,
  boundedLogs,
  initProcess,
  runtimeAllowlist,
  networkInternal,
  networkIccDisabled,
  sharedNetworkNeedsLink,
  backendOnInternalNetwork,
  exemptionLabelsValid,
];
