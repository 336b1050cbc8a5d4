import { noHostNetwork } from './no-host-network.js';
import { noNewPrivileges } from './no-new-privileges.js';
import { noPrivileged } from './no-privileged.js';
import type { Rule } from './types.js';

/** Every rule file, listed once. Add a new rule here and nowhere else. */
export const ALL_RULES: readonly Rule[] = [noPrivileged, noNewPrivileges, noHostNetwork];
