import { emptySummary, escapeTerminal as t } from '@bulkhead/core';
import type { EngineResult, FleetTotals } from '../lib/fleet/audit.js';
import type { Format } from './index.js';
import { JSON_REPORT_VERSION, jsonReportDoc } from './json.js';
import { esc, junitSuites } from './junit.js';
import type { CliReport, ReportOptions } from './model.js';
import { SARIF_SCHEMA, type SarifOptions, sarifRun } from './sarif.js';
import { jsonChunks } from './stream.js';
import { summaryLine, tableChunks } from './table.js';

/** What every engine section shares, and the totals the renderer adds each result to. */
export interface FleetRender {
  tool: CliReport['tool'];
  profile: CliReport['profile'];
  /** Ids of the rules that ran. */
  rules: string[];
  totals: FleetTotals;
  /** Adds a result to the totals (called once per result, before it is rendered). */
  add: (result: EngineResult) => void;
  /** Exemption problems of the whole fleet, asked for once every engine is done. */
  exemptionProblems: () => CliReport['exemptionProblems'];
}

/**
 * A fleet report in pieces, grouped by engine, each engine's section written as soon as it is
 * audited (engines appear in the order they finish). Every format records each engine's name,
 * address and status: JSON as `engines[]`, SARIF as one run per engine, JUnit as suites named
 * after the engine, the table under a heading per engine.
 */
export async function* fleetChunks(
  format: Format,
  results: AsyncIterable<EngineResult>,
  fleet: FleetRender,
  options: SarifOptions,
): AsyncGenerator<string> {
  switch (format) {
    case 'json':
      yield* fleetJson(results, fleet, options);
      return;
    case 'sarif':
      yield* fleetSarif(results, fleet, options);
      return;
    case 'junit':
      yield* fleetJunit(results, fleet, options);
      return;
    default:
      yield* fleetTable(results, fleet, options);
  }
}

/** An engine's report without the exemption problems (reported once for the fleet). */
const section = (report: CliReport): CliReport => ({ ...report, exemptionProblems: [] });

/** A report with no resources, for an engine that could not be audited. */
function emptyReport(fleet: FleetRender): CliReport {
  return {
    tool: fleet.tool,
    profile: fleet.profile,
    inputs: [],
    resources: [],
    findings: [],
    summary: emptySummary(fleet.totals.summary.rules),
    exemptionProblems: [],
    rules: fleet.rules,
  };
}

/** `engines: 3 audited, 1 failed (of 4)`. */
export function enginesLine(totals: FleetTotals): string {
  return `engines: ${totals.audited} audited, ${totals.failed} failed (of ${totals.engines})`;
}

async function* fleetTable(
  results: AsyncIterable<EngineResult>,
  fleet: FleetRender,
  options: ReportOptions,
): AsyncGenerator<string> {
  for await (const r of results) {
    fleet.add(r);
    const name = t(r.target.name);
    const url = r.target.url === r.target.name ? '' : ` (${t(r.target.url)})`;
    if (r.report) {
      yield `== engine ${name}${url}\n`;
      yield* tableChunks(section(r.report), options);
    } else {
      yield `== engine ${name}${url}: FAILED\n`;
      yield `   ${t(r.error ?? 'not audited')}\n`;
    }
    yield '\n';
  }
  for (const p of fleet.exemptionProblems()) yield `warning: ${t(p.message)} (${p.kind})\n`;
  const all = { ...emptyReport(fleet), summary: fleet.totals.summary };
  yield `${enginesLine(fleet.totals)} · ${summaryLine(all, options.color === true)}\n`;
}

async function* fleetJson(
  results: AsyncIterable<EngineResult>,
  fleet: FleetRender,
  options: ReportOptions,
): AsyncGenerator<string> {
  const head = { version: JSON_REPORT_VERSION, tool: fleet.tool, profile: fleet.profile };
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "engines": [`;
  let first = true;
  for await (const r of results) {
    fleet.add(r);
    const {
      version: _v,
      tool: _t,
      profile: _p,
      ...doc
    } = r.report ? jsonReportDoc(section(r.report), options) : { version: 0, tool: 0, profile: 0 };
    const entry = {
      name: r.target.name,
      url: r.target.url,
      status: r.report ? 'audited' : 'failed',
      error: r.error ?? null,
      ...doc,
    };
    yield first ? '\n    ' : ',\n    ';
    yield* jsonChunks(entry, 2);
    first = false;
  }
  yield first ? '],\n' : '\n  ],\n';
  const tail = {
    fleet: { engines: fleet.totals.engines, audited: fleet.totals.audited, failed: fleet.totals.failed },
    summary: fleet.totals.summary,
    exemptionProblems: fleet.exemptionProblems(),
  };
  yield `${JSON.stringify(tail, null, 2).slice(2)}\n`;
}

async function* fleetSarif(
  results: AsyncIterable<EngineResult>,
  fleet: FleetRender,
  options: SarifOptions,
): AsyncGenerator<string> {
  yield `{\n  "$schema": ${JSON.stringify(SARIF_SCHEMA)},\n  "version": "2.1.0",\n  "runs": [`;
  let first = true;
  for await (const r of results) {
    fleet.add(r);
    const engine = {
      name: r.target.name,
      url: r.target.url,
      ...(r.error !== undefined ? { error: r.error } : {}),
    };
    yield first ? '\n    ' : ',\n    ';
    yield* jsonChunks(sarifRun(r.report ? section(r.report) : emptyReport(fleet), options, engine), 2);
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}

async function* fleetJunit(
  results: AsyncIterable<EngineResult>,
  fleet: FleetRender,
  options: ReportOptions,
): AsyncGenerator<string> {
  // Totals are unknown until the end: the root element carries none (they are optional).
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bulkhead">\n';
  for await (const r of results) {
    fleet.add(r);
    if (r.report) {
      for (const s of junitSuites(section(r.report), options, r.target.name)) yield `${s.text()}\n`;
    } else {
      const name = esc(r.target.name);
      yield `  <testsuite name="${name}: engine" tests="1" failures="0" errors="1" skipped="0">\n` +
        `    <properties>\n      <property name="engine" value="${name}"/>\n      <property name="url" value="${esc(r.target.url)}"/>\n    </properties>\n` +
        `    <testcase name="engine audited" classname="bulkhead.engine.${name}">\n` +
        `      <error message="${esc(r.error ?? 'not audited')}"/>\n    </testcase>\n  </testsuite>\n`;
    }
  }
  yield '</testsuites>\n';
}
