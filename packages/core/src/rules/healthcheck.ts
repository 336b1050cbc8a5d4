import { SECURE } from '../model/secure-values.js';
import { isUnknown } from '../model/value.js';
import { items } from './support/lists.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.27: a health check lets the engine and operators see a hung or hijacked service. */
export const healthcheck: ContainerRule = {
  id: 'healthcheck',
  scope: 'container',
  title: 'Containers must declare a health check',
  severity: 'low',
  level: 'restricted',
  rationale:
    'A running process is not a working service. A health check marks a hung, crashed-inside or ' +
    'misbehaving container unhealthy so it can be replaced and alerted on, instead of silently serving ' +
    'errors or an attacker.',
  remediation: {
    pulumi: `Set \`healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "${SECURE.healthcheck.interval}", retries: ${SECURE.healthcheck.retries} }\`.`,
    compose: 'Add a `healthcheck:` with `test: ["CMD", "/app/healthcheck"]`.',
    dockerRun: `Pass \`--health-cmd /app/healthcheck --health-interval ${SECURE.healthcheck.interval}\`.`,
  },
  references: {
    cis: '5.27',
    docs: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
  },
  example: { insecure: { healthcheck: undefined }, fails: 'healthcheck' },
  check(spec) {
    const h = spec.healthcheck;
    if (h === undefined) {
      return fail(
        'healthcheck',
        'declares no health check here (an image HEALTHCHECK, if any, is not visible)',
      );
    }
    if (isUnknown(h) || typeof h !== 'object' || h === null) return unknown('healthcheck');
    if (h.disabled === true) return fail('healthcheck.disabled', 'switches the health check off');
    if (h.disabled !== undefined && typeof h.disabled !== 'boolean') return unknown('healthcheck.disabled');
    const test = items<string>(h.test);
    if (test === 'unknown') return unknown('healthcheck.test');
    if (test.length === 0) return fail('healthcheck.test', 'declares a health check without a test');
    const first = test[0]!;
    if (!first.known) return unknown('healthcheck.test[0]');
    if (String(first.value).trim().toUpperCase() === 'NONE') {
      return fail('healthcheck.test[0]', 'switches the health check off');
    }
    if (test.length === 1 && /^CMD(-SHELL)?$/i.test(String(first.value).trim())) {
      return fail('healthcheck.test', 'declares a health check without a command');
    }
    return pass();
  },
};
