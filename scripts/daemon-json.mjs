#!/usr/bin/env node
// Adds one runtime to a Docker daemon.json without touching anything else in it:
//
//   node scripts/daemon-json.mjs <daemon.json> <runtime-name> <runtime-path>
//
// - no file: writes { "runtimes": { <name>: { "path": <path> } } };
// - a file that parses as a JSON object: adds runtimes.<name> and keeps every other key and runtime;
//   the original is kept beside it as <file>.bulkhead-backup, and the new one replaces it atomically;
// - a runtime of that name already there (whatever its path): left as it is (the machine's own choice);
// - a file that does not parse, or is not an object, or whose `runtimes` is not an object: exit 1 with
//   one line, the file untouched.
// Prints one line saying what it did; exit 0 when the file now names the runtime.
import {
  copyFileSync,
  existsSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The merged config, or an error line; `changed` is false when the runtime was already there. */
export function mergeRuntime(text, name, runtimePath) {
  let config = {};
  if (text !== undefined) {
    try {
      config = JSON.parse(text);
    } catch {
      return { error: 'is not valid JSON; fix it or add the runtime by hand' };
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      return { error: 'is not a JSON object; fix it or add the runtime by hand' };
    }
  }
  const runtimes = config.runtimes ?? {};
  if (runtimes === null || typeof runtimes !== 'object' || Array.isArray(runtimes)) {
    return { error: '"runtimes" is not an object; fix it or add the runtime by hand' };
  }
  if (Object.hasOwn(runtimes, name)) return { config, changed: false };
  return { config: { ...config, runtimes: { ...runtimes, [name]: { path: runtimePath } } }, changed: true };
}

function main([file, name, runtimePath]) {
  if (!file || !name || !runtimePath) {
    console.error('usage: daemon-json.mjs <daemon.json> <runtime-name> <runtime-path>');
    return 2;
  }
  const exists = existsSync(file);
  // daemon.json is a few hundred bytes; anything past 1 MiB is not one.
  if (exists && statSync(file).size > 1024 * 1024) {
    console.error(`daemon-json: ${file} is larger than 1 MiB; not touching it`);
    return 1;
  }
  const result = mergeRuntime(exists ? readFileSync(file, 'utf8') : undefined, name, runtimePath);
  if ('error' in result) {
    console.error(`daemon-json: ${file} ${result.error} (not changed)`);
    return 1;
  }
  if (!result.changed) {
    console.log(`daemon-json: ${file} already has a "${name}" runtime; left as it is`);
    return 0;
  }
  if (exists) copyFileSync(file, `${file}.bulkhead-backup`);
  const tmp = `${file}.bulkhead-tmp`;
  writeFileSync(tmp, `${JSON.stringify(result.config, null, 2)}\n`, {
    mode: exists ? statSync(file).mode : 0o644,
  });
  renameSync(tmp, file);
  console.log(
    exists
      ? `daemon-json: added the "${name}" runtime to ${file} (every other setting kept; the original is ${file}.bulkhead-backup)`
      : `daemon-json: wrote ${file} with the "${name}" runtime`,
  );
  return 0;
}

const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (import.meta.url === invoked) process.exitCode = main(process.argv.slice(2));
