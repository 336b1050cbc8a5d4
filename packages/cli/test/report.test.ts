import { catalog } from '@bulkhead/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { evaluateInputs, exitCodeFor } from '../src/lib/report.js';
import { fingerprint, renderJson, renderJunit, renderSarif, renderTable } from '../src/report/index.js';
import { CANARY, composeInput, pulumiInput } from './support/fixtures.js';
import { sarifValidator } from './support/sarif.js';

const report = () =>
  evaluateInputs([composeInput(), pulumiInput()], {
    profile: 'restricted',
    exemptions: [
      { rule: 'no-privileged', resource: 'nothing-*', reason: 'an exemption that matches nothing' },
    ],
    version: '9.9.9',
  });
const opts = { catalog };

interface SarifResult {
  ruleId: string;
  kind: string;
  level: string;
  suppressions?: unknown[];
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
    logicalLocations: { fullyQualifiedName: string }[];
  }[];
}
interface XmlCase {
  name: string;
  failure?: { type: string };
  skipped?: { message: string };
}
interface XmlSuite {
  name: string;
  testcase: XmlCase[];
}

describe('reporters', () => {
  it('no format prints a secret value (env, label, inline seccomp, image)', () => {
    const r = report();
    for (const text of [
      renderTable(r, opts),
      renderTable(r, { ...opts, color: true }),
      renderJson(r, opts),
      renderSarif(r, opts),
      renderJunit(r, opts),
    ]) {
      for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);
    }
  });

  it('table groups by resource, shows status, path, file:line, message and the compose fix', () => {
    const r = report();
    const text = renderTable(r, opts);
    expect(text).not.toContain('\u001b[');
    const web = text.slice(text.indexOf('web (container'));
    expect(web).toMatch(/CRITICAL +fail +no-privileged +services\.web\.privileged compose\.yaml:4/);
    expect(web).toContain(`fix: ${catalog.get('no-privileged')!.remediation.compose}`);
    expect(text).toMatch(/exempt \(label\): the database needs host networking/);
    expect(text).toMatch(/unknown no-privileged/);
    expect(text).toContain(`fix: ${catalog.get('no-privileged')!.remediation.pulumi}`);
    expect(text).toMatch(/warning: exemptions\[0\] \(rule no-privileged\) matched no finding \(unused\)/);
    const s = r.summary;
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      `${s.fail} failed (${Object.entries(s.failBySeverity)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(
          ', ',
        )}), ${s.unknown} unknown, 1 exempt · 3 containers, 1 network · ${s.rules} rules (restricted)`,
    );
    expect(s.failBySeverity.critical).toBe(1);
  });

  it('table uses ANSI colours only when asked', () => {
    expect(renderTable(report(), { ...opts, color: true })).toContain('\u001b[');
  });

  it('json has the documented stable shape', () => {
    const doc = JSON.parse(renderJson(report(), opts));
    expect(Object.keys(doc)).toEqual([
      'version',
      'tool',
      'profile',
      'inputs',
      'summary',
      'findings',
      'exemptionProblems',
    ]);
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: 'bulkhead', version: '9.9.9' });
    const priv = doc.findings.find(
      (f: { ruleId: string; status: string }) => f.ruleId === 'no-privileged' && f.status === 'fail',
    );
    expect(priv).toMatchObject({
      severity: 'critical',
      resource: { name: 'web', kind: 'compose', scope: 'container' },
      path: 'services.web.privileged',
      location: { file: 'compose.yaml', line: 4 },
    });
    expect(doc.exemptionProblems).toEqual([expect.objectContaining({ index: 0, kind: 'unused' })]);
  });

  it('sarif validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const doc = JSON.parse(renderSarif(report(), opts));
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('sarif carries catalog rules, levels, locations, suppressions and review results', () => {
    const doc = JSON.parse(renderSarif(report(), { ...opts, cwd: '/' }));
    const run = doc.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(catalog.rules.map((r) => r.id));
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'no-privileged');
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.properties.tags).toContain('CIS-Docker-5.5');
    expect(rule.help.markdown).toContain(catalog.get('no-privileged')!.remediation.compose);
    const results = run.results as SarifResult[];
    const fail = results.find((r) => r.ruleId === 'no-privileged' && r.kind === 'fail')!;
    expect(fail.level).toBe('error');
    expect(fail.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'compose.yaml' },
      region: { startLine: 4 },
    });
    const exempt = results.find((r) => r.ruleId === 'no-host-network')!;
    expect(exempt.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'the database needs host networking for a legacy probe',
      },
    ]);
    const review = results.find((r) => r.kind === 'review' && r.ruleId === 'no-privileged')!;
    expect(review.level).toBe('note');
    expect(review.locations[0]!.physicalLocation.artifactLocation.uri).toBe('infra/index.ts');
    expect(review.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe(
      'urn:pulumi:dev::shop::docker:index/container:Container::api',
    );
    expect(run.invocations[0].toolConfigurationNotifications[0].descriptor.id).toBe('exemption-unused');
  });

  it('sarif fingerprints depend on rule, resource and path, not on the message', () => {
    const base = {
      ruleId: 'no-privileged',
      resource: { kind: 'compose', scope: 'container', name: 'web', type: 't' },
      path: 'p',
    } as const;
    expect(fingerprint(base)).toBe(fingerprint({ ...base }));
    expect(fingerprint({ ...base, path: 'q' })).not.toBe(fingerprint(base));
    expect(fingerprint({ ...base, resource: { ...base.resource, name: 'api' } })).not.toBe(fingerprint(base));
  });

  it('junit is well-formed XML with one suite per resource and a case per rule that ran', () => {
    const r = report();
    const xml = renderJunit(r, opts);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = doc.testsuites.testsuite as XmlSuite[];
    expect(suites).toHaveLength(r.resources.length);
    const web = suites.find((s) => s.name === 'web (container)')!;
    const cases = web.testcase;
    const containerRules = catalog.rules.filter((x) => x.scope !== 'network').length;
    expect(cases).toHaveLength(containerRules);
    expect(cases.find((c) => c.name.startsWith('no-privileged:'))!.failure?.type).toBe('critical');
    const db = suites.find((s) => s.name.startsWith('db <&"'))!;
    expect(db.testcase.find((c) => c.name.startsWith('no-host-network:'))!.skipped?.message).toMatch(
      /^exempt: the database needs host networking/,
    );
    const failedPairs = new Set(
      r.findings.filter((f) => f.status === 'fail').map((f) => `${f.resource.name}/${f.ruleId}`),
    );
    expect(Number(doc.testsuites.failures)).toBe(failedPairs.size);
  });
});

