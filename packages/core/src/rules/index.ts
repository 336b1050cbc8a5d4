import { apparmorNotUnconfined } from './apparmor-not-unconfined.js';
import { capabilityAllowlist } from './capability-allowlist.js';
import { dropAllCapabilities } from './drop-all-capabilities.js';
import { noCriticalCapabilities } from './no-critical-capabilities.js';
import { noHostNetwork } from './no-host-network.js';
import { noNetRaw } from './no-net-raw.js';
import { noNewPrivileges } from './no-new-privileges.js';
import { noPrivileged } from './no-privileged.js';
import { noPrivilegedGroups } from './no-privileged-groups.js';
import { noUnmaskedPaths } from './no-unmasked-paths.js';
import { nonRootUser } from './non-root-user.js';
import { numericUser } from './numeric-user.js';
import { seccompNotUnconfined } from './seccomp-not-unconfined.js';
import { selinuxNotDisabled } from './selinux-not-disabled.js';
import type { Rule } from './types.js';

/** Every rule file, listed once. Add a new rule here and nowhere else. The order is the catalog's order. */
export const ALL_RULES: readonly Rule[] = [
  noPrivileged,
  noCriticalCapabilities,
  dropAllCapabilities,
  capabilityAllowlist,
  noNetRaw,
  noNewPrivileges,
  seccompNotUnconfined,
  apparmorNotUnconfined,
  selinuxNotDisabled,
  noUnmaskedPaths,
  nonRootUser,
  numericUser,
  noPrivilegedGroups,
  noHostNetwork,
];
