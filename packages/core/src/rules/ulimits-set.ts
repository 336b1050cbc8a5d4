import { SECURE } from '../model/secure-values.js';
import { collect, expressGap } from './support/outcomes.js';
import { ulimit } from './support/user.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** The ulimits every container must bound. */
const LIMITS = ['nofile', 'nproc'] as const;

/** CIS 5.19: bound open files and processes per container instead of inheriting the daemon's defaults. */
export const ulimitsSet: ContainerRule = {
  id: 'ulimits-set',
  scope: 'container',
  title: 'Containers must set nofile and nproc ulimits',
  severity: 'low',
  level: 'restricted',
  rationale:
    "Without explicit ulimits a container inherits the daemon's defaults, often over a million open " +
    'files and unlimited processes: a leak or a fork loop then consumes host-wide kernel resources. ' +
    'Explicit nofile and nproc bounds make the budget part of the reviewed configuration.',
  remediation: {
    pulumi: `Set \`ulimits: [{ name: "nofile", soft: ${SECURE.maxOpenFiles}, hard: ${SECURE.maxOpenFiles} }, { name: "nproc", soft: ${SECURE.maxProcesses}, hard: ${SECURE.maxProcesses} }]\`.`,
    compose: `Set \`ulimits: { nofile: ${SECURE.maxOpenFiles}, nproc: ${SECURE.maxProcesses} }\`.`,
    dockerRun: `Pass \`--ulimit nofile=${SECURE.maxOpenFiles}:${SECURE.maxOpenFiles} --ulimit nproc=${SECURE.maxProcesses}:${SECURE.maxProcesses}\`.`,
  },
  references: {
    nist: '4.4.3',
    cis: '5.19',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#ulimit',
  },
  example: { insecure: { ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }] }, fails: 'ulimits' },
  check(spec) {
    const gap = expressGap(spec, 'ulimits', 'ulimits');
    if (gap) return gap;
    if (spec.ulimits !== undefined && !Array.isArray(spec.ulimits)) return unknown('ulimits');
    const out: Outcome[] = [];
    for (const name of LIMITS) {
      const u = ulimit(spec, name);
      if (u.state === 'unknown') out.push(unknown('ulimits'));
      else if (u.state === 'missing') out.push(fail('ulimits', `sets no ${name} ulimit`));
      else if (u.state === 'unbounded')
        out.push(fail(`ulimits[${u.index}]`, `the ${name} ulimit is unbounded`));
    }
    return collect(out);
  },
};
