import { type Severity, escapeTerminal as t } from '@bulkhead/core';
import {
  type CliFinding,
  type CliReport,
  fixFor,
  type ReportOptions,
  resourceKey,
  sortFindings,
} from './model.js';

const ESC = '\u001b[';
const paint = (on: boolean, code: string, s: string) => (on ? `${ESC}${code}m${s}${ESC}0m` : s);
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

/**
 * Human-readable report: findings grouped by resource (worst first) with status, field path,
 * file:line, message and the fix for the input's kind, then a summary line. Colours only when
 * `options.color` (the command turns them off for `NO_COLOR`, non-TTY output and `--output`).
 * Every text that came from input (names, types, URNs, paths, files, messages, reasons) is
 * escaped for the terminal, so no value can forge a line or send an escape sequence.
 */
export function renderTable(report: CliReport, options: ReportOptions): string {
  return [...tableChunks(report, options)].join('');
}

/** {@link renderTable}'s text, one line at a time (for large reports). */
export function* tableChunks(report: CliReport, options: ReportOptions): Generator<string> {
  const c = options.color === true;
  const groups = new Map<string, CliFinding[]>();
  for (const f of sortFindings(report.findings)) {
    const key = `${f.input}\u0000${resourceKey(f.resource)}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    const first = list[0]!;
    const input = report.inputs[first.input];
    const r = first.resource;
    yield line(
      paint(c, '1', t(r.name)) +
        paint(
          c,
          '2',
          ` (${r.scope}, ${t(r.type)}${input ? ` from ${t(input.path)}` : ''}${r.profiles ? `, ${t(profilesText(r.profiles))}` : ''})`,
        ),
    );
    if (r.urn) yield line(paint(c, '2', `  ${t(r.urn)}`));
    for (const f of list) {
      const sev = paint(c, SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8));
      const status =
        f.status === 'fail'
          ? paint(c, '31', 'fail   ')
          : f.status === 'unknown'
            ? paint(c, '33', 'unknown')
            : f.status === 'error'
              ? paint(c, '35', 'error  ')
              : paint(c, '32', 'exempt ');
      const where = f.location
        ? ` ${t(f.location.file)}${f.location.line !== undefined ? `:${f.location.line}` : ''}`
        : '';
      yield line(
        `  ${sev} ${status} ${paint(c, '1', t(f.ruleId))}  ${t(f.path) || '(resource)'}${paint(c, '2', where)}`,
      );
      yield line(`           ${t(f.message)}`);
      if (f.status === 'exempt' && f.exemption) {
        const src = f.exemption.from === 'label' ? 'label' : 'exemptions file';
        const exp = f.exemption.expires ? `, until ${t(f.exemption.expires)}` : '';
        yield line(paint(c, '32', `           exempt (${src}${exp}): ${t(f.exemption.reason)}`));
      } else {
        if (f.ignoredExemption) {
          const i = f.ignoredExemption;
          const exp = i.expires ? `, until ${t(i.expires)}` : '';
          yield line(
            paint(c, '33', `           ignored exemption (label${exp}): ${t(i.reason)} — ${t(i.why)}`),
          );
        }
        // A rule package's remediation is input too: escaped like every other text.
        const fix = fixFor(options.catalog.get(f.ruleId), f.resource.kind);
        if (fix) yield line(paint(c, '36', `           fix: ${t(fix)}`));
      }
    }
    yield line('');
  }
  for (const p of report.exemptionProblems) {
    yield line(paint(c, '33', `warning: ${t(p.message)} (${p.kind})`));
  }
  if (report.exemptionProblems.length > 0) yield line('');
  yield line(summaryLine(report, c));
}

const line = (text: string) => `${text}\n`;

/** `3 failed (1 critical, 2 high), 1 unknown, 0 exempt · 2 containers, 1 network · 12 rules (baseline)` */
export function summaryLine(report: CliReport, color = false): string {
  const s = report.summary;
  const bySev = Object.entries(s.failBySeverity)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`)
    .join(', ');
  const failed = `${s.fail} failed${bySev ? ` (${bySev})` : ''}`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    paint(color, s.fail > 0 ? '1;31' : '1;32', failed) +
    `, ${s.unknown} unknown, ${s.exempt} exempt${s.error > 0 ? `, ${plural(s.error, 'rule error')}` : ''} · ` +
    `${plural(s.containers, 'container')}, ` +
    `${plural(s.networks, 'network')} · ${plural(s.rules, 'rule')} (${report.profile})`
  );
}

/** `profile debug` / `profiles debug, tools`: a compose service that runs only in those profiles. */
function profilesText(profiles: readonly string[]): string {
  return `${profiles.length === 1 ? 'profile' : 'profiles'} ${profiles.join(', ')}`;
}
