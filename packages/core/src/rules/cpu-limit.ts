import { SECURE } from '../model/secure-values.js';
import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.12: cap CPU time so one container cannot starve its neighbours. */
export const cpuLimit: ContainerRule = {
  id: 'cpu-limit',
  scope: 'container',
  title: 'Containers must have a CPU limit',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A container without a CPU cap can use every core, starving other containers and host services (a ' +
    'cheap denial of service, or the cost of a cryptominer). `cpus` or a CFS quota is a hard cap; ' +
    'CPU shares are only a relative weight that applies under contention and caps nothing.',
  remediation: {
    pulumi: `Set \`cpus: "${SECURE.cpus}"\` (or \`cpuQuota\` with \`cpuPeriod\`, in microseconds).`,
    compose: `Set \`cpus: ${SECURE.cpus}\` (or \`deploy.resources.limits.cpus\`).`,
    dockerRun: `Pass \`--cpus ${SECURE.cpus}\`.`,
  },
  references: {
    nist: '4.4.3',
    cis: '5.12',
    docs: 'https://docs.docker.com/engine/containers/resource_constraints/#cpu',
  },
  example: { insecure: { nanoCpus: undefined }, fails: 'nanoCpus' },
  check(spec) {
    const gap = expressGap(spec, 'nanoCpus', 'a CPU limit');
    if (gap) return gap;
    const { nanoCpus, cpuQuota, cpuShares } = spec;
    if (typeof nanoCpus === 'number' && nanoCpus > 0) return pass();
    if (typeof cpuQuota === 'number' && cpuQuota > 0) return pass();
    if (nanoCpus !== undefined && typeof nanoCpus !== 'number') return unknown('nanoCpus');
    if (cpuQuota !== undefined && typeof cpuQuota !== 'number') return unknown('cpuQuota');
    if (typeof cpuShares === 'number' && cpuShares > 0) {
      return fail('cpuShares', 'sets only CPU shares, a relative weight and not a limit');
    }
    return fail('nanoCpus', 'has no CPU limit');
  },
};
