#!/usr/bin/env node
// Bench for the `bulkhead` CLI. Prints times and ratios against baselines measured in the same
// run, then PASS/MISS against the targets; always exits 0 (a bench is not a test).
//   node bench/cli.mjs            # everything (audit part needs a Docker engine)
//   node bench/cli.mjs --no-audit # skip creating 100 containers
// Needs a build: npm run build -w @bulkhead/core -w @bulkhead/components -w @bulkhead/cli
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/run.js');
const IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const results = [];

function time(cmd, args, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, r };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
/** Median wall time of each command, runs interleaved so load changes hit them alike. */
function compare(named, runs = RUNS) {
  const times = named.map(() => []);
  for (let i = 0; i < runs; i++) {
    named.forEach(([, cmd, args], j) => {
      times[j].push(time(cmd, args).ms);
    });
  }
  return times.map(median);
}
function report(name, value, base, target) {
  const ratio = value / base;
  const verdict = ratio <= target ? 'PASS' : 'MISS';
  results.push(verdict);
  console.log(
    `${verdict}  ${name}: ${value.toFixed(0)} ms vs ${base.toFixed(0)} ms = ${ratio.toFixed(2)}x (target <= ${target}x)`,
  );
}

// 1. Cold start.
console.log(`== cold start (median of ${RUNS}, interleaved)`);
const [node0, help, list] = compare([
  ['node -e 0', process.execPath, ['-e', '0']],
  ['bulkhead --help', process.execPath, [BIN, '--help']],
  ['bulkhead rules list', process.execPath, [BIN, 'rules', 'list']],
]);
report('bulkhead --help', help, node0, 2);
report('bulkhead rules list', list, node0, 2);

// 2. validate of a 100-service compose file.
const work = mkdtempSync(join(tmpdir(), 'bulkhead-bench-'));
try {
  const services = Array.from(
    { length: 100 },
    (_, i) =>
      `  svc${i}:\n    image: registry.example/svc${i}:1.${i}\n    user: "10001"\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n    security_opt: ["no-new-privileges:true"]\n    read_only: true\n    mem_limit: 128m\n    ports: ["127.0.0.1:${8000 + i}:80"]\n    environment:\n      LOG_LEVEL: info\n`,
  ).join('');
  const compose = join(work, 'compose.yaml');
  writeFileSync(compose, `services:\n${services}`);
  const [v] = compare(
    [['validate', process.execPath, [BIN, 'validate', compose, '--fail-on', 'none', '-f', 'json']]],
    5,
  );
  const check = time(process.execPath, [BIN, 'validate', compose, '--fail-on', 'none', '-f', 'json']).r;
  const n =
    check.status === 0 ? JSON.parse(check.stdout).summary.containers : `error: ${check.stderr.trim()}`;
  console.log(
    `\n== validate of a 100-service compose file (median of 5)\nINFO  ${v.toFixed(0)} ms for ${n} services (vs node -e 0: ${(v / node0).toFixed(2)}x)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

// 3. audit of 100 live containers vs `docker inspect` of the same containers.
if (process.argv.includes('--no-audit')) {
  console.log('\nSKIP  audit (--no-audit)');
} else if (spawnSync('docker', ['info'], { encoding: 'utf8' }).status !== 0) {
  console.log('\nSKIP  audit: no Docker engine answers');
} else {
  const prefix = `bhbench-${process.pid}`;
  const names = Array.from({ length: 100 }, (_, i) => `${prefix}-${i}`);
  console.log(`\n== audit of ${names.length} live containers vs docker inspect (median of 5)`);
  try {
    for (const name of names) {
      const r = spawnSync(
        'docker',
        ['run', '-d', '--name', name, '--network', 'none', IMAGE, 'sleep', '600'],
        {
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(`docker run ${name}: ${r.stderr}`);
    }
    const ids = spawnSync('docker', ['ps', '-q', '--filter', `name=${prefix}-`], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    const auditArgs = [BIN, 'audit', '--filter', `name=${prefix}-`, '-f', 'json', '--fail-on', 'none'];
    const [inspect, audit, start] = compare(
      [
        ['docker inspect', 'docker', ['inspect', ...ids]],
        ['bulkhead audit', process.execPath, auditArgs],
        ['bulkhead rules list', process.execPath, [BIN, 'rules', 'list']],
      ],
      5,
    );
    // What audit adds on top of the CLI's own start-up (list, 100 inspections, evaluation, JSON).
    console.log(
      `INFO  audit minus CLI start-up (rules list): ${(audit - start).toFixed(0)} ms vs docker inspect ${inspect.toFixed(0)} ms`,
    );
    const check = time(process.execPath, [
      BIN,
      'audit',
      '--filter',
      `name=${prefix}-`,
      '-f',
      'json',
      '--fail-on',
      'none',
    ]).r;
    const n =
      check.status === 0 ? JSON.parse(check.stdout).summary.containers : `error: ${check.stderr.trim()}`;
    console.log(`INFO  audit saw ${n} containers`);
    report('bulkhead audit (100 containers)', audit, inspect, 1.5);
  } finally {
    for (let i = 0; i < names.length; i += 50)
      spawnSync('docker', ['rm', '-f', ...names.slice(i, i + 50)], { encoding: 'utf8' });
  }
}

console.log(
  `\n${results.filter((r) => r === 'PASS').length} PASS, ${results.filter((r) => r === 'MISS').length} MISS`,
);
