// Bench baseline: what @pulumi/policy itself costs per Analyze for N resource policies (it decodes
// the properties and builds a proxy for every policy) when the policies do nothing. N comes from
// BULKHEAD_BENCH_POLICIES, set by bench/policy.mjs to the pack's policy count.
const { PolicyPack } = require('@pulumi/policy');

const n = Number(process.env.BULKHEAD_BENCH_POLICIES ?? 49);
const policies = [];
for (let i = 0; i < n; i++)
  policies.push({ name: `noop-${i}`, description: 'does nothing', validateResource: () => {} });
new PolicyPack('bench-noop', { policies });
