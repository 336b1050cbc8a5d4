#!/usr/bin/env node
// The `bulkhead` binary. oclif reads oclif.manifest.json (written at build time) so that only the
// command being run is loaded; errors are printed as one line by oclif's handler.
// Piped or redirected (CI logs, scripts): keep each error on one line instead of wrapping at 80.
if (!process.stderr.isTTY && !process.env.OCLIF_COLUMNS) process.env.OCLIF_COLUMNS = '100000';

const oclif = require('@oclif/core');
// Always run the compiled commands: never look for TypeScript sources or ts-node (oclif would
// under NODE_ENV=development|test).
oclif.settings.enableAutoTranspile = false;
oclif.execute({ dir: __dirname }).catch((error) => {
  // Last resort: execute() already handles command errors; anything reaching here is a bug in
  // start-up. Print one line, never a stack (set DEBUG=* to see one).
  process.stderr.write(`Error: ${error?.message ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
