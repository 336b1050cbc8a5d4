// Report streaming under the input limit: a generated `pulumi stack export` just under the CLI's
// 32 MiB input limit, every container insecure (so most rules fail), through
// `bulkhead validate FILE --format F -o OUT` in every format. Prints, per format, whether it
// completed, the wall time, the report size and the peak resident memory (maxRSS, from
// /usr/bin/time -v when present, else the child's process.resourceUsage). Target: every format
// completes (no "Invalid string length", no heap OOM). Always exits 0.
//
//   npm run build && node bench/report-memory.mjs
//   BENCH_MIB=8 node bench/report-memory.mjs          # a smaller stack
//   BENCH_FORMATS=json,sarif BENCH_BIN=<other checkout>/packages/cli/bin/run.js node bench/report-memory.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.BENCH_BIN ?? path.join(root, 'packages/cli/bin/run.js');
const FORMATS = (process.env.BENCH_FORMATS ?? 'table,json,sarif,junit').split(',');
if (!existsSync(path.join(root, 'packages/cli/dist/bulkhead.js'))) {
  console.error('report-memory: build first: npm run build');
  process.exit(0);
}
const LIMIT = 32 * 1024 * 1024;
const TARGET = Math.min(LIMIT - 64 * 1024, Number(process.env.BENCH_MIB ?? 32) * 1024 * 1024 - 64 * 1024);
const STACK = 'urn:pulumi:prod::big';

/** One insecure container (privileged, host network, no drops, root, writable root…). */
function container(i) {
  const name = `svc-${i}`;
  return {
    urn: `${STACK}::docker:index/container:Container::${name}`,
    custom: true,
    id: `c${i}`,
    type: 'docker:index/container:Container',
    inputs: {
      __defaults: [],
      name,
      image: `registry.example/team-${i % 50}/app:${i % 7}.0`,
      privileged: true,
      networkMode: 'host',
      pidMode: 'host',
      user: 'root',
      capabilities: { __defaults: [], adds: ['SYS_ADMIN', 'NET_ADMIN'] },
      securityOpts: ['seccomp=unconfined', 'apparmor=unconfined'],
      labels: [{ __defaults: [], label: 'team', value: `team-${i % 50}` }],
    },
    outputs: { name, id: `c${i}` },
  };
}

function generate(file) {
  const head = `{"version":3,"deployment":{"manifest":{"time":"2026-12-03T00:00:00Z"},"resources":[`;
  const tail = ']}}\n';
  const parts = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
  let n = 0;
  for (;;) {
    const text = `${n ? ',' : ''}${JSON.stringify(container(n))}`;
    const bytes = Buffer.byteLength(text);
    if (size + bytes > TARGET) break;
    parts.push(text);
    size += bytes;
    n++;
  }
  parts.push(tail);
  writeFileSync(file, parts.join(''));
  return n;
}

const dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-bench-report-'));
try {
  const input = path.join(dir, 'stack.json');
  const n = generate(input);
  const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`input: ${mib(statSync(input).size)} stack export, ${n} containers (limit ${mib(LIMIT)})`);
  const useTime = existsSync('/usr/bin/time');
  // Without /usr/bin/time: a preloaded hook prints the process's own maxRSS (KiB) at exit.
  const hook = path.join(dir, 'rss-hook.cjs');
  writeFileSync(
    hook,
    "process.on('exit', () => process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS + '\\n'));\n",
  );
  const rows = [];
  for (const format of FORMATS) {
    const out = path.join(dir, `report.${format}`);
    const args = [BIN, 'validate', input, '--format', format, '-o', out, '--fail-on', 'none'];
    const started = Date.now();
    const r = useTime
      ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        })
      : spawnSync(process.execPath, ['--require', hook, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = Date.now() - started;
    const kb = useTime
      ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN)
      : Number(/maxRSS (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
    const ok = r.status === 0 && existsSync(out);
    const size = ok ? statSync(out).size : 0;
    const problem = ok
      ? ''
      : ` (${(r.stderr.split('\n').find((l) => /Error|heap|Invalid/.test(l)) ?? `exit ${r.status}`).trim()})`;
    rows.push([
      format,
      ok ? 'PASS' : 'MISS',
      `${(ms / 1000).toFixed(1)} s`,
      mib(size),
      `${(kb / 1024).toFixed(0)} MiB`,
    ]);
    console.log(
      `${format.padEnd(6)} ${ok ? 'PASS' : 'MISS'}${problem}: ${(ms / 1000).toFixed(1)} s, report ${mib(size)}, peak RSS ${(kb / 1024).toFixed(0)} MiB`,
    );
    rmSync(out, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
