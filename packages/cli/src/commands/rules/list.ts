import { catalog, PROFILES, type ProfileName, type Rule, SEVERITIES, type Severity } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/base.js';
import { formatFlags } from '../../lib/flags.js';
import { type RuleJson, ruleJson } from '../../lib/rules.js';

/** `bulkhead rules list`: the catalog as a table or JSON. */
export default class RulesList extends BaseCommand {
  static override summary = 'List the hardening rules.';
  static override description =
    'Shows every rule in the catalog with its severity, profile and CIS Docker Benchmark reference. ' +
    'The `restricted` profile includes every `baseline` rule.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> rules list',
    '<%= config.bin %> rules list --profile baseline --severity critical',
    '<%= config.bin %> rules list --format json',
  ];
  static override flags = {
    ...formatFlags('table', 'Output format.'),
    profile: Flags.option({ options: PROFILES, description: 'Only the rules of this profile.' })(),
    severity: Flags.option({
      options: SEVERITIES,
      multiple: true,
      description: 'Only rules of this severity (repeatable).',
    })(),
  };

  async run(): Promise<RuleJson[]> {
    const { flags } = await this.parse(RulesList);
    const rules = select(flags.profile, flags.severity);
    this.log(table(rules));
    return rules.map(ruleJson);
  }
}

function select(profile: ProfileName | undefined, severities: Severity[] | undefined): Rule[] {
  const base = profile ? catalog.profile(profile) : catalog.rules;
  return base.filter((r) => !severities || severities.includes(r.severity));
}

function table(rules: readonly Rule[]): string {
  const rows = [
    ['ID', 'SEVERITY', 'PROFILE', 'CIS', 'TITLE'],
    ...rules.map((r) => [r.id, r.severity, r.level, r.references.cis ?? '-', r.title]),
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
