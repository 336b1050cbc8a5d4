// Decides once whether the Docker-engine tests run, and says so in one line when they do not.
//
// The engine tests need an engine that answers (DOCKER_HOST, else the default socket) and the test
// image (BULKHEAD_TEST_IMAGE, default bulkhead-test/busybox:1). A missing image is created with
// scripts/test-image.sh when the host has a static busybox. If either is still missing:
// - CI=true: one line, and the run fails (engine tests never skip in CI);
// - elsewhere: one line saying how to enable them, and every engine test is skipped.
// The decision travels to the tests as BULKHEAD_ENGINE=ok|skip (the per-package helpers read it).
//
// Two ways in:
// - `node scripts/engine-gate.mjs <command…>` (what `npm test` does): decide, then run the command
//   with BULKHEAD_ENGINE set, so a whole `npm test` prints the line once;
// - as jest's globalSetup (the engine-test packages' jest configs), for a direct `npx jest` run;
//   it does nothing when BULKHEAD_ENGINE is already set.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ENABLE =
  'to run them: sudo bash scripts/engine-up.sh (installs and starts an engine with runsc, imports the image)';

/** `{ ok: true }`, or `{ ok: false, reason }` with a one-line reason. */
export function probeEngine(env = process.env) {
  const image = env.BULKHEAD_TEST_IMAGE || 'bulkhead-test/busybox:1';
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
    env,
  });
  if (info.status !== 0) {
    const why = (info.stderr || String(info.error ?? '')).trim().split('\n')[0] || `exit ${info.status}`;
    return { ok: false, reason: `no Docker engine answers (${why})` };
  }
  const has = () =>
    spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 20_000, env }).status === 0;
  if (has()) return { ok: true };
  spawnSync('bash', [path.join(here, 'test-image.sh')], { stdio: 'ignore', timeout: 120_000, env });
  if (has()) return { ok: true };
  return { ok: false, reason: `the engine has no test image ${image} and none could be imported here` };
}

/** Sets BULKHEAD_ENGINE in `env` and returns the line to print (empty when the tests run). */
export function decide(env = process.env) {
  const probe = probeEngine(env);
  if (probe.ok) {
    env.BULKHEAD_ENGINE = 'ok';
    return '';
  }
  if (env.CI === 'true') {
    env.BULKHEAD_ENGINE = 'fail';
    return `ENGINE TESTS FAIL (CI=true never skips them): ${probe.reason}; ${ENABLE}`;
  }
  env.BULKHEAD_ENGINE = 'skip';
  return `SKIPPING the Docker-engine tests: ${probe.reason}; ${ENABLE}`;
}

/** jest globalSetup. */
export default async function globalSetup() {
  if (process.env.BULKHEAD_ENGINE) return;
  const line = decide();
  if (line) process.stderr.write(`\n${line}\n`);
  if (process.env.BULKHEAD_ENGINE === 'fail') throw new Error(line);
}

const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (import.meta.url === invoked) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: engine-gate.mjs <command…>');
    process.exit(2);
  }
  const line = decide();
  if (line) console.error(line);
  if (process.env.BULKHEAD_ENGINE === 'fail') process.exit(1);
  const r = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}
