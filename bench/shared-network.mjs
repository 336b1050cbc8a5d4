// Stack rules on one shared network: N containers on one user-defined network, none linked to
// another (the worst case for `shared-network-needs-link`), through fromPulumiResources and
// evaluate with every rule. Times N = 100 (the baseline, measured in the same run), 400 and 1600,
// interleaved, median of BENCH_RUNS (default 7) after two warm-up rounds, and prints the time per
// container of each N against the baseline's. Target: time per container at 1600 ≤ 1.5× the
// baseline's (linear in containers; per-pair evaluation made it 16×). Always exits 0.
//
//   npm run build && node bench/shared-network.mjs
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
let core;
try {
  core = require('../packages/core/dist/index.js');
} catch {
  console.error('shared-network: build first: npm run build');
  process.exit(0);
}
const { evaluate, fromPulumiResources } = core;

const SIZES = [100, 400, 1600];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STACK = 'urn:pulumi:prod::shop';

function resources(n) {
  const out = [
    {
      type: 'docker:index/network:Network',
      name: 'shared',
      urn: `${STACK}::docker:index/network:Network::shared`,
      props: { name: 'shared', internal: true },
    },
  ];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    out.push({
      type: 'docker:index/container:Container',
      name,
      urn: `${STACK}::docker:index/container:Container::${name}`,
      props: {
        image: `registry.example/${name}@sha256:${'ab'.repeat(32)}`,
        user: '10001:10001',
        capabilities: { drops: ['ALL'] },
        securityOpts: ['no-new-privileges:true'],
        readOnly: true,
        networksAdvanced: [{ name: 'shared', aliases: [name] }],
        memory: 256,
        cpus: '0.5',
        init: true,
      },
    });
  }
  return out;
}

const inputs = new Map(SIZES.map((n) => [n, resources(n)]));
const findings = new Map();
const now = new Date('2025-06-01T00:00:00Z');

function run(n) {
  const t = performance.now();
  const report = evaluate(fromPulumiResources(inputs.get(n)), { now, profile: 'restricted' });
  const ms = performance.now() - t;
  findings.set(n, report.findings.filter((f) => f.ruleId === 'shared-network-needs-link').length);
  return ms;
}

for (let i = 0; i < 2; i++) for (const n of SIZES) run(n);
const times = new Map(SIZES.map((n) => [n, []]));
for (let i = 0; i < RUNS; i++) for (const n of SIZES) times.get(n).push(run(n));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.get(SIZES[0])) / SIZES[0];
console.log(`shared-network: N containers on one network, no links, every rule, median of ${RUNS}`);
for (const n of SIZES) {
  const ms = median(times.get(n));
  const ratio = ms / n / base;
  const verdict = n === SIZES[0] ? 'baseline' : ratio <= 1.5 ? 'PASS' : 'MISS';
  console.log(
    `  N=${String(n).padEnd(5)} ${ms.toFixed(1).padStart(7)} ms  ${((ms / n) * 1000).toFixed(1).padStart(6)} µs/container  ` +
      `${String(findings.get(n)).padStart(5)} shared-network-needs-link findings  ` +
      `per container ${ratio.toFixed(2)}× N=${SIZES[0]}  target ≤ 1.5×  ${verdict}`,
  );
}
