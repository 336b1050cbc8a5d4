import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { catalog } from '@bulkhead/core';

/** The rules of Bulkhead's own catalog that carry a machine fix (`remediate` enforcement). */
export const FIXABLE: ReadonlySet<string> = new Set(
  catalog.rules.filter((r) => r.scope === 'container' && r.pulumiFix).map((r) => r.id),
);

/** The pack directory (what `pulumi preview --policy-pack` is given). */
export const PACK_DIR = path.resolve(__dirname, '..');
const REPO = path.resolve(PACK_DIR, '..', '..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

const BUILD_PACK = 'npx tsc -p policy-packs/docker-hardening/tsconfig.build.json';
const BUILD_CORE = 'npx tsc -p packages/core/tsconfig.build.json';

/**
 * The pack runs as a separate process from compiled JavaScript (its own dist and core's), as the
 * Pulumi engine runs it, while the tests read core's catalog from source. Fail loudly when the
 * pack's build is missing or older than its sources, or when core's build has other rules than
 * its sources, instead of testing stale code.
 */
export function assertBuilt(sourceRuleIds: readonly string[]): void {
  let built: number;
  try {
    built = statSync(path.join(PACK_DIR, 'dist', 'index.js')).mtimeMs;
  } catch {
    throw new Error(`the pack is not built: run \`${BUILD_PACK}\` first`);
  }
  if (newest(path.join(PACK_DIR, 'src')) > built) {
    throw new Error(`the pack's dist is older than its sources: run \`${BUILD_PACK}\` first`);
  }
  let builtIds: string[];
  try {
    const core = require(path.join(REPO, 'packages', 'core', 'dist', 'index.js')) as {
      catalog: { rules: { id: string }[] };
    };
    builtIds = core.catalog.rules.map((r) => r.id);
  } catch {
    throw new Error(`@bulkhead/core is not built: run \`${BUILD_CORE}\` first`);
  }
  if (builtIds.join() !== sourceRuleIds.join()) {
    throw new Error(`@bulkhead/core's dist has other rules than its sources: run \`${BUILD_CORE}\` first`);
  }
}

/** Every string in a value, depth-first (for canary checks). */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
