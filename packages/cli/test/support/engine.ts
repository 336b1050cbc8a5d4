import { spawnSync } from 'node:child_process';

/**
 * True when a Docker engine answers. In CI (CI=true) a missing engine is an error, never a skip;
 * elsewhere the engine tests are skipped with a loud warning.
 */
export function engineAvailable(): boolean {
  // scripts/engine-gate.mjs already decided (and said so in one line).
  if (process.env.BULKHEAD_ENGINE === 'skip') return false;
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status === 0) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `CI=true but no Docker engine answers (run scripts/engine-up.sh): ${r.stderr || r.error}`,
    );
  }
  console.warn('SKIPPING engine tests: no Docker engine answers here (start one with scripts/engine-up.sh)');
  return false;
}

/** Runs `docker args…`, throwing with its stderr on failure. */
export function docker(args: readonly string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The test image (busybox-static, imported by scripts/engine-up.sh). */
export const TEST_IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
