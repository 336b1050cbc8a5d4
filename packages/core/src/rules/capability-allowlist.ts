import { capAdds, describeCap } from './support/capabilities.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** The only capability PSS restricted lets a container add back. */
const ALLOWED = new Set(['NET_BIND_SERVICE']);

/** CIS 5.4, PSS restricted: the only capability a container may add is NET_BIND_SERVICE. */
export const capabilityAllowlist: ContainerRule = {
  id: 'capability-allowlist',
  scope: 'container',
  title: 'Containers may add back only NET_BIND_SERVICE',
  severity: 'high',
  level: 'restricted',
  rationale:
    'The Pod Security Standards restricted profile allows adding only NET_BIND_SERVICE after dropping ' +
    'ALL. Every other capability widens what a compromised process can do to files, processes or the ' +
    'network; needing one is a design decision that deserves a written exemption.',
  remediation: {
    pulumi:
      'Keep `capabilities.adds` to `["NET_BIND_SERVICE"]` or empty; for anything else record an exemption ' +
      'label with the reason.',
    compose: 'Keep `cap_add` to `NET_BIND_SERVICE` or remove it.',
    dockerRun: 'Pass no `--cap-add` other than `--cap-add NET_BIND_SERVICE`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.4',
    pss: 'Capabilities (restricted)',
    docs: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
  },
  example: { insecure: { capAdd: ['CHOWN'] }, fails: 'capAdd[0]' },
  check(spec) {
    const adds = capAdds(spec);
    if (adds === 'unknown') return unknown('capAdd');
    const out: Outcome[] = adds.caps
      .filter((c) => !ALLOWED.has(c.name))
      .map((c) => fail(`capAdd[${c.index}]`, `adds ${describeCap(c.name)} outside the allowlist`));
    for (const i of adds.unknownAt) out.push(unknown(`capAdd[${i}]`));
    return collect(out);
  },
};
