import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, pass, unknown } from './types.js';

/** Names of Docker's default bridge network. */
const DEFAULT_BRIDGE = new Set(['bridge', 'default', '']);

/** CIS 5.30: the default bridge has no name resolution isolation and puts every container together. */
export const isolatedNetwork: ContainerRule = {
  id: 'isolated-network',
  scope: 'container',
  title: "Containers must not use Docker's default bridge network",
  severity: 'medium',
  level: 'baseline',
  rationale:
    'Every container started without a network lands on the default bridge (docker0), next to every ' +
    'other such container, with inter-container traffic allowed. A user-defined network (or none) ' +
    'limits who can reach whom and can be made internal. Docker Compose already puts a service that ' +
    "names no network on the project's own user-defined network (`<project>_default`); only " +
    '`network_mode: bridge`, or an external network named `bridge`, puts it on the default bridge.',
  remediation: {
    pulumi:
      'Attach the container to a user-defined network with `networksAdvanced`, or set `networkMode: "none"`.',
    compose:
      'Remove `network_mode: bridge` (the service then joins the project network) or attach it to a ' +
      'user-defined network under `networks` instead of an external network named `bridge` (or use `network_mode: none`).',
    dockerRun: 'Pass `--network <user-defined network>` or `--network none`.',
  },
  references: {
    nist: '4.3.3',
    cis: '5.30',
    docs: 'https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge',
  },
  example: { insecure: { networks: undefined, networkMode: 'bridge' }, fails: 'networkMode' },
  check(spec) {
    const mode = spec.networkMode;
    if (mode !== undefined && typeof mode !== 'string') return unknown('networkMode');
    const m = typeof mode === 'string' ? mode.trim().toLowerCase() : undefined;
    // none, host (no-host-network's finding), container:<id> and user-defined names are not the default bridge.
    if (m !== undefined && !DEFAULT_BRIDGE.has(m)) return pass();
    const nets = spec.networks;
    if (nets === undefined || (Array.isArray(nets) && nets.length === 0)) {
      return fail(m === undefined ? 'networks' : 'networkMode', 'is attached to the default bridge network');
    }
    if (!Array.isArray(nets)) return unknown('networks');
    const out: Outcome[] = [];
    nets.forEach((n, i) => {
      const name = typeof n === 'object' && n !== null ? n.name : undefined;
      if (typeof name !== 'string') out.push(unknown(`networks[${i}]`));
      else if (DEFAULT_BRIDGE.has(name.trim().toLowerCase())) {
        out.push(fail(`networks[${i}]`, 'is attached to the default bridge network'));
      }
    });
    return collect(out);
  },
};
