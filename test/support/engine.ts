/**
 * Shared engine helper for the repo-level tests: is a Docker engine reachable? In CI
 * (`CI=true`) engine tests must run, so an unreachable engine fails the suite; elsewhere they are
 * skipped with a loud warning naming the reason.
 */
import { checkEngineSync, type EngineCheck } from '@bulkhead/components/testkit';
import type Dockerode from 'dockerode';

/** The image `scripts/engine-up.sh` imports (busybox-static rootfs; users root, nobody, app 10001). */
export const TEST_IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';

let checked: EngineCheck | undefined;

/** The (cached) result of pinging the engine. */
export function engineCheck(): EngineCheck {
  checked ??= checkEngineSync();
  return checked;
}

/**
 * `describe` when an engine answers; otherwise `describe.skip` with a console warning — or, in
 * CI, a thrown error (engine tests never skip there).
 */
export function describeWithEngine(name: string, fn: () => void): void {
  // scripts/engine-gate.mjs already decided (and said so in one line).
  if (process.env.BULKHEAD_ENGINE === 'skip') {
    describe.skip(name, fn);
    return;
  }
  const engine = engineCheck();
  if (engine.ok) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(`${engine.reason}. CI must run the engine tests: start one with scripts/engine-up.sh.`);
  }
  console.warn(`SKIPPING "${name}": ${engine.reason}. Start one with scripts/engine-up.sh.`);
  describe.skip(name, fn);
}

/**
 * The test image named by digest, as a digest-pinned program needs it:
 * `bulkhead-test/busybox@sha256:<image id>`. An imported image has no registry digest, so the id
 * stands in for it; the test kit resolves such a reference to the local image.
 */
export async function pinnedTestImage(docker: Dockerode): Promise<string> {
  const info = await docker.getImage(TEST_IMAGE).inspect();
  return `${TEST_IMAGE.replace(/:[^/:]+$/, '')}@${info.Id}`;
}

/** Whether the engine has the `runsc` (gVisor) runtime registered. */
export async function hasRuntime(docker: Dockerode, runtime: string): Promise<boolean> {
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  return Object.hasOwn(info.Runtimes ?? {}, runtime);
}
