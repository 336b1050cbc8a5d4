#!/usr/bin/env node
// Bench for the docker-hardening policy pack, over the real analyzer protocol (policy-harness).
// Prints latencies and ratios against baselines measured in the same run, then PASS/MISS against
// the targets; always exits 0 (a bench is not a test).
//   node bench/policy.mjs              # everything, peer included if it can be installed
//   node bench/policy.mjs --no-peer    # skip @pulumi/awsguard
//   node bench/policy.mjs --calls=2000 --starts=7
//   node bench/policy.mjs --pack=DIR           # another build of the pack (e.g. main's, to compare)
// Needs a build: npm run build
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const flag = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const CALLS = flag('calls', 1000);
const STARTS = flag('starts', 5);
const PEER = !process.argv.includes('--no-peer');

const packFlag = process.argv.find((a) => a.startsWith('--pack='));
const PACK = packFlag
  ? resolve(packFlag.slice('--pack='.length))
  : join(root, 'policy-packs/docker-hardening');
const EMPTY = join(root, 'bench/policy-baselines/empty');
const NOOP = join(root, 'bench/policy-baselines/noop');
const AWSGUARD = join(root, 'bench/.work/awsguard');

for (const [dist, pkg] of [
  ['packages/core/dist/core.js', 'packages/core'],
  ['packages/policy-harness/dist/index.js', 'packages/policy-harness'],
]) {
  if (!existsSync(join(root, dist))) {
    console.error(`${pkg} is not built: run npm run build`);
    process.exit(1);
  }
}
if (!existsSync(join(PACK, 'dist/index.js'))) {
  console.error(`${PACK} is not built: run npm run build`);
  process.exit(1);
}
const { startPolicyPack, secret, unknown } = require(join(root, 'packages/policy-harness/dist/index.js'));

const SECCOMP = JSON.stringify({
  defaultAction: 'SCMP_ACT_ERRNO',
  architectures: ['SCMP_ARCH_X86_64'],
  syscalls: [
    { names: ['read', 'write', 'exit', 'exit_group', 'futex', 'epoll_wait'], action: 'SCMP_ACT_ALLOW' },
  ],
});

/** A HardenedContainer-like container with a secret env and an unknown network, as in a preview. */
const CONTAINER = {
  type: 'docker:index/container:Container',
  name: 'api',
  parent: 'urn:pulumi:dev::bench::bulkhead:docker:HardenedContainer::api',
  // The engine sends the resource's provider with every request; the default docker provider.
  provider: {
    type: 'pulumi:providers:docker',
    name: 'default_4_6_0',
    properties: { host: 'unix:///var/run/docker.sock', version: '4.6.0' },
  },
  properties: {
    image: `registry.example/app@sha256:${'a'.repeat(64)}`,
    user: '10001:10001',
    capabilities: { drops: ['ALL'] },
    securityOpts: ['no-new-privileges:true', `seccomp=${SECCOMP}`, 'apparmor=docker-default'],
    readOnly: true,
    tmpfs: { '/tmp': 'size=64m,noexec,nosuid,nodev' },
    memory: 256,
    cpus: '0.5',
    ulimits: [
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 256, hard: 256 },
    ],
    networksAdvanced: [{ name: unknown() }],
    restart: 'on-failure',
    maxRetryCount: 3,
    logDriver: 'json-file',
    logOpts: { 'max-size': '10m', 'max-file': '3' },
    init: true,
    healthcheck: { tests: ['CMD', '/app/healthcheck'], interval: '30s', retries: 3 },
    cgroupnsMode: 'private',
    envs: ['LOG_LEVEL=info', secret('DATABASE_URL_FILE=/run/secrets/db')],
    labels: [{ label: 'dev.bulkhead.component', value: 'bulkhead:docker:HardenedContainer' }],
  },
};

/** An S3 bucket, the kind of resource awsguard's policies are about. */
const BUCKET = {
  type: 'aws:s3/bucket:Bucket',
  name: 'logs',
  properties: { bucket: 'logs', acl: 'private', tags: { team: 'platform' }, versioning: { enabled: true } },
};

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
const results = [];
function verdict(name, value, base, target) {
  const ratio = value / base;
  const ok = ratio <= target;
  results.push(ok);
  console.log(`  ${name}: ${ratio.toFixed(2)}x (target <= ${target}x) ${ok ? 'PASS' : 'MISS'}`);
}

/** Median time until the port is printed, starts interleaved so load changes hit all alike. */
async function coldStarts(dirs) {
  const times = dirs.map(() => []);
  for (let i = 0; i < STARTS; i++) {
    for (const [j, dir] of dirs.entries()) {
      const pack = await startPolicyPack(dir, OPTIONS);
      times[j].push(pack.startupMs);
      await pack.close();
    }
  }
  return times.map((t) => pct(t, 50));
}

