import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** An init as PID 1 reaps zombies and forwards signals. */
export const initProcess: ContainerRule = {
  id: 'init-process',
  scope: 'container',
  title: 'Containers must run an init process',
  severity: 'low',
  level: 'restricted',
  rationale:
    'Most application processes are not written to be PID 1: they do not reap orphaned children, so ' +
    'zombies pile up until the PIDs limit is hit, and they may ignore SIGTERM, so stops turn into kills. ' +
    "Docker's `--init` (tini) fixes both with no image change.",
  remediation: {
    pulumi: 'Set `init: true`.',
    compose: 'Set `init: true`.',
    dockerRun: 'Pass `--init`.',
  },
  references: {
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#init',
  },
  example: { insecure: { init: undefined }, fails: 'init' },
  check(spec) {
    const gap = expressGap(spec, 'init', 'an init process');
    if (gap) return gap;
    const v = spec.init;
    if (v === undefined) return fail('init', 'runs without an init process');
    if (typeof v !== 'boolean') return unknown('init');
    return v ? pass() : fail('init', 'runs without an init process');
  },
};
