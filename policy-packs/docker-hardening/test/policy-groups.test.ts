/**
 * Organization-wide enforcement (docs/org-enforcement.md): Pulumi Cloud runs the published pack in
 * every preview/update of a policy group's stacks, configured per group with `pulumi policy enable
 * --policy-group <group> --config <file>`. What this machine can run of that: the pack under the
 * real analyzer protocol (@bulkhead/policy-harness), configured with each group's file as the
 * engine sends it. Publishing and the Pulumi Cloud side are not run here.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { catalog } from '@bulkhead/core';
import {
  type PolicyPackConfig,
  type PolicyPackHandle,
  type ResourceInput,
  startPolicyPack,
} from '@bulkhead/policy-harness';
import { CONTAINER, compliantContainer } from './fixtures.js';
import { assertBuilt, PACK_DIR } from './support.js';

jest.setTimeout(120_000);

/** The config the pack ships for `pulumi policy enable --config` (the production group's here). */
const shipped = JSON.parse(
  readFileSync(path.join(PACK_DIR, 'examples', 'config.json'), 'utf8'),
) as PolicyPackConfig;
/** A development group: everything advisory, the baseline profile. */
const development: PolicyPackConfig = { all: 'advisory', 'bulkhead-settings': { profile: 'baseline' } };

const privileged: ResourceInput = {
  type: CONTAINER,
  name: 'web',
  properties: { ...compliantContainer(), privileged: true },
};

let pack: PolicyPackHandle;
beforeAll(async () => {
  assertBuilt(catalog.rules.map((r) => r.id));
  pack = await startPolicyPack(PACK_DIR);
});
afterAll(async () => {
  await pack?.close();
});

describe('one published pack, a config per policy group', () => {
  it('accepts the shipped config and blocks a privileged container under it', async () => {
    await pack.configure(shipped);
    const vs = (await pack.analyze(privileged)).filter((v) => v.policyName === 'no-privileged');
    expect(vs.map((v) => v.enforcementLevel)).toEqual(['mandatory']);
    expect((await pack.analyze(privileged)).filter((v) => v.policyName === 'bulkhead-settings')).toEqual([]);
  });

  it('reports the same container as advisory under the development group’s config', async () => {
    await pack.configure(development);
    const vs = (await pack.analyze(privileged)).filter((v) => v.policyName === 'no-privileged');
    expect(vs.map((v) => v.enforcementLevel)).toEqual(['advisory']);
  });

  it('refuses a group config with an enforcement level Pulumi does not have, naming the policy', async () => {
    await expect(
      pack.configure({ 'no-privileged': 'blocking' } as unknown as PolicyPackConfig),
    ).rejects.toThrow(/no-privileged: "blocking" is not an enforcement level/);
  });
});
