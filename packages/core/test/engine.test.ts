import { Catalog, evaluate, parseExemptions, sourcePath, UNKNOWN } from '../src/index.js';
import { noPrivileged } from '../src/rules/no-privileged.js';
import { compliantContainer, compliantNetwork } from './fixtures.js';

describe('catalog', () => {
  it('rejects a duplicate rule id at load', () => {
    expect(() => new Catalog([noPrivileged, noPrivileged])).toThrow('duplicate rule id "no-privileged"');
  });
  it('rejects an id that is not kebab-case', () => {
    expect(() => new Catalog([{ ...noPrivileged, id: 'NoPrivileged' }])).toThrow('must be kebab-case');
  });
});

describe('evaluate', () => {
  it('reports nothing for the compliant fixture on its compliant network', () => {
    const report = evaluate({ containers: [compliantContainer()], networks: [compliantNetwork()] });
    expect(report.findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });

  it('translates spec paths into the source field path', () => {
    const spec = compliantContainer({ privileged: true });
    spec.source.fieldPaths = { privileged: 'services.web.privileged' };
    const [f] = evaluate({ containers: [spec], networks: [] }, { only: ['no-privileged'] }).findings;
    expect(f).toMatchObject({
      ruleId: 'no-privileged',
      status: 'fail',
      path: 'services.web.privileged',
      specPath: 'privileged',
    });
  });

  it('reports unknown, never fail, for an unknown value', () => {
    const report = evaluate({
      containers: [compliantContainer({ privileged: UNKNOWN })],
      networks: [compliantNetwork()],
    });
    expect(report.findings.map((f) => [f.ruleId, f.status])).toEqual([['no-privileged', 'unknown']]);
  });

  it('exempts a finding by config with its reason and flags unused, expired and unknown-rule exemptions', () => {
    const exemptions = parseExemptions([
      { rule: 'no-privileged', resource: 'we*', reason: 'needs /dev/kvm for the emulator' },
      { rule: 'no-host-network', resource: 'web', reason: 'nothing uses the host network here' },
      { rule: 'no-privileged', resource: 'db', reason: 'old exemption kept too long', expires: '2020-01-01' },
      { rule: 'no-such-rule', reason: 'typo in the rule id here' },
    ]);
    const report = evaluate(
      { containers: [compliantContainer({ privileged: true })], networks: [] },
      { exemptions },
    );
    expect(report.findings[0]).toMatchObject({
      status: 'exempt',
      exemption: { reason: 'needs /dev/kvm for the emulator', from: 'config' },
    });
    expect(report.exemptionProblems.map((p) => [p.index, p.kind])).toEqual([
      [1, 'unused'],
      [2, 'expired'],
      [3, 'unknown-rule'],
    ]);
  });

  it('honours an exemption label with a reason of at least 10 characters', () => {
    const spec = compliantContainer({
      privileged: true,
      labels: { 'dev.bulkhead.exempt.no-privileged': 'short' },
    });
    expect(evaluate({ containers: [spec], networks: [] }).findings[0]?.status).toBe('fail');
    spec.labels = { 'dev.bulkhead.exempt.no-privileged': 'emulator needs every device' };
    expect(evaluate({ containers: [spec], networks: [] }).findings[0]?.exemption).toEqual({
      reason: 'emulator needs every device',
      from: 'label',
    });
  });
});

describe('parseExemptions', () => {
  it('names the field and the fix for a short reason', () => {
    expect(() => parseExemptions([{ rule: 'no-privileged', reason: 'because' }])).toThrow(
      'Invalid exemptions:\n  [0].reason: reason must have at least 10 visible characters: write why this risk is accepted',
    );
  });
});

describe('sourcePath', () => {
  it('renames an item sub-field through its origin (a Pulumi volume source is hostPath)', () => {
    const spec = compliantContainer({
      mounts: [
        {
          type: 'bind',
          source: '/',
          target: '/host',
          origin: 'volumes[0]',
        },
      ],
    });
    spec.source.fieldPaths = { 'volumes[].source': 'hostPath' };
    expect(sourcePath(spec, 'mounts[0].source')).toBe('volumes[0].hostPath');
    expect(sourcePath(spec, 'mounts[0].target')).toBe('volumes[0].target');
  });
});
