import { jsonReportChunks } from './json.js';
import { junitChunks } from './junit.js';
import type { CliReport, ReportOptions } from './model.js';
import { sarifChunks } from './sarif.js';
import { tableChunks } from './table.js';

/** Output formats of `validate` and `audit`. */
export const FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
/** An output format. */
export type Format = (typeof FORMATS)[number];

/** Renders a report in one of the {@link FORMATS}. */
export function render(format: Format, report: CliReport, options: ReportOptions): string {
  return [...renderChunks(format, report, options)].join('');
}

/**
 * Renders a report in pieces (one finding, result, suite or line at a time), so a large report is
 * written as it is produced and never held as one string.
 */
export function renderChunks(format: Format, report: CliReport, options: ReportOptions): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonReportChunks(report, options);
    case 'sarif':
      return sarifChunks(report, options);
    case 'junit':
      return junitChunks(report, options);
    default:
      return tableChunks(report, options);
  }
}

export { JSON_REPORT_VERSION, renderJson } from './json.js';
export { esc as xmlEscape, renderJunit } from './junit.js';
export type { CliFinding, CliReport, CliResource, InputInfo, ReportOptions } from './model.js';
export { fingerprint, renderSarif, SECURITY_SEVERITY } from './sarif.js';
export { renderTable, summaryLine } from './table.js';
