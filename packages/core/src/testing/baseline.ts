import type { ContainerSpec, NetworkSpec } from '../model/spec.js';

/*
 * The compliant cases the rule test kit mutates. Core's own tests, the policy pack's and the
 * components' tests start from these, and so can a team's tests of its own rules.
 */

/** A container that passes every rule in the catalog. Tests mutate one field at a time. */
export function compliantContainer(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    source: {
      kind: 'pulumi',
      name: 'web',
      type: 'docker:index/container:Container',
      urn: 'urn:pulumi:dev::app::docker:index/container:Container::web',
    },
    image: 'registry.example/web@sha256:' + 'a'.repeat(64),
    user: '10001:10001',
    privileged: false,
    capDrop: ['ALL'],
    capAdd: [],
    securityOpt: ['no-new-privileges:true', 'apparmor=docker-default'],
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=16m,noexec,nosuid,nodev,uid=10001,gid=10001' },
    mounts: [],
    networks: [{ name: 'web-internal' }],
    cgroupnsMode: 'private',
    memory: 256 * 1024 * 1024,
    memorySwap: 256 * 1024 * 1024,
    nanoCpus: 500_000_000,
    pidsLimit: 128,
    ports: [],
    healthcheck: { test: ['CMD', '/bin/true'] },
    restart: { policy: 'on-failure', maxRetries: 3 },
    ulimits: [
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 128, hard: 128 },
    ],
    env: [{ name: 'PORT', value: '8080' }],
    logDriver: 'json-file',
    logOpts: { 'max-size': '10m', 'max-file': '3' },
    init: true,
    runtime: 'runc',
    labels: {},
    ...overrides,
  };
}

/** A network that passes every network rule. */
export function compliantNetwork(overrides: Partial<NetworkSpec> = {}): NetworkSpec {
  return {
    source: { kind: 'pulumi', name: 'web-internal', type: 'docker:index/network:Network' },
    name: 'web-internal',
    driver: 'bridge',
    internal: true,
    options: { 'com.docker.network.bridge.enable_icc': 'false' },
    ...overrides,
  };
}
