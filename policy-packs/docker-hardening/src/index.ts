/**
 * Bulkhead's Docker hardening policy pack: every rule of `@bulkhead/core`'s catalog as a Pulumi
 * policy over `@pulumi/docker` containers, services and networks.
 *
 * Loaded by `pulumi preview --policy-pack <dir>` (through `run-policy-pack`), which requires
 * `main` and serves the policies over gRPC with `@pulumi/policy`'s own loop. Import only what
 * start-up needs: every millisecond here is paid on every preview.
 * @packageDocumentation
 */
import { catalog } from '@bulkhead/core';
import { createPack } from './factory.js';
import { PACK_NAME } from './pack.js';

export { PACK_NAME } from './pack.js';

createPack(catalog, {
  name: PACK_NAME,
  displayName: 'Bulkhead Docker hardening',
  description:
    "Bulkhead's Docker hardening catalog (CIS Docker Benchmark, Pod Security Standards) over @pulumi/docker " +
    'containers, swarm services and networks.',
  tags: ['docker', 'security', 'cis'],
});
