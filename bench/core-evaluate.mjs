// Core throughput: a generated 10,000-container `pulumi stack export` through
// JSON.parse → fromStackExport → evaluate (every rule), against JSON.parse of the same text alone,
// measured in the same run. Targets: ≤ 3× JSON.parse and ≥ 50,000 containers/s. Always exits 0.
//
//   npm run build && node bench/core-evaluate.mjs
//   BENCH_CONTAINERS=20000 BENCH_RUNS=9 node bench/core-evaluate.mjs
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
let core;
try {
  core = require('../packages/core/dist/index.js');
} catch {
  console.error('core-evaluate: build first: npm run build');
  process.exit(0);
}
const { evaluate, fromStackExport, catalog, SECURE, PULUMI_SIG_KEY, PULUMI_SECRET_SIG } = core;

const N = Number(process.env.BENCH_CONTAINERS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIG = PULUMI_SIG_KEY;
const SECRET_SIG = PULUMI_SECRET_SIG;

// Deterministic pseudo-random numbers (mulberry32) so every run judges the same stack.
let seed = 0x5eed;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;

const STACK = 'urn:pulumi:prod::shop';
// Containers per network (BENCH_SHARED, default 2): 2 is a segmented stack, one network per link
// (what SegmentedStack builds); larger values share networks between unlinked containers, which
// the stack rules report per container. Each container links to a neighbour on its network.
const SHARED = Math.max(2, Number(process.env.BENCH_SHARED ?? 2));
const NETWORKS = Math.max(1, Math.round(N / SHARED));

function network(i) {
  const name = `net-${i}`;
  return {
    urn: `${STACK}::docker:index/network:Network::${name}`,
    custom: true,
    id: `n${i}`,
    type: 'docker:index/network:Network',
    inputs: {
      __defaults: [],
      name,
      driver: 'bridge',
      internal: i % 4 !== 0,
      options: i % 2 ? { __defaults: [], 'com.docker.network.bridge.enable_icc': 'false' } : undefined,
      labels: [{ __defaults: [], label: 'dev.bulkhead.egress-reason', value: 'calls the payment API' }],
    },
    outputs: { name, driver: 'bridge', id: `n${i}`, scope: 'local' },
  };
}

/** A container as a component or a hand-written program would declare it: mostly good, some bad. */
function container(i) {
  const good = chance(0.7);
  const name = `svc-${i}`;
  const parent = `${STACK}::bulkhead:docker:HardenedContainer::${name}`;
  const inputs = {
    __defaults: ['name', 'mustRun', 'start'],
    image: good ? `registry.example/${name}@sha256:${'ab'.repeat(32)}` : `registry.example/${name}:latest`,
    user: good ? `${10000 + (i % 5000)}:${10000 + (i % 5000)}` : pick(['', 'root', '0', '1000']),
    capabilities: good
      ? { __defaults: [], drops: [SECURE.capDrop], adds: chance(0.3) ? ['NET_BIND_SERVICE'] : [] }
      : { __defaults: [], adds: chance(0.5) ? ['SYS_ADMIN', 'NET_RAW'] : ['CHOWN'] },
    securityOpts: good
      ? ['no-new-privileges:true', 'apparmor=docker-default']
      : pick([[], ['seccomp=unconfined'], ['label=disable', 'apparmor=unconfined']]),
    readOnly: good,
    tmpfs: good ? { '/tmp': 'size=16m,noexec,nosuid,nodev,uid=10001,gid=10001' } : undefined,
    volumes: chance(0.1)
      ? [{ __defaults: [], hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }]
      : [{ __defaults: [], volumeName: `${name}-data`, containerPath: '/data' }],
    mounts: chance(0.2)
      ? [
          {
            __defaults: [],
            type: 'bind',
            source: '/srv/config',
            target: '/config',
            readOnly: true,
            bindOptions: { propagation: 'rprivate' },
          },
        ]
      : undefined,
    networksAdvanceds: undefined,
    networksAdvanced: [{ __defaults: [], name: `net-${i % NETWORKS}`, aliases: [name] }],
    networkMode: good ? undefined : pick(['bridge', 'host', undefined]),
    privileged: !good && chance(0.1),
    pidMode: !good && chance(0.1) ? 'host' : undefined,
    memory: good ? 256 : chance(0.5) ? 0 : undefined,
    memorySwap: good ? 256 : undefined,
    cpus: good ? '0.5' : undefined,
    cpuShares: 512,
    ports: chance(0.2)
      ? [
          {
            __defaults: [],
            internal: 8080,
            external: 8000 + (i % 1000),
            ip: good ? SECURE.portIp : '0.0.0.0',
            protocol: 'tcp',
          },
        ]
      : [],
    healthcheck: good
      ? { __defaults: [], tests: ['CMD', '/app/healthcheck'], interval: '30s', timeout: '5s', retries: 3 }
      : undefined,
    restart: good ? 'on-failure' : 'always',
    maxRetryCount: good ? 3 : undefined,
    sysctls: chance(0.1) ? { 'net.core.somaxconn': '1024' } : undefined,
    ulimits: good
      ? [
          { __defaults: [], name: 'nofile', soft: 1024, hard: 1024 },
          { __defaults: [], name: 'nproc', soft: 256, hard: 256 },
        ]
      : undefined,
    envs: chance(0.15)
      ? { [SIG]: SECRET_SIG, ciphertext: 'v1:ZmFrZQ==:ZW5jcnlwdGVkLWVudmlyb25tZW50LXZhbHVlcw==' }
      : [
          'PORT=8080',
          'LOG_LEVEL=info',
          `SERVICE_NAME=${name}`,
          good ? 'DB_PASSWORD_FILE=/run/secrets/db' : 'DB_PASSWORD=hunter2',
          'TZ=UTC',
        ],
    logDriver: SECURE.logDriver,
    logOpts: good ? { 'max-size': SECURE.logMaxSize, 'max-file': String(SECURE.logMaxFiles) } : undefined,
    init: good,
    runtime: good && chance(0.1) ? 'runsc' : undefined,
    labels: [
      { __defaults: [], label: 'dev.bulkhead.component', value: 'HardenedContainer' },
      { __defaults: [], label: 'dev.bulkhead.links', value: `svc-${(i + NETWORKS) % N}:8080` },
      ...(i % 50 === 0 ? [{ __defaults: [], label: 'dev.bulkhead.role', value: 'ingress' }] : []),
    ],
    command: ['/app/server', '--port', '8080'],
    hostname: name,
  };
  return {
    urn: `${STACK}::bulkhead:docker:HardenedContainer$docker:index/container:Container::${name}`,
    custom: true,
    id: `c${i}`,
    type: 'docker:index/container:Container',
    inputs,
    outputs: {
      ...inputs,
      name,
      id: `c${i}`,
      networkData: [{ networkName: `net-${i % NETWORKS}`, ipAddress: '172.18.0.2' }],
    },
    parent,
    provider: `${STACK}::pulumi:providers:docker::default_4_5_0::0f0f`,
    propertyDependencies: { image: [], envs: [] },
    dependencies: [`${STACK}::docker:index/network:Network::net-${i % NETWORKS}`],
  };
}

function stackExport() {
  const resources = [
    {
      urn: `${STACK}::pulumi:pulumi:Stack::shop-prod`,
      custom: false,
      type: 'pulumi:pulumi:Stack',
      outputs: {},
    },
    {
      urn: `${STACK}::pulumi:providers:docker::default_4_5_0`,
      custom: true,
      id: '0f0f',
      type: 'pulumi:providers:docker',
      inputs: { version: '4.5.0' },
      outputs: { version: '4.5.0' },
    },
  ];
  for (let i = 0; i < NETWORKS; i++) resources.push(network(i));
  for (let i = 0; i < N; i++) {
    resources.push({
      urn: `${STACK}::bulkhead:docker:HardenedContainer::svc-${i}`,
      custom: false,
      type: 'bulkhead:docker:HardenedContainer',
    });
    resources.push(container(i));
  }
  return {
    version: 3,
    deployment: {
      manifest: { time: '2025-01-01T00:00:00Z', magic: '0'.repeat(64), version: 'v3.140.0' },
      secrets_providers: { type: 'passphrase', state: { salt: 'v1:AAAA:v1:BBBB:CCCC' } },
      resources,
    },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const text = JSON.stringify(stackExport());
const now = new Date('2025-06-01T00:00:00Z');
let lastFindings = 0;

function parseOnly() {
  const t = performance.now();
  JSON.parse(text);
  return performance.now() - t;
}
function full() {
  const t = performance.now();
  const set = fromStackExport(JSON.parse(text), 'stack.json');
  const report = evaluate(set, { now });
  const ms = performance.now() - t;
  lastFindings = report.findings.length;
  return ms;
}
/** The parts, for the report: adapter alone and evaluate alone on a converted set. */
function parts() {
  const json = JSON.parse(text);
  let t = performance.now();
  const set = fromStackExport(json, 'stack.json');
  const adapt = performance.now() - t;
  t = performance.now();
  evaluate(set, { now });
  return { adapt, evaluate: performance.now() - t };
}

// Warm-up: let the JIT see every path before measuring.
for (let i = 0; i < 2; i++) {
  parseOnly();
  full();
}
const base = [];
const whole = [];
const adapt = [];
const evalOnly = [];
for (let i = 0; i < RUNS; i++) {
  // Interleaved so that load from other processes hits both sides alike.
  base.push(parseOnly());
  whole.push(full());
  const p = parts();
  adapt.push(p.adapt);
  evalOnly.push(p.evaluate);
}

const mb = (text.length / 1024 / 1024).toFixed(1);
const baseMs = median(base);
const fullMs = median(whole);
const ratio = fullMs / baseMs;
const perSec = N / (fullMs / 1000);
const fmt = (ms) => `${ms.toFixed(1)} ms`;

console.log(
  `core-evaluate: ${N} containers, ${NETWORKS} networks (${SHARED} containers each), ${mb} MB of stack export, ${catalog.rules.length} rules, median of ${RUNS}`,
);
console.log(`  JSON.parse                          ${fmt(baseMs)}`);
console.log(`  JSON.parse + fromStackExport + evaluate ${fmt(fullMs)}  (${lastFindings} findings)`);
console.log(`    of which fromStackExport          ${fmt(median(adapt))}`);
console.log(`    of which evaluate                 ${fmt(median(evalOnly))}`);
console.log(
  `  ratio to JSON.parse: ${ratio.toFixed(2)}×  target ≤ 3×          ${ratio <= 3 ? 'PASS' : 'MISS'}`,
);
console.log(
  `  throughput: ${Math.round(perSec).toLocaleString('en')} containers/s  target ≥ 50,000/s  ${perSec >= 50_000 ? 'PASS' : 'MISS'}`,
);
const noParse = N / ((median(adapt) + median(evalOnly)) / 1000);
const parseCap = N / (baseMs / 1000);
console.log(
  `    without JSON.parse: ${Math.round(noParse).toLocaleString('en')} containers/s (JSON.parse alone caps this text at ${Math.round(parseCap).toLocaleString('en')}/s)`,
);
