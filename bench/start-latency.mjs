#!/usr/bin/env node
// Start latency of a hardened container vs a plain `docker run` of the same image.
//   node bench/start-latency.mjs          (BENCH_RUNS=15 by default)
// Each sample is create + start + wait for `true` to exit, through the engine API. The hardened
// sample uses exactly the create request a HardenedContainer produces (computeContainerArgs, then
// the test kit's planContainer); the plain one is the image with default settings. Runs are
// interleaved so load changes hit all kinds alike. Prints medians, the hardened/plain ratio against
// the 1.2x target (PASS/MISS) and the gVisor figure beside it; always exits 0 (a bench is not a
// test). Needs built dists: npm run build
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let components;
let testkit;
try {
  components = require('../packages/components/dist/index.js');
  testkit = require('../packages/components/dist/testkit/index.js');
} catch (err) {
  console.error(`start-latency: build first (packages/core, packages/components): ${err.message}`);
  process.exit(0);
}
const Dockerode = require('dockerode');

const IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET = 1.2;
const LABEL = `dev.bulkhead.bench.run=${randomBytes(4).toString('hex')}`;
const [labelKey, labelValue] = LABEL.split('=');
const docker = new Dockerode();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The create request a HardenedContainer makes for `true`, on runc or gVisor. */
function hardenedCreate(imageId, sandbox, i) {
  const name = `bench-${sandbox}`;
  const { containerArgs } = components.computeContainerArgs(name, {
    image: `${IMAGE.replace(/:[^/:]+$/, '')}@${imageId}`,
    command: ['true'],
    sandbox,
    healthcheck: { test: ['CMD', 'true'] },
  });
  const { create } = testkit.planContainer(
    { type: testkit.CONTAINER_TYPE, name, urn: `urn:bench:${name}`, inputs: containerArgs },
    {
      engineName: `bhk-bench-${sandbox}-${process.pid}-${i}`,
      image: imageId,
      extraLabels: { [labelKey]: labelValue },
      resolveNetwork: (ref) => ref,
      resolveContainer: () => undefined,
    },
  );
  return create;
}

function plainCreate(imageId, i, networkMode) {
  const create = {
    name: `bhk-bench-plain-${process.pid}-${i}`,
    Image: imageId,
    Cmd: ['true'],
    Labels: { [labelKey]: labelValue },
  };
  if (networkMode) create.HostConfig = { NetworkMode: networkMode };
  return create;
}

/** create + start + wait for exit; returns ms. Removes the container afterwards (not timed). */
async function sample(create) {
  const t0 = process.hrtime.bigint();
  const c = await docker.createContainer(create);
  try {
    await c.start();
    const { StatusCode } = await c.wait();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (StatusCode !== 0) throw new Error(`${create.name} exited ${StatusCode}`);
    return ms;
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

async function sweep() {
  const filters = JSON.stringify({ label: [LABEL] });
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

async function main() {
  const info = await docker.info().catch((err) => {
    console.error(`start-latency: no Docker engine reachable (${err.message}); nothing measured`);
    process.exit(0);
  });
  const imageId = (await docker.getImage(IMAGE).inspect()).Id;
  const gvisor = Object.hasOwn(info.Runtimes ?? {}, 'runsc');
  const kinds = [
    ['plain docker run', (i) => plainCreate(imageId, i)],
    // A HardenedContainer without networks gets --network none: show that share of the difference.
    ['plain, --network none', (i) => plainCreate(imageId, `${i}-nonet`, 'none')],
    ['HardenedContainer (runc)', (i) => hardenedCreate(imageId, 'none', i)],
    ...(gvisor ? [['HardenedContainer (gVisor)', (i) => hardenedCreate(imageId, 'gvisor', i)]] : []),
  ];
  const times = kinds.map(() => []);
  // One warm-up round, not counted.
  for (const [, make] of kinds) await sample(make('warm'));
  for (let i = 0; i < RUNS; i++) {
    for (const [j, [, make]] of kinds.entries()) times[j].push(await sample(make(i)));
  }
  const med = times.map(median);
  const plain = med[0];
  console.log(
    `start latency, create+start+exit of \`true\`, median of ${RUNS} interleaved runs (engine ${info.ServerVersion}):`,
  );
  kinds.forEach(([label], j) => {
    console.log(
      `  ${label.padEnd(28)} ${med[j].toFixed(0).padStart(6)} ms   ${(med[j] / plain).toFixed(2)}x plain`,
    );
  });
  const ratio = med[2] / plain;
  console.log(
    `${ratio <= TARGET ? 'PASS' : 'MISS'} hardened/plain ${ratio.toFixed(2)}x (target <= ${TARGET}x; ` +
      `${(med[2] / med[1]).toFixed(2)}x plain --network none)` +
      (gvisor ? `; gVisor ${(med[3] / plain).toFixed(2)}x plain (informational)` : '; gVisor not registered'),
  );
}

const onSignal = () => sweep().finally(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  await main();
} catch (err) {
  console.error(`start-latency: ${err.message}`);
} finally {
  await sweep();
}
