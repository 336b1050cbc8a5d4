/**
 * Violation texts, built only from catalog metadata and core findings. Findings never carry
 * input values and neither do these texts: policy code sees secrets unwrapped, so nothing from
 * the resource's properties may be echoed here. The one user-written text shown is an
 * exemption's reason, which exists to be read. Text that came from input (resource names, field
 * paths, reasons, and the title and fix of a rule from a rule package) is escaped with core's
 * `escapeTerminal`, the CLI's own escaping: the Pulumi CLI prints these messages on a terminal.
 */
import { describeFinding, exemptLabel, type Finding, type Rule, escapeTerminal as t } from '@bulkhead/core';
import { SETTINGS_POLICY } from './settings.js';

function where(f: Finding, stack: boolean): string {
  const on = stack ? ` on ${f.resource.scope} "${t(f.resource.name)}"` : '';
  return f.path ? ` (at \`${t(f.path)}\`${on})` : on ? ` (${on.trim()})` : '';
}

/** A failed check: what is wrong, where, and the fix for the finding's input kind (a Pulumi one). */
export function failText(rule: Rule, f: Finding, stack = false): string {
  const d = describeFinding(f, rule);
  return `${t(d.title)}: ${t(d.what)}${where(f, stack)}.\nFix: ${t(d.fix ?? '')}`;
}

/** A check that could not be decided because a value is not known yet (preview). */
export function unknownText(rule: Rule, f: Finding, stack = false): string {
  return (
    `${t(rule.title)}: not decided during preview: ${t(f.message)}${where(f, stack)}. ` +
    'It is checked again when the value is known (pulumi up).'
  );
}

/** An exempted finding, with the written reason and where the exemption came from. */
export function exemptText(rule: Rule, f: Finding, stack = false): string {
  const e = f.exemption;
  const from = e?.from === 'label' ? `label ${exemptLabel(rule.id)}` : `${SETTINGS_POLICY} exemptions`;
  const until = e?.expires ? `, expires ${e.expires}` : '';
  return (
    `${t(rule.title)}: exempt (${from}${t(until)}): ${t(e?.reason ?? 'no reason given')}. ` +
    `Accepted finding: ${t(f.message)}${where(f, stack)}.`
  );
}

/** A rule that broke on this resource (threw, or returned a malformed outcome): it judged nothing. */
export function errorText(rule: Rule, f: Finding, stack = false): string {
  return `${t(rule.title)}: rule ${t(rule.id)} broke${where(f, stack)}: ${t(f.message)}.`;
}
