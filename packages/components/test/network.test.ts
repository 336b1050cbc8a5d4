import { exemptLabel, LABELS } from '@bulkhead/core';
import { ComponentArgsError, computeNetworkArgs, ICC_OPTION, MASQUERADE_OPTION } from '../src/index.js';

const labels = (args: Parameters<typeof computeNetworkArgs>[1]) =>
  Object.fromEntries(
    (computeNetworkArgs('net', args).networkArgs.labels as { label: string; value: string }[]).map((l) => [
      l.label,
      l.value,
    ]),
  );

function errorOf(args: unknown): string {
  try {
    computeNetworkArgs('net', args as never);
  } catch (e) {
    expect(e).toBeInstanceOf(ComponentArgsError);
    return (e as Error).message;
  }
  throw new Error('expected computeNetworkArgs to throw');
}

describe('computeNetworkArgs', () => {
  it('is an internal bridge with inter-container communication off and no findings by default', () => {
    const { networkArgs, report } = computeNetworkArgs('net');
    expect(networkArgs).toEqual({
      driver: 'bridge',
      internal: true,
      attachable: false,
      ipv6: false,
      options: { [ICC_OPTION]: 'false' },
      labels: [{ label: LABELS.component, value: 'HardenedNetwork' }],
    });
    expect(report.findings).toEqual([]);
  });

  it('allows egress only with a reason, recorded as the exemption of the rule requiring internal networks', () => {
    const reason = 'calls the payment provider API';
    const { networkArgs, report } = computeNetworkArgs('net', { egress: { reason } });
    expect(networkArgs.internal).toBe(false);
    expect(labels({ egress: { reason } })).toMatchObject({
      [exemptLabel('network-internal')]: reason,
      [LABELS.egressReason]: reason,
    });
    expect(report.findings.map((f) => [f.ruleId, f.status, f.exemption?.reason])).toEqual([
      ['network-internal', 'exempt', reason],
    ]);
  });

  it('switches ICC on for a link network with the reason as exemption and records the link', () => {
    const reason = 'per-link network: only the two linked containers are attached';
    const { networkArgs, report } = computeNetworkArgs('net', { icc: { reason }, link: 'api->db:5432' });
    expect(networkArgs.options).toEqual({ [ICC_OPTION]: 'true' });
    expect(labels({ icc: { reason }, link: 'api->db:5432' })).toMatchObject({
      [exemptLabel('network-icc-disabled')]: reason,
      [LABELS.link]: 'api->db:5432',
    });
    expect(report.findings.every((f) => f.status === 'exempt')).toBe(true);
  });

  it('makes an ingress network non-internal without outbound NAT', () => {
    const { networkArgs } = computeNetworkArgs('net', {
      ingress: { reason: 'publishes 127.0.0.1:8443 only' },
    });
    expect(networkArgs.internal).toBe(false);
    expect(networkArgs.options).toEqual({ [ICC_OPTION]: 'false', [MASQUERADE_OPTION]: 'false' });
  });

  it('rejects short reasons, bad links, reserved labels and egress with ingress', () => {
    expect(
      errorOf({
        egress: { reason: 'short' },
        link: 'api-db',
        labels: { 'dev.bulkhead.link': 'x' },
        extra: 1,
      }),
    ).toMatchInlineSnapshot(`
"HardenedNetwork "net" has 4 problems:
  args.egress.reason: must have at least 10 visible characters: write why this risk is accepted
  args.link: must be "from->to" or "from->to:port"
  args.labels["dev.bulkhead.link"]: keys under "dev.bulkhead." are written by Bulkhead
  args: unknown argument "extra""
`);
    expect(
      errorOf({ egress: { reason: 'calls the payment API' }, ingress: { reason: 'publishes port 8443' } }),
    ).toMatchInlineSnapshot(
      `"HardenedNetwork "net": args.ingress: cannot be combined with egress; use two networks"`,
    );
  });
});
