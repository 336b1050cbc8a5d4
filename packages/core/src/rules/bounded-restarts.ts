import { isUnknown } from '../model/value.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

const MAX_RETRIES = 5;

/** CIS 5.15: a crash-looping container should stop, not restart forever. */
export const boundedRestarts: ContainerRule = {
  id: 'bounded-restarts',
  scope: 'container',
  title: 'Restart policies must be bounded (on-failure, at most 5 retries)',
  severity: 'low',
  level: 'restricted',
  rationale:
    'An `always` or `unless-stopped` policy, or `on-failure` without a bound, restarts a broken or ' +
    'exploited container forever: each crash is another attempt for an attacker, and a crash loop hides ' +
    'the failure while burning host resources. At most 5 retries surfaces it.',
  remediation: {
    pulumi: `Set \`restart: "on-failure"\` with \`maxRetryCount: ${MAX_RETRIES}\` (or fewer), or \`restart: "no"\`.`,
    compose: `Set \`restart: "on-failure:${MAX_RETRIES}"\` (or \`deploy.restart_policy\` with \`max_attempts: ${MAX_RETRIES}\`).`,
    dockerRun: `Pass \`--restart on-failure:${MAX_RETRIES}\`.`,
  },
  references: {
    cis: '5.15',
    docs: 'https://docs.docker.com/engine/containers/start-containers-automatically/',
  },
  example: { insecure: { restart: { policy: 'always' } }, fails: 'restart.policy' },
  check(spec) {
    const r = spec.restart;
    if (r === undefined) return pass();
    if (isUnknown(r) || typeof r !== 'object' || r === null) return unknown('restart');
    if (typeof r.policy !== 'string') return unknown('restart.policy');
    const policy = r.policy.trim().toLowerCase();
    if (policy === '' || policy === 'no' || policy === 'none') return pass();
    if (policy !== 'on-failure') {
      return fail('restart.policy', 'restarts without a bound (always or unless-stopped)');
    }
    const n = r.maxRetries;
    if (n === undefined) return fail('restart.maxRetries', 'restarts on failure without a retry limit');
    if (typeof n !== 'number') return unknown('restart.maxRetries');
    if (n <= 0)
      return fail('restart.maxRetries', 'restarts on failure without a retry limit (0 means unlimited)');
    if (n > MAX_RETRIES) return fail('restart.maxRetries', `retries more than ${MAX_RETRIES} times`);
    return pass();
  },
};
