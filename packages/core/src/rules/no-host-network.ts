import { notHostMode } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.10: the host network namespace exposes every host interface and local service. */
export const noHostNetwork: ContainerRule = {
  id: 'no-host-network',
  scope: 'container',
  title: "Containers must not share the host's network namespace",
  severity: 'critical',
  level: 'baseline',
  rationale:
    'With the host network a container can bind any host port, sniff host traffic with NET_RAW and reach ' +
    'services listening only on the host loopback, such as the Docker API or cloud metadata proxies.',
  remediation: {
    pulumi:
      'Remove `networkMode: "host"`; attach the container to a user-defined network with `networksAdvanced`.',
    compose: 'Remove `network_mode: host`; put the service on a user-defined network.',
    dockerRun: 'Do not pass `--network host`; use `--network <user-defined network>`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.10',
    pss: 'Host Namespaces (baseline)',
    docs: 'https://docs.docker.com/engine/network/drivers/host/',
  },
  example: { insecure: { networkMode: 'host', networks: undefined }, fails: 'networkMode' },
  check: (spec) => notHostMode(spec.networkMode, 'networkMode', 'network'),
};
