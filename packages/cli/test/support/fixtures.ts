import { type ContainerSpec, type NetworkSpec, Secret } from '@bulkhead/core';
import type { LoadedInput } from '../../src/lib/report.js';

/** Canary strings: if one appears in any output, a secret leaked. */
export const CANARY = {
  env: 'CANARY-ENV-9f3a1c',
  label: 'CANARY-LABEL-77b2e0',
  seccomp: 'CANARY-SECCOMP-41d5aa',
  image: 'CANARY-IMAGE-0c8e19',
};

/** A compose input: one privileged service carrying every canary, one clean-ish service. */
export function composeInput(): LoadedInput {
  const web: ContainerSpec = {
    source: {
      kind: 'compose',
      name: 'web',
      type: 'compose:service',
      location: { file: 'compose.yaml', line: 2 },
      fieldPaths: { privileged: 'services.web.privileged', securityOpt: 'services.web.security_opt' },
      locations: new Map([['services.web.privileged', { file: 'compose.yaml', line: 4 }]]),
    },
    image: new Secret(`registry.example/${CANARY.image}:1`),
    privileged: true,
    securityOpt: [new Secret(`seccomp={"defaultAction":"SCMP_ACT_ERRNO","x":"${CANARY.seccomp}"}`)],
    env: [{ name: 'API_TOKEN', value: new Secret(CANARY.env) }],
    labels: { team: new Secret(CANARY.label) },
  };
  const db: ContainerSpec = {
    source: {
      kind: 'compose',
      name: 'db <&"\'> ',
      type: 'compose:service',
      location: { file: 'compose.yaml', line: 9 },
    },
    securityOpt: ['no-new-privileges:true'],
    networkMode: 'host',
    labels: {
      'dev.bulkhead.exempt.no-host-network': 'the database needs host networking for a legacy probe',
    },
  };
  const net: NetworkSpec = {
    source: { kind: 'compose', name: 'backend', type: 'compose:network' },
    name: 'backend',
  };
  return { path: 'compose.yaml', kind: 'compose', resources: { containers: [web, db], networks: [net] } };
}

/** A Pulumi input whose one container has an unknown `privileged`. */
export function pulumiInput(): LoadedInput {
  const urn = 'urn:pulumi:dev::shop::docker:index/container:Container::api';
  const api: ContainerSpec = {
    source: { kind: 'pulumi', name: 'api', type: 'docker:index/container:Container', urn },
    privileged: { __bulkheadUnknown: true },
    securityOpt: ['no-new-privileges'],
  };
  return {
    path: 'infra',
    kind: 'pulumi',
    program: 'infra/index.ts',
    resources: { containers: [api], networks: [] },
  };
}
