import { fingerprintFindings } from '@bulkhead/core';
import type { CliReport, ReportOptions } from './model.js';
import { fixFor, sortFindings } from './model.js';
import { jsonChunks, mapIter, streamed } from './stream.js';

/** Version of the JSON report's shape; bumped on any breaking change. */
export const JSON_REPORT_VERSION = 1;

/**
 * The stable JSON report (documented in the CLI README):
 * `{ version, tool, profile, summary, findings: [{ ruleId, fingerprint, title, severity, status, resource,
 * path, message, location: { file, line } | null, exemption, ignoredExemption, fix }], exemptionProblems, inputs,
 * baseline?: { file, accepted, stale: [{ fingerprint, rule, resource, path }] } }`.
 */
export function renderJson(report: CliReport, options: ReportOptions): string {
  return [...jsonReportChunks(report, options)].join('');
}

/** {@link renderJson}'s text in pieces, one finding at a time (for large reports). */
export function* jsonReportChunks(report: CliReport, options: ReportOptions): Generator<string> {
  yield* jsonChunks(jsonReportDoc(report, options));
  yield '\n';
}

/** The JSON report as a value whose findings are produced one at a time (see {@link jsonChunks}). */
export function jsonReportDoc(report: CliReport, options: ReportOptions) {
  const sorted = sortFindings(report.findings);
  const prints = fingerprintFindings(sorted);
  let n = 0;
  return {
    version: JSON_REPORT_VERSION,
    tool: report.tool,
    profile: report.profile,
    inputs: report.inputs.map((i) => ({ path: i.path, kind: i.kind })),
    summary: report.summary,
    findings: streamed(
      mapIter(sorted, (f) => ({
        ruleId: f.ruleId,
        fingerprint: prints[n++],
        title: f.title,
        severity: f.severity,
        status: f.status,
        resource: {
          name: f.resource.name,
          kind: f.resource.kind,
          scope: f.resource.scope,
          type: f.resource.type,
          urn: f.resource.urn ?? null,
          parent: f.resource.parent ?? null,
          ...(f.resource.profiles ? { profiles: f.resource.profiles } : {}),
        },
        path: f.path,
        message: f.message,
        location: f.location ? { file: f.location.file, line: f.location.line ?? null } : null,
        exemption: f.exemption
          ? { reason: f.exemption.reason, from: f.exemption.from, expires: f.exemption.expires ?? null }
          : null,
        ignoredExemption: f.ignoredExemption
          ? {
              reason: f.ignoredExemption.reason,
              from: f.ignoredExemption.from,
              expires: f.ignoredExemption.expires ?? null,
              why: f.ignoredExemption.why,
            }
          : null,
        fix: fixFor(options.catalog.get(f.ruleId), f.resource.kind) ?? null,
      })),
    ),
    exemptionProblems: report.exemptionProblems,
    ...(report.baseline
      ? {
          baseline: {
            file: report.baseline.file,
            accepted: report.baseline.accepted,
            stale: report.baseline.stale,
          },
        }
      : {}),
  };
}