/** Per-call Analyze latencies, calls interleaved across the packs in small batches. */
async function analyzeLatencies(named) {
  const packs = [];
  for (const [, dir, resource] of named) packs.push([await startPolicyPack(dir, OPTIONS), resource]);
  try {
    const times = named.map(() => []);
    for (const [pack, resource] of packs) for (let i = 0; i < 50; i++) await pack.analyze(resource); // warm-up
    const BATCH = 50;
    for (let done = 0; done < CALLS; done += BATCH) {
      for (const [j, [pack, resource]] of packs.entries()) {
        for (let i = 0; i < BATCH; i++) {
          const t = process.hrtime.bigint();
          await pack.analyze(resource);
          times[j].push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }
    }
    return times.map((t) => ({ p50: pct(t, 50), p99: pct(t, 99) }));
  } finally {
    for (const [pack] of packs) await pack.close();
  }
}

function preparePeer() {
  if (!PEER) return 'skipped (--no-peer)';
  const installed = join(AWSGUARD, 'node_modules/@pulumi/awsguard/package.json');
  if (!existsSync(installed)) {
    mkdirSync(AWSGUARD, { recursive: true });
    if (!existsSync(join(AWSGUARD, 'package.json'))) {
      writeFileSync(
        join(AWSGUARD, 'package.json'),
        `${JSON.stringify({ name: 'bulkhead-bench-awsguard', version: '0.0.0', private: true, main: 'index.js' }, null, 2)}\n`,
      );
    }
    console.log('installing @pulumi/awsguard into bench/.work/awsguard (large: it pulls @pulumi/aws)...');
    const r = spawnSync(
      'npm',
      ['install', '--prefix', AWSGUARD, '@pulumi/awsguard', '--no-audit', '--no-fund'],
      {
        encoding: 'utf8',
        timeout: 15 * 60 * 1000,
      },
    );
    if (r.status !== 0 || !existsSync(installed)) {
      const tail = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ');
      return `could not be installed (${tail || `exit ${r.status}`})`;
    }
  }
  writeFileSync(
    join(AWSGUARD, 'PulumiPolicy.yaml'),
    'description: Bench peer, AWSGuard with every policy on.\nruntime: nodejs\n',
  );
  writeFileSync(
    join(AWSGUARD, 'index.js'),
    "// Bench peer: Pulumi's AWSGuard pack, every policy advisory.\n" +
      "const { AwsGuard } = require('@pulumi/awsguard');\nnew AwsGuard({ all: 'advisory' });\n",
  );
  return undefined;
}

console.log(`policy pack bench (${CALLS} Analyze calls per pack, ${STARTS} cold starts per pack)\n`);
const peerProblem = preparePeer();
const withPeer = peerProblem === undefined;

const probe = await startPolicyPack(PACK);
const policies = (await probe.info()).policies.length;
await probe.close();
const OPTIONS = { env: { BULKHEAD_BENCH_POLICIES: String(policies) } };

const named = [
  ['empty pack (protocol floor)', EMPTY, CONTAINER],
  ['bulkhead-docker-hardening', PACK, CONTAINER],
  [`${policies} no-op policies (the SDK's floor)`, NOOP, CONTAINER],
];
const PEER_AT = named.length;
if (withPeer) named.push(['@pulumi/awsguard (peer, S3 bucket)', AWSGUARD, BUCKET]);

const lat = await analyzeLatencies(named);
console.log(`Analyze latency per resource (p50 / p99); the pack serves ${policies} policies:`);
for (const [i, [name]] of named.entries()) console.log(`  ${name}: ${fmt(lat[i].p50)} / ${fmt(lat[i].p99)}`);
// The pack runs on @pulumi/policy's own loop, which deserializes the properties and builds a proxy
// for every policy: the no-op pack with as many policies is the floor the pack builds on.
verdict(`pack p50 vs ${policies} no-op policies p50 (the SDK's floor)`, lat[1].p50, lat[2].p50, 1.2);
console.log(
  `  above the SDK's floor, the pack adds ${fmt(lat[1].p50 - lat[2].p50)} (it reads the request's ` +
    'properties once more to see which values are secrets, adapts the resource and evaluates the ' +
    `catalog once); the floor itself is ${fmt(lat[2].p50 - lat[0].p50)} above the empty pack`,
);
if (withPeer) {
  console.log(`  pack p50 vs awsguard p50: ${(lat[1].p50 / lat[PEER_AT].p50).toFixed(2)}x (peer, no target)`);
} else console.log(`  @pulumi/awsguard peer ${peerProblem}`);

const starts = await coldStarts(named.map(([, dir]) => dir));
console.log('\nCold start until the port is printed (median):');
for (const [i, [name]] of named.entries()) console.log(`  ${name}: ${fmt(starts[i])}`);
verdict('pack vs empty pack', starts[1], starts[0], 1.3);
if (withPeer)
  console.log(`  pack vs awsguard: ${(starts[1] / starts[PEER_AT]).toFixed(2)}x (peer, no target)`);

console.log(`\n${results.filter(Boolean).length}/${results.length} targets met`);
process.exit(0);
