import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { CliReport, ReportOptions } from './model.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

/** Output formats of `validate` and `audit`. */
export const FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
/** An output format. */
export type Format = (typeof FORMATS)[number];

/** Renders a report in one of the {@link FORMATS}. */
export function render(format: Format, report: CliReport, options: ReportOptions): string {
  switch (format) {
    case 'json':
      return renderJson(report, options);
    case 'sarif':
      return renderSarif(report, options);
    case 'junit':
      return renderJunit(report, options);
    default:
      return renderTable(report, options);
  }
}

export { JSON_REPORT_VERSION, renderJson } from './json.js';
export { esc as xmlEscape, renderJunit } from './junit.js';
export type { CliFinding, CliReport, CliResource, InputInfo, ReportOptions } from './model.js';
export { fingerprint, renderSarif, SECURITY_SEVERITY } from './sarif.js';
export { renderTable, summaryLine } from './table.js';
