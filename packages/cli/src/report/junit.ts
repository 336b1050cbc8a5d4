import type { Rule } from '@bulkhead/core';
import {
  type CliFinding,
  type CliReport,
  fixFor,
  type ReportOptions,
  resourceKey,
  rulesFor,
} from './model.js';

/**
 * JUnit XML: one `<testsuite>` per evaluated resource and one `<testcase>` per rule that ran on it,
 * so CI dashboards count passes too. A failed rule is a `<failure>`; an undecidable or exempt one
 * is `<skipped>` with the reason.
 */
export function renderJunit(report: CliReport, options: ReportOptions): string {
  const byResource = new Map<string, CliFinding[]>();
  for (const f of report.findings) {
    const key = `${f.input}\u0000${resourceKey(f.resource)}`;
    byResource.set(key, [...(byResource.get(key) ?? []), f]);
  }
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const r of report.resources) {
    const key = `${r.input}\u0000${resourceKey(r)}`;
    const findings = byResource.get(key) ?? [];
    const rules = new Map<string, Rule | undefined>(
      rulesFor(report, r, options.catalog).map((x) => [x.id, x]),
    );
    for (const f of findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, options.catalog.get(f.ruleId));
    const cases: string[] = [];
    let suiteFail = 0;
    let suiteSkip = 0;
    for (const [id, rule] of rules) {
      const mine = findings.filter((f) => f.ruleId === id);
      const name = rule ? `${id}: ${rule.title}` : id;
      const open = `    <testcase name="${esc(name)}" classname="${esc(`bulkhead.${r.kind}.${r.name}`)}">`;
      const fails = mine.filter((f) => f.status === 'fail');
      if (fails.length > 0) {
        suiteFail++;
        const fix = fixFor(rule, r.kind);
        const body = [
          ...fails.map(
            (f) =>
              `${f.path || '(resource)'}: ${f.message}${f.location ? ` (${f.location.file}${f.location.line !== undefined ? `:${f.location.line}` : ''})` : ''}${f.ignoredExemption ? `\nignored exemption (label): ${f.ignoredExemption.reason} — ${f.ignoredExemption.why}` : ''}`,
          ),
          ...(fix ? [`fix: ${fix}`] : []),
        ].join('\n');
        cases.push(
          `${open}\n      <failure type="${esc(fails[0]!.severity)}" message="${esc(fails.map((f) => f.message).join('; '))}">${esc(body)}</failure>\n    </testcase>`,
        );
      } else if (mine.length > 0) {
        suiteSkip++;
        const reason = mine
          .map((f) =>
            f.status === 'exempt'
              ? `exempt: ${f.exemption?.reason ?? 'exempted'}`
              : `unknown: ${f.path ? `${f.path} ` : ''}${f.message}`,
          )
          .join('; ');
        cases.push(`${open}\n      <skipped message="${esc(reason)}"/>\n    </testcase>`);
      } else {
        cases.push(`${open.slice(0, -1)}/>`);
      }
    }
    total += rules.size;
    failures += suiteFail;
    skipped += suiteSkip;
    suites.push(
      `  <testsuite name="${esc(`${r.name} (${r.scope})`)}" tests="${rules.size}" failures="${suiteFail}" errors="0" skipped="${suiteSkip}">\n` +
        `    <properties>\n      <property name="kind" value="${esc(r.kind)}"/>\n      <property name="type" value="${esc(r.type)}"/>${
          r.urn ? `\n      <property name="urn" value="${esc(r.urn)}"/>` : ''
        }\n    </properties>\n${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`,
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="bulkhead" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    suites.join('\n') +
    (suites.length ? '\n' : '') +
    '</testsuites>\n'
  );
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function esc(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping XML-illegal characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\n/g, '&#10;')
  );
}
