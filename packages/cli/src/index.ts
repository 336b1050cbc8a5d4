/**
 * `@bulkhead/cli`: the `bulkhead` command. The binary is the product; this module exposes its
 * reporters and exit codes for tools that embed them.
 * @packageDocumentation
 */
export { EXIT, type ExitCode } from './lib/exit.js';
export {
  type CliFinding,
  type CliReport,
  type CliResource,
  FORMATS,
  type Format,
  type InputInfo,
  JSON_REPORT_VERSION,
  type ReportOptions,
  render,
  renderJson,
  renderJunit,
  renderSarif,
  renderTable,
  SECURITY_SEVERITY,
} from './report/index.js';
