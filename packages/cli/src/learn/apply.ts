import type { ResourceSet } from '@bulkhead/core';
import { EXIT, UserError } from '../lib/exit.js';
import { readProfileFile } from './index.js';
import { profileAllows } from './profile.js';

/**
 * Applies `validate --learned-profile NAME=FILE` flags: reads and validates each learned profile
 * and sets `learnedSeccomp` on every container whose resource name (Pulumi logical name, compose
 * service, container name) is NAME, so `seccomp-within-learned-profile` can compare. A NAME that
 * matches no container is a usage error (exit 2): a typo would otherwise check nothing.
 */
export async function applyLearnedProfiles(
  inputs: readonly { resources: ResourceSet }[],
  flags: readonly string[],
): Promise<void> {
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq > 0 ? flag.slice(0, eq) : '';
    const file = eq > 0 ? flag.slice(eq + 1) : '';
    if (!name || !file) {
      throw new UserError(`--learned-profile ${flag}: expected NAME=FILE`, EXIT.usage, [
        '--learned-profile api=api.seccomp.json',
      ]);
    }
    const allowed = profileAllows(await readProfileFile(file));
    let matched = 0;
    for (const input of inputs) {
      for (const spec of input.resources.containers) {
        if (spec.source.name !== name) continue;
        spec.learnedSeccomp = { allowed, source: file };
        matched++;
      }
    }
    if (matched === 0) {
      throw new UserError(`--learned-profile ${name}: no container or service is named ${name}`, EXIT.usage, [
        'use the Pulumi resource name, the compose service name or the container name',
      ]);
    }
  }
}
