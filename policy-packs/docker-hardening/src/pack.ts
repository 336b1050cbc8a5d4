/** The pack's identity, apart from index.ts (which serves the pack when loaded). */
import type { EnforcementLevel } from '@pulumi/policy';

/** The pack's name as the engine shows it. */
export const PACK_NAME = 'bulkhead-docker-hardening';

/**
 * The pack-wide enforcement level: none is set, so this is `@pulumi/policy`'s default. Every
 * policy sets its own level, so it applies to none of them.
 */
export const PACK_ENFORCEMENT: EnforcementLevel = 'advisory';