describe('exit codes from --fail-on', () => {
  it('fails at or above the threshold only, and never on unknown or exempt findings', () => {
    const r = report();
    expect(exitCodeFor(r, 'critical')).toBe(1);
    expect(exitCodeFor(r, 'none')).toBe(0);
    const onlyUnknown = { ...r, findings: r.findings.filter((f) => f.status !== 'fail') };
    expect(exitCodeFor(onlyUnknown, 'info')).toBe(0);
    const onlyMedium = { ...r, findings: r.findings.map((f) => ({ ...f, severity: 'medium' as const })) };
    expect(exitCodeFor(onlyMedium, 'high')).toBe(0);
    expect(exitCodeFor(onlyMedium, 'medium')).toBe(1);
  });
});

describe('evaluateInputs merges core reports', () => {
  const exemptions = [
    { rule: 'no-privileged', resource: 'web', reason: 'used by the compose input only' },
    { rule: 'no-privileged', resource: 'nothing-*', reason: 'an exemption that matches nothing' },
  ];
  const options = { profile: 'restricted' as const, exemptions, version: '9.9.9' };

  it('adds up core summaries and calls an exemption unused only when no input used it', () => {
    const merged = evaluateInputs([composeInput(), pulumiInput()], options);
    const one = evaluateInputs([composeInput()], options);
    const two = evaluateInputs([pulumiInput()], options);
    for (const key of ['containers', 'networks', 'fail', 'unknown', 'exempt'] as const) {
      expect(merged.summary[key]).toBe(one.summary[key] + two.summary[key]);
    }
    expect(merged.summary.rules).toBe(catalog.profile('restricted').length);
    // The pulumi input alone leaves exemption 0 unused; the compose input uses it.
    expect(two.exemptionProblems.map((p) => `${p.index}:${p.kind}`)).toEqual(['0:unused', '1:unused']);
    expect(merged.exemptionProblems.map((p) => `${p.index}:${p.kind}`)).toEqual(['1:unused']);
  });

  it('with no input reports every rule of the profile and every exemption unused', () => {
    const empty = evaluateInputs([], options);
    expect(empty.summary).toMatchObject({ containers: 0, networks: 0, fail: 0, rules: empty.rules.length });
    expect(empty.exemptionProblems.map((p) => p.kind)).toEqual(['unused', 'unused']);
  });
});
