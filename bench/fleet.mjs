#!/usr/bin/env node
// Fleet audit at size on one machine: BENCH_ENGINES (default 500) fake Docker engines on loopback
// (packages/cli/test/fake-engine/server.cjs, answering from a recorded real `docker inspect`),
// BENCH_CONTAINERS (default 20) containers each, 5% of them dead (port refuses) or hanging
// (connections accepted, never answered), all audited by one run of the built binary from a hosts
// file: `audit --hosts-file … -f json -o … --timeout 5 --concurrency 32`. Target: under 120 s on
// 2 cores; peak RSS from /usr/bin/time -v (else the child's own maxRSS). Baseline in the same run:
// the same binary auditing one healthy engine; the ratio is the fleet's time over 500 such runs
// one after another. The fake engines run in this process, so they share the 2 cores with the CLI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.join(import.meta.dirname, '..');
const BIN = path.join(root, 'packages', 'cli', 'bin', 'run.js');
const { startFakeEngine } = require(path.join(root, 'packages', 'cli', 'test', 'fake-engine', 'server.cjs'));
const ENGINES = Number(process.env.BENCH_ENGINES ?? 500);
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 20);
const TARGET_MS = 120_000;

/** Runs the binary without blocking this process's event loop (the fake engines live here). */
function run(args) {
  const useTime = existsSync('/usr/bin/time');
  const [cmd, argv] = useTime
    ? ['/usr/bin/time', ['-v', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.resume();
    child.on('close', (code) => {
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ code, ms: Date.now() - started, kb, stderr });
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-bench-fleet-'));
const engines = [];
try {
  const bad = Math.round(ENGINES * 0.05);
  for (let i = 0; i < ENGINES; i++) {
    const mode = i % 20 === 7 && i < bad * 20 ? (i % 40 === 7 ? 'dead' : 'hang') : 'ok';
    engines.push(await startFakeEngine({ name: `e${i}`, containers: CONTAINERS, mode }));
  }
  const failedExpected = engines.filter((_, i) => i % 20 === 7 && i < bad * 20).length;
  const hosts = path.join(dir, 'hosts.yaml');
  writeFileSync(hosts, engines.map((e) => `- { name: ${e.name}, host: "${e.url}" }\n`).join(''));
  const healthy = engines.find((_, i) => i % 20 !== 7);
  const out = path.join(dir, 'fleet.json');
  const base = await run([
    'audit',
    '--host',
    healthy.url,
    '-f',
    'json',
    '-o',
    path.join(dir, 'one.json'),
    '--fail-on',
    'none',
  ]);
  const fleet = await run([
    'audit',
    '--hosts-file',
    hosts,
    '-f',
    'json',
    '-o',
    out,
    '--timeout',
    '5',
    '--concurrency',
    '32',
    '--fail-on',
    'none',
  ]);
  let doc;
  try {
    doc = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    doc = undefined;
  }
  const correct =
    fleet.code === 4 &&
    doc?.fleet?.engines === ENGINES &&
    doc.fleet.failed === failedExpected &&
    doc.summary.containers === (ENGINES - failedExpected) * CONTAINERS;
  const ok = correct && fleet.ms < TARGET_MS;
  const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
  console.log(
    `baseline: one engine × ${CONTAINERS} containers ${base.ms} ms (exit ${base.code}), peak RSS ${mib(base.kb)}`,
  );
  console.log(
    `fleet: ${ENGINES} engines × ${CONTAINERS} containers, ${failedExpected} dead or hanging: ${(fleet.ms / 1000).toFixed(1)} s ` +
      `(exit ${fleet.code}, ${doc?.fleet?.audited ?? '?'} audited, ${doc?.fleet?.failed ?? '?'} failed, ${doc?.summary?.containers ?? '?'} containers, ` +
      `report ${existsSync(out) ? (statSync(out).size / 1024 / 1024).toFixed(1) : '?'} MiB), peak RSS ${mib(fleet.kb)}`,
  );
  console.log(
    `fleet ${ok ? 'PASS' : 'MISS'}${correct ? '' : ' (report not as expected)'}: ${(fleet.ms / 1000).toFixed(1)} s of ${TARGET_MS / 1000} s; ` +
      `${(fleet.ms / (base.ms * ENGINES)).toFixed(3)}× ${ENGINES} single-engine runs`,
  );
  if (!correct) console.log(fleet.stderr.split('\n').slice(-5).join('\n'));
} finally {
  await Promise.all(engines.map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
}
