import { type Catalog, type Rule, escapeTerminal as t } from '@bulkhead/core';
import { BaseCommand } from '../../lib/base.js';
import { formatFlags, selectionFlags } from '../../lib/flags.js';
import { loadProjectConfig, selectionOf } from '../../lib/project-config.js';
import { type RuleJson, ruleJson } from '../../lib/rules.js';

/** `bulkhead rules list`: the catalog (with the project's rule packages) as a table or JSON. */
export default class RulesList extends BaseCommand {
  static override summary = 'List the hardening rules.';
  static override description =
    'Shows every rule in the catalog with its severity, profile, CIS Docker Benchmark reference and where it ' +
    "comes from (bulkhead, or a rule package the project config names), filtered by the project config's " +
    'rule selection and the flags. The `restricted` profile includes every `baseline` rule.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> rules list',
    '<%= config.bin %> rules list --profile baseline --severity critical',
    '<%= config.bin %> rules list --framework nist-800-190 --exclude "acme/*"',
    '<%= config.bin %> rules list --format json',
  ];
  static override flags = { ...formatFlags('table', 'Output format.'), ...selectionFlags };

  async run(): Promise<RuleJson[]> {
    const { flags } = await this.parse(RulesList);
    const config = await loadProjectConfig(flags.config);
    const rules = config.catalog.select(selectionOf(flags, config));
    this.log(table(rules, config.catalog));
    return rules.map((r) => ruleJson(r, config.catalog));
  }
}

function table(rules: readonly Rule[], catalog: Catalog): string {
  const rows = [
    ['ID', 'SEVERITY', 'PROFILE', 'CIS', 'FROM', 'TITLE'],
    ...rules.map((r) => [
      r.id,
      r.severity,
      r.level,
      r.references.cis ?? '-',
      catalog.origin(r.id) ?? '-',
      t(r.title),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.push('', `${rules.length} rule${rules.length === 1 ? '' : 's'}`);
  return lines.join('\n');
}
