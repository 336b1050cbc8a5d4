/**
 * `@acme/bulkhead-rules`: Acme's house rules on Bulkhead's model. Bulkhead's surfaces run them beside
 * the built-in catalog: the CLI through `rules` in bulkhead.config.mjs, a policy pack through
 * `createPack(buildCatalog({ packages: [acme] }), …)`.
 * @packageDocumentation
 */
import { defineRulePackage } from '@bulkhead/core';
import { imageRegistry } from './image-registry.js';
import { oneOwnerPerNetwork } from './one-owner-per-network.js';
import { ownerLabel } from './owner-label.js';

export { ALLOWED_REGISTRIES, imageRegistry } from './image-registry.js';
export { oneOwnerPerNetwork } from './one-owner-per-network.js';
export { OWNER_LABEL, ownerLabel } from './owner-label.js';

export default defineRulePackage({
  name: '@acme/bulkhead-rules',
  rules: [imageRegistry, ownerLabel, oneOwnerPerNetwork],
});
