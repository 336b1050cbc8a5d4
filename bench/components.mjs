#!/usr/bin/env node
// Bench for @bulkhead/components: registering 1,000 HardenedContainers under Pulumi mocks vs
// 1,000 raw docker.Containers with the very same (computed) arguments. Each variant runs in its
// own child process, interleaved over several rounds; prints the median times, the ratio and
// PASS/MISS against the target (ratio <= 1.5). Always exits 0: a bench is not a test.
//   node bench/components.mjs            # 1,000 containers, 5 rounds
//   BENCH_N=200 BENCH_ROUNDS=3 node bench/components.mjs
// Needs a build: npm run build
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_N ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 1.5;

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  parent();
}

function parent() {
  const times = { raw: [], hardened: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of round % 2 === 0 ? ['raw', 'hardened'] : ['hardened', 'raw']) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', variant, String(N)], {
        encoding: 'utf8',
        cwd: root,
      });
      if (r.status !== 0) {
        console.error(`${variant} child failed:\n${r.stderr}`);
        process.exit(0);
      }
      const { ms, registered } = JSON.parse(r.stdout.trim().split('\n').pop());
      times[variant].push(ms);
      if (round === 0) console.log(`${variant}: ${registered} resources registered`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const raw = median(times.raw);
  const hardened = median(times.hardened);
  const ratio = hardened / raw;
  console.log(`raw docker.Container x${N}:     ${raw.toFixed(0)} ms (median of ${ROUNDS})`);
  console.log(`HardenedContainer x${N}:        ${hardened.toFixed(0)} ms (median of ${ROUNDS})`);
  console.log(`ratio ${ratio.toFixed(2)}x (target <= ${TARGET}x): ${ratio <= TARGET ? 'PASS' : 'MISS'}`);
}

async function child(variant, n) {
  const require = createRequire(join(root, 'packages/components/package.json'));
  const pulumi = require('@pulumi/pulumi');
  const docker = require('@pulumi/docker');
  const components = require(join(root, 'packages/components/dist/index.js'));
  const { runProgramUnderMocks } = require(join(root, 'packages/components/dist/testkit/mocks.js'));

  const args = {
    image: `registry.example/app@sha256:${'c'.repeat(64)}`,
    healthcheck: { test: ['/app/healthz'] },
    env: { PORT: '8080', LOG_LEVEL: 'info' },
    networks: ['backend'],
  };
  // The raw variant gets exactly what the component would create (computed outside the timing),
  // per container, since the default uid depends on the name.
  const rawArgs =
    variant === 'raw'
      ? Array.from({ length: n }, (_, i) => components.computeContainerArgs(`c${i}`, args).containerArgs)
      : [];

  // Warm the runtime and the module graph once, outside the timing.
  await runProgramUnderMocks(() => new docker.Network('warm', {}));

  const start = process.hrtime.bigint();
  const res = await runProgramUnderMocks(() => {
    for (let i = 0; i < n; i++) {
      if (variant === 'raw') new docker.Container(`c${i}`, rawArgs[i]);
      else new components.HardenedContainer(`c${i}`, args);
    }
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  void pulumi;
  console.log(JSON.stringify({ ms, registered: res.length }));
}
