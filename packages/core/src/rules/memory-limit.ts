import { SECURE } from '../model/secure-values.js';
import { collect, expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, pass, unknown } from './types.js';

/** CIS 5.11: a memory limit keeps one container from exhausting host memory. */
export const memoryLimit: ContainerRule = {
  id: 'memory-limit',
  scope: 'container',
  title: 'Containers must have a memory limit, with no swap beyond it',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'Without a limit a leaking or attacked container can take all host memory, and the kernel OOM killer ' +
    'then picks victims among other containers and host services. Swap above the limit turns the same ' +
    'problem into host-wide slowness, so memory+swap should equal the memory limit.',
  remediation: {
    pulumi: `Set \`memory\` (in MB, e.g. \`${SECURE.memoryMb}\`) and \`memorySwap\` to the same value.`,
    compose: `Set \`mem_limit: ${SECURE.memoryMb}m\` and \`memswap_limit: ${SECURE.memoryMb}m\` (or \`deploy.resources.limits.memory\`).`,
    dockerRun: `Pass \`--memory ${SECURE.memoryMb}m --memory-swap ${SECURE.memoryMb}m\`.`,
  },
  references: {
    nist: '4.4.3',
    cis: '5.11',
    docs: 'https://docs.docker.com/engine/containers/resource_constraints/#memory',
  },
  example: { insecure: { memory: undefined, memorySwap: undefined }, fails: 'memory' },
  check(spec) {
    const gap = expressGap(spec, 'memory', 'a memory limit');
    if (gap) return gap;
    const memory = spec.memory;
    if (memory === undefined) return fail('memory', 'has no memory limit');
    if (typeof memory !== 'number') return unknown('memory');
    if (!(memory > 0)) return fail('memory', 'has no memory limit (0 means unlimited)');
    const swap = spec.memorySwap;
    if (swap === undefined || swap === 0) return pass();
    if (typeof swap !== 'number') return unknown('memorySwap');
    const out: Outcome[] = [];
    if (swap < 0) out.push(fail('memorySwap', 'allows unlimited swap'));
    else if (swap > memory) out.push(fail('memorySwap', 'allows swap beyond the memory limit'));
    return collect(out);
  },
};
