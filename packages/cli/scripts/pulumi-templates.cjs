#!/usr/bin/env node
// Writes the `bulkhead init` templates, as `pulumi new` templates, to the repository's templates/<name>
// (so `pulumi new <repo-url>/templates/web-db` works). Same derivation as the build's
// dist/templates (one source: examples/); test/init-templates.test.ts fails when they are stale.
// Run after building the CLI: `node packages/cli/scripts/pulumi-templates.cjs`.
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { TEMPLATE_NAMES, deriveTemplate } = require('../dist/init/templates.js');

const repoRoot = path.resolve(__dirname, '../../..');
for (const name of TEMPLATE_NAMES) {
  const outDir = path.join(repoRoot, 'templates', name);
  rmSync(outDir, { recursive: true, force: true });
  const files = deriveTemplate(path.join(repoRoot, 'examples', name), repoRoot);
  for (const file of files) {
    const target = path.join(outDir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  console.log(`templates/${name}: ${files.length} files from examples/${name}`);
}
