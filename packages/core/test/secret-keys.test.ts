/**
 * Canaries for secret map keys (issue 21 item 7): a sysctls, tmpfs or labels map wrapped as a
 * whole in a Pulumi secret hides its keys, so no finding path or message may carry one.
 */
import { SECRET_SIG, SIG_KEY } from '../src/adapters/read.js';
import { evaluate, fromPulumiContainerArgs } from '../src/index.js';

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const CANARY = 'CANARY-KEY-7f3a';

describe('secret-wrapped maps never put their keys into findings', () => {
  const base = { image: 'busybox', name: 'c' };
  const report = (props: Record<string, unknown>) =>
    JSON.stringify(evaluate({ containers: [fromPulumiContainerArgs({ ...base, ...props })], networks: [] }));

  it('hides a secret sysctls map’s keys, but still fails the unsafe sysctl by position', () => {
    const text = report({ sysctls: secret({ [`kernel.${CANARY}`]: '1' }) });
    expect(text).not.toContain(CANARY);
    expect(text).toContain('sysctls[#1 (secret key)]');
  });

  it('hides a secret tmpfs map’s keys', () => {
    const text = report({ tmpfs: secret({ [`/run/${CANARY}`]: 'rw' }) });
    expect(text).not.toContain(CANARY);
    expect(text).toContain('tmpfs[#1 (secret key)]');
  });

  it('hides secret label keys and values, exemption labels included', () => {
    const labels = secret([
      { label: `team.${CANARY}`, value: CANARY },
      { label: `dev.bulkhead.exempt.${CANARY}`, value: `TODO ${CANARY}` },
      { label: 'dev.bulkhead.exempt.no-new-privileges', value: `the reason is ${CANARY}` },
    ]);
    const text = report({ labels });
    expect(text).not.toContain(CANARY);
    expect(text).toContain('exemption-labels-valid');
  });

  it('keeps plain map keys in paths, where they help', () => {
    expect(report({ sysctls: { 'kernel.msgmax': '1' } })).toContain('sysctls[\\"kernel.msgmax\\"]');
  });
});
