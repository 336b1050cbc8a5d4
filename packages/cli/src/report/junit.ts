import type { Rule } from '@bulkhead/core';
import {
  type CliFinding,
  type CliReport,
  type CliResource,
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
  return [...junitChunks(report, options)].join('');
}

/**
 * {@link renderJunit}'s text in pieces, one `<testsuite>` at a time (for large reports). The
 * totals on `<testsuites>` come first, so a first pass counts and a second one writes.
 */
export function* junitChunks(report: CliReport, options: ReportOptions): Generator<string> {
  const suites = junitSuites(report, options);
  let total = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const s of suites) {
    total += s.tests;
    failures += s.failures;
    errors += s.errors;
    skipped += s.skipped;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="bulkhead" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n`;
  for (const s of suites) yield `${s.text()}\n`;
  yield '</testsuites>\n';
}

/**
 * One `<testsuite>` per evaluated resource: its counts, and its text built on demand. `engine`
 * prefixes suite names and adds an `engine` property (`audit` over several engines).
 */
export function junitSuites(report: CliReport, options: ReportOptions, engine?: string) {
  const byResource = new Map<string, CliFinding[]>();
  for (const f of report.findings) {
    const key = `${f.input}\u0000${resourceKey(f.resource)}`;
    const list = byResource.get(key);
    if (list) list.push(f);
    else byResource.set(key, [f]);
  }
  return report.resources.map((r) =>
    suite(r, byResource.get(`${r.input}\u0000${resourceKey(r)}`) ?? [], report, options, engine),
  );
}

/** One resource's `<testsuite>`: its counts, and its text built on demand. */
function suite(
  r: CliResource,
  findings: readonly CliFinding[],
  report: CliReport,
  options: ReportOptions,
  engine?: string,
) {
  const rules = new Map<string, Rule | undefined>(rulesFor(report, r, options.catalog).map((x) => [x.id, x]));
  for (const f of findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, options.catalog.get(f.ruleId));
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const id of rules.keys()) {
    const mine = findings.filter((f) => f.ruleId === id);
    if (mine.some((f) => f.status === 'error')) errors++;
    else if (mine.some((f) => f.status === 'fail')) failures++;
    else if (mine.length > 0) skipped++;
  }
  const text = () => {
    const cases: string[] = [];
    for (const [id, rule] of rules) {
      const mine = findings.filter((f) => f.ruleId === id);
      const name = rule ? `${id}: ${rule.title}` : id;
      const open = `    <testcase name="${esc(name)}" classname="${esc(`bulkhead.${r.kind}.${r.name}`)}">`;
      const fails = mine.filter((f) => f.status === 'fail');
      const broke = mine.filter((f) => f.status === 'error');
      if (broke.length > 0) {
        const message = broke.map((f) => f.message).join('; ');
        cases.push(
          `${open}\n      <error type="rule-error" message="${esc(message)}">${esc(message)}</error>\n    </testcase>`,
        );
      } else if (fails.length > 0) {
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
    return (
      `  <testsuite name="${esc(`${engine !== undefined ? `${engine}: ` : ''}${r.name} (${r.scope})`)}" tests="${rules.size}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n` +
      `    <properties>\n${engine !== undefined ? `      <property name="engine" value="${esc(engine)}"/>\n` : ''}      <property name="kind" value="${esc(r.kind)}"/>\n      <property name="type" value="${esc(r.type)}"/>${
        r.urn ? `\n      <property name="urn" value="${esc(r.urn)}"/>` : ''
      }${r.profiles ? `\n      <property name="profiles" value="${esc(r.profiles.join(','))}"/>` : ''}\n    </properties>\n${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`
    );
  };
  return { tests: rules.size, failures, errors, skipped, text };
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
