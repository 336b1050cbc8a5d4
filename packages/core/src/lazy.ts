/**
 * Dependencies loaded on first use. `yaml` (compose files) and `zod` (exemption and seccomp
 * schemas) together cost about as much start-up time as the rest of core; the rule catalog, the
 * policy pack's per-resource checks and `bulkhead rules` need neither, so they are not loaded
 * until an adapter or a validator that needs them runs.
 * @internal
 */
import type * as Yaml from 'yaml';
import type * as Zod from 'zod';

let yamlModule: typeof Yaml | undefined;
let zodModule: typeof Zod | undefined;

/** The `yaml` module, required on first call. */
export function yaml(): typeof Yaml {
  yamlModule ??= require('yaml') as typeof Yaml;
  return yamlModule;
}

/** zod's `z` namespace, required on first call. */
export function zod(): typeof Zod.z {
  zodModule ??= require('zod') as typeof Zod;
  return zodModule.z;
}

/** Memoizes a zero-argument builder (for schemas built with {@link zod} on first use). */
export function lazily<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
