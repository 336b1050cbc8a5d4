#!/usr/bin/env node
// Build step: derive the `bulkhead init` templates from the monorepo's examples (one source of
// truth) and write them to dist/templates/<name>. Runs after `tsc`, using the compiled deriver.
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { TEMPLATE_NAMES, deriveTemplate, packedPath } = require('../dist/init/templates.js');

const repoRoot = path.resolve(__dirname, '../../..');
const outRoot = path.resolve(__dirname, '../dist/templates');
rmSync(outRoot, { recursive: true, force: true });
for (const name of TEMPLATE_NAMES) {
  const files = deriveTemplate(path.join(repoRoot, 'examples', name), repoRoot);
  for (const file of files) {
    // npm drops `.gitignore` from tarballs: stored as `gitignore`, renamed back by `init`.
    const target = path.join(outRoot, name, packedPath(file.path));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  console.log(`templates: ${name} (${files.length} files) from examples/${name}`);
}
