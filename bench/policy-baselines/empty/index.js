// Bench baseline: what every Node.js policy pack pays (run-policy-pack, @pulumi/policy, gRPC)
// with no policy work at all. Plain JavaScript, so it is as "compiled" as the pack it is
// compared with.
const { PolicyPack } = require('@pulumi/policy');

new PolicyPack('bench-empty', { policies: [] });
