// Bundles a package's compiled JavaScript into one file with esbuild (the bundler oclif documents
// for its `explicit` command discovery; fast, one native binary, no config):
//
//   node ../../scripts/bundle.mjs <entry> <outfile> [external package…]     (run in the package)
//
// Loading one file instead of dozens or hundreds saves most of the start-up spent resolving and
// reading modules (bench/cli.mjs, bench/policy.mjs measure it). Modules reached through require()
// stay lazily initialized, so a bundle loads no more code than the files it replaces. Packages
// listed as external load from node_modules when used: large or native ones, and other Bulkhead
// packages, which must exist once per process (core's Secret and InputError are checked with
// instanceof across packages).
import { resolve } from 'node:path';
import { build } from 'esbuild';

const [entry, outfile, ...external] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: node scripts/bundle.mjs <entry> <outfile> [external package…]');
  process.exit(2);
}
const result = await build({
  entryPoints: [resolve(entry)],
  outfile: resolve(outfile),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external,
  legalComments: 'eof',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(
  `${outfile}: ${(bytes / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} modules`,
);
