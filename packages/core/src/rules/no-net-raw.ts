import { capAdds, capDrops } from './support/capabilities.js';
import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.4: NET_RAW is in Docker's default set and enables spoofing and sniffing on the bridge. */
export const noNetRaw: ContainerRule = {
  id: 'no-net-raw',
  scope: 'container',
  title: 'Containers must not have NET_RAW',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'NET_RAW lets a process craft raw packets: ARP and DNS spoofing against neighbours on the same ' +
    'bridge, and ICMP tricks against the host. Docker grants it by default, so it must be dropped ' +
    'explicitly; ping works without it on current kernels through ping_group_range.',
  remediation: {
    pulumi: 'Add `"NET_RAW"` (or `"ALL"`) to `capabilities.drops` and never to `capabilities.adds`.',
    compose: 'Add `NET_RAW` (or `ALL`) under `cap_drop`; remove it from `cap_add`.',
    dockerRun: 'Pass `--cap-drop NET_RAW` (or `--cap-drop ALL`); do not `--cap-add NET_RAW`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.4',
    pss: 'Capabilities (baseline)',
    docs: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
  },
  example: { insecure: { capAdd: ['NET_RAW'] }, fails: 'capAdd[0]' },
  check(spec) {
    const adds = capAdds(spec);
    if (adds !== 'unknown') {
      const added = adds.caps.find((c) => c.name === 'NET_RAW' || c.name === 'ALL');
      if (added) {
        return fail(
          `capAdd[${added.index}]`,
          added.name === 'ALL' ? 'adds ALL capabilities, NET_RAW included' : 'adds capability NET_RAW',
        );
      }
    }
    const gap = expressGap(spec, 'capDrop', 'dropped capabilities');
    if (gap) return gap;
    const drops = capDrops(spec);
    if (drops === 'unknown') return unknown('capDrop');
    const dropped = drops.caps.some((c) => c.name === 'NET_RAW' || c.name === 'ALL');
    if (!dropped) {
      if (drops.unknownAt.length > 0) return unknown(`capDrop[${drops.unknownAt[0]}]`);
      return fail('capDrop', "keeps NET_RAW from Docker's default capability set");
    }
    if (adds === 'unknown') return unknown('capAdd');
    if (adds.unknownAt.length > 0) return unknown(`capAdd[${adds.unknownAt[0]}]`);
    return pass();
  },
};
