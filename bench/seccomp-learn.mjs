#!/usr/bin/env node
// bulkhead seccomp learn: allowed calls vs Docker's default and the reduction, per workload, and
// the time to learn a ~10-second exercise beside the same exercise's own run time under runc
// (default seccomp, no tracing), measured in the same run. Needs root, runsc, the engine and a
// built CLI (npm run build). Target: ≥ 80% fewer allowed calls.
// PASS/MISS is printed; the exit code is 0 unless something could not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'packages', 'cli', 'bin', 'run.js');
const IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET = 80;

// Each exercise repeats its workload for SECONDS of wall time, then exits 0.
const loop = (body) =>
  `n=0\nend=$(( $(date +%s) + ${SECONDS} ))\nwhile [ "$(date +%s)" -lt "$end" ]; do\n${body}\nn=$((n+1))\ndone\necho "iterations $n"\n`;
const WORKLOADS = {
  'files (sh loop: write /tmp, read back)': loop(
    '  i=0; while [ $i -lt 20 ]; do echo "line $i" > /tmp/f$i; cat /tmp/f$i >/dev/null; i=$((i+1)); done',
  ),
  'http (busybox httpd on loopback + wget)': `mkdir -p /tmp/www && echo hello > /tmp/www/index.html\nhttpd -p 127.0.0.1:8080 -h /tmp/www\nsleep 0.2\n${loop('  wget -q -O /tmp/got http://127.0.0.1:8080/index.html || exit 1')}`,
};

const dir = mkdtempSync(path.join(tmpdir(), 'bench-seccomp-learn-'));
const rows = [];
try {
  for (const [name, script] of Object.entries(WORKLOADS)) {
    const file = path.join(dir, 'exercise.sh');
    writeFileSync(file, script);
    // Baseline: the same exercise under runc, Docker's default seccomp, no tracing.
    const t0 = Date.now();
    const base = spawnSync(
      'docker',
      ['run', '--rm', '--network', 'none', '-v', `${file}:/ex.sh:ro`, IMAGE, 'sh', '/ex.sh'],
      { encoding: 'utf8' },
    );
    const baseMs = Date.now() - t0;
    if (base.status !== 0) throw new Error(`baseline run of ${name} failed: ${base.stderr}`);
    const out = path.join(dir, 'profile.json');
    const t1 = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'seccomp',
        'learn',
        '--image',
        IMAGE,
        '--exercise',
        file,
        '--duration',
        `${SECONDS * 6}s`,
        '-o',
        out,
        '--format',
        'json',
      ],
      { encoding: 'utf8' },
    );
    const learnMs = Date.now() - t1;
    if (r.status !== 0) throw new Error(`learn ${name} exited ${r.status}: ${r.stderr}`);
    const rep = JSON.parse(r.stdout);
    JSON.parse(readFileSync(out, 'utf8'));
    const iters = (t) => Number(/iterations (\d+)/.exec(t ?? '')?.[1] ?? Number.NaN);
    rows.push({
      name,
      ...rep.summary,
      tracedMs: rep.trace.ms,
      events: rep.trace.events,
      learnMs,
      baseMs,
      baseIters: iters(base.stdout),
      tracedIters: iters(rep.trace.output),
    });
  }
} catch (error) {
  console.error(`bench could not run: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

for (const w of rows) {
  const verdict = w.reductionPercent >= TARGET ? 'PASS' : 'MISS';
  console.log(`${w.name}`);
  console.log(
    `  allowed ${w.allowed.length} vs Docker default ${w.dockerDefaultCount}: ${w.reductionPercent}% fewer (target ≥ ${TARGET}%) ${verdict}`,
  );
  console.log(
    `  ${SECONDS}-second exercise: runc (no tracing) ${(w.baseMs / 1000).toFixed(1)} s; learning ${(w.learnMs / 1000).toFixed(1)} s total ` +
      `(traced run ${(w.tracedMs / 1000).toFixed(1)} s, ${w.events} calls traced) = ${(w.learnMs / w.baseMs).toFixed(2)}×`,
  );
  console.log(
    `  work done in those seconds: runc ${w.baseIters} iterations, traced ${w.tracedIters} = tracing slows it ${(w.baseIters / w.tracedIters).toFixed(1)}×`,
  );
}
