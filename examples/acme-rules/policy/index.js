// Acme's policy pack: Bulkhead's catalog plus Acme's rule package, in a few lines.
// `pulumi preview --policy-pack examples/acme-rules/policy`
const { buildCatalog } = require('@bulkhead/core');
const { createPack } = require('@bulkhead/policy-docker-hardening/factory');
const acme = require('@bulkhead/example-acme-rules').default;

createPack(buildCatalog({ packages: [acme] }), {
  name: 'acme-docker',
  displayName: 'Acme Docker policies',
  // cpu-limit is handled by Acme's scheduler; every other rule runs.
  select: { exclude: ['cpu-limit'] },
  // A foreign image blocks the update; so does a missing owner.
  enforcement: { 'acme/image-registry': 'mandatory', 'acme/owner-label': 'mandatory' },
});
