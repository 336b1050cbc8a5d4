// Test fixture: src/index.ts with one change, the SDK version sdk.ts trusts, so that the installed
// @pulumi/policy counts as unverified and the pack runs on the SDK's plain path.
const { catalog } = require('@bulkhead/core');
const { PolicyPack } = require('@pulumi/policy');
const { PACK_NAME } = require('../../dist/pack.js');
const { buildPolicies, createState } = require('../../dist/policies.js');
const { interceptAnalyzer } = require('../../dist/sdk.js');
const { SETTINGS_POLICY } = require('../../dist/settings.js');

const state = createState(catalog);
const policies = buildPolicies(state);
state.verified = interceptAnalyzer(state.wire, SETTINGS_POLICY, (config) => state.settings.load(config), {
  verified: '0.0.0-not-installed',
});
new PolicyPack(PACK_NAME, { policies });
