#!/bin/sh
// 2>/dev/null; exec node -- "$0" "$@"
// Started as a shell script, the line above (a comment for JavaScript) re-runs this file as `node -- <this file> <args>`.
// Node.js reads `--env-file <path>` anywhere in its command line, even after the script
// (nodejs/node#54232): `bulkhead validate --env-file x` would load x into the environment, or
// exit 9 "node: x: not found" before bulkhead starts. Node stops at `--`, so our own
// `--env-file` reaches oclif. Run directly as `node bin/run.js`, Node's reading applies again.
// The `bulkhead` binary. It runs the bundle (dist/bulkhead.js: oclif and every command, each
// loaded only when run); oclif reads oclif.manifest.json (written at build time) for help and
// command lookup. Errors are printed as one line by oclif's handler.
// Piped or redirected (CI logs, scripts): keep each error on one line instead of wrapping at 80.
if (!process.stderr.isTTY && !process.env.OCLIF_COLUMNS) process.env.OCLIF_COLUMNS = '100000';

// oclif's engine check reads the package.json beside its own files, which in the bundle is this
// package's, and loads semver to do it (~4 ms of every start): npm checks `engines` at install.
if (process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined) process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
const oclif = require('../dist/bulkhead.js');
// Always run the compiled commands: never look for TypeScript sources or ts-node (oclif would
// under NODE_ENV=development|test).
oclif.settings.enableAutoTranspile = false;
// oclif.execute(), with errors raised before a command runs (an unknown command's name) escaped
// for the terminal too; each command escapes its own (src/lib/base.ts).
oclif
  .run(process.argv.slice(2), __dirname)
  .then(() => oclif.flush())
  .catch((error) => oclif.handle(oclif.terminalSafeError(error)))
  .catch((error) => {
    // Last resort: execute() already handles command errors; anything reaching here is a bug in
    // start-up. Print one line, never a stack (set DEBUG=* to see one).
    const text = error?.message ? error.message : String(error);
    process.stderr.write(
      `Error: ${text.split('\n')[0].replace(/[^\x20-\x7e\u00a0-\u2027\u202f-\u2065\u206a-\ufffc]/g, '?')}\n`,
    );
    process.exitCode = 2;
  });
