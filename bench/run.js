#!/usr/bin/env node
// `npm run bench`: builds the packages, runs every benchmark in bench/ one after another (each
// measures its own baseline in the same run), then prints one table of every line that states a
// ratio or a target verdict. Not part of `npm test`. Pass names to run a subset:
//   npm run bench -- core-evaluate cli
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ALL = [
  'core-evaluate',
  'shared-network',
  'components',
  'policy',
  'cli',
  'start-latency',
  'seccomp-learn',
  'report-memory',
  'fleet',
];
const wanted = process.argv.slice(2);
const benches = wanted.length ? ALL.filter((b) => wanted.includes(b)) : ALL;
const root = path.join(__dirname, '..');

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const rows = [];
for (const name of benches) {
  console.log(`\n=== bench/${name}.mjs`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(__dirname, `${name}.mjs`)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  const lines = (run.stdout ?? '').split('\n').filter((l) => /\b(PASS|MISS)\b|[0-9.]+\s*[x×]\b/.test(l));
  if (run.status !== 0) rows.push([name, `did not complete (exit ${run.status})`]);
  for (const l of lines) rows.push([name, l.trim()]);
  rows.push([name, `(${((Date.now() - started) / 1000).toFixed(0)} s)`]);
}

console.log('\n=== Summary: ratios against baselines measured in this run');
const w = Math.max(...rows.map((r) => r[0].length));
for (const [name, line] of rows) console.log(`${name.padEnd(w)}  ${line}`);
