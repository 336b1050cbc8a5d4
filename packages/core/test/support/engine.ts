/**
 * A small helper for tests that need the real Docker engine: is it reachable, run the docker CLI,
 * unique resource names and cleanup. In CI (`CI=true`) a missing engine fails the suite; elsewhere
 * the engine tests are skipped with a loud warning.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The test image, imported by `scripts/engine-up.sh` (no registry is reachable). */
export const TEST_IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';

let probed: { ok: true } | { ok: false; reason: string } | undefined;

/** Whether a Docker engine answers (probed once per test file). */
export function engineStatus(): { ok: true } | { ok: false; reason: string } {
  if (probed) return probed;
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  probed =
    r.status === 0
      ? { ok: true }
      : {
          ok: false,
          reason: (r.stderr || String(r.error ?? 'docker info failed')).trim().split('\n')[0] ?? '',
        };
  return probed;
}

/**
 * `describe` for engine tests: runs when an engine answers; when it does not, fails under
 * `CI=true` and otherwise skips with a warning naming the reason.
 */
export function describeWithEngine(name: string, fn: () => void): void {
  // scripts/engine-gate.mjs already decided (and said so in one line).
  if (process.env.BULKHEAD_ENGINE === 'skip') {
    describe.skip(name, fn);
    return;
  }
  const status = engineStatus();
  if (status.ok) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a Docker engine (CI=true never skips)', () => {
        throw new Error(`no Docker engine answers: ${status.reason}. Run: bash scripts/engine-up.sh`);
      });
    });
    return;
  }
  console.warn(
    `\n*** SKIPPING "${name}": no Docker engine answers (${status.reason}). ` +
      'Start one with `bash scripts/engine-up.sh`. ***\n',
  );
  describe.skip(name, fn);
}

/** Runs `docker args…` and returns stdout; throws with stderr on failure. */
export function docker(args: readonly string[], timeoutMs = 60_000): string {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(
      `docker ${args[0]} ${args[1] ?? ''} failed (${r.status}): ${(r.stderr || String(r.error)).trim()}`,
    );
  }
  return r.stdout;
}

/** Tracks what a test creates so that `cleanup()` removes it, even after a failure. */
export class EngineScratch {
  readonly prefix: string;
  readonly #containers: string[] = [];
  readonly #networks: string[] = [];
  readonly #volumes: string[] = [];

  constructor(label = 'core') {
    this.prefix = `bhtest-${label}-${randomBytes(3).toString('hex')}`;
  }

  /** A unique name for a resource. */
  name(what: string): string {
    return `${this.prefix}-${what}`;
  }

  /** `docker create` a container (never started) and remember it; returns its name. */
  createContainer(
    what: string,
    flags: readonly string[],
    command: readonly string[] = ['sleep', '60'],
  ): string {
    const name = this.name(what);
    this.#containers.push(name);
    docker(['create', '--name', name, ...flags, TEST_IMAGE, ...command]);
    return name;
  }

  /** `docker network create` and remember it; returns its name. */
  createNetwork(what: string, flags: readonly string[] = []): string {
    const name = this.name(what);
    this.#networks.push(name);
    docker(['network', 'create', ...flags, name]);
    return name;
  }

  /** Remember a named volume that a container flag creates implicitly. */
  volume(what: string): string {
    const name = this.name(what);
    this.#volumes.push(name);
    return name;
  }

  /** Removes everything created through this scratch space; never throws. */
  cleanup(): void {
    const run = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
    if (this.#containers.length) run(['rm', '-f', '-v', ...this.#containers]);
    if (this.#networks.length) run(['network', 'rm', ...this.#networks]);
    if (this.#volumes.length) run(['volume', 'rm', '-f', ...this.#volumes]);
  }
}
