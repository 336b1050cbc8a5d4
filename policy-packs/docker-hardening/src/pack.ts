/** The pack's identity, apart from index.ts (which serves the pack when loaded). */

/** The pack's name as the engine shows it. */
export const PACK_NAME = 'bulkhead-docker-hardening';
