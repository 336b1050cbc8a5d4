import type { Rule } from '@bulkhead/core';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../lib/base.js';
import { formatFlags } from '../../lib/flags.js';
import { type RuleJson, requireRule, ruleJson } from '../../lib/rules.js';

/** `bulkhead rules explain <id>`: everything the catalog knows about one rule. */
export default class RulesExplain extends BaseCommand {
  static override summary = 'Explain one rule: why it matters and how to fix it.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> rules explain no-privileged'];
  static override flags = formatFlags('text', 'Output format.');
  static override args = {
    id: Args.string({ required: true, description: 'Rule id (see `bulkhead rules list`).' }),
  };

  async run(): Promise<RuleJson> {
    const { args } = await this.parse(RulesExplain);
    const rule = requireRule(args.id);
    this.log(explain(rule));
    return ruleJson(rule);
  }
}

function explain(r: Rule): string {
  const refs = r.references;
  return [
    `${r.id}: ${r.title}`,
    '',
    `  severity   ${r.severity}`,
    `  profile    ${r.level}`,
    `  applies to ${r.scope === 'stack' ? 'the whole stack' : `each ${r.scope}`}`,
    ...(refs.cis ? [`  CIS        Docker Benchmark v1.6 ${refs.cis}`] : []),
    ...(refs.pss ? [`  PSS        ${refs.pss}`] : []),
    '',
    'Why',
    `  ${r.rationale}`,
    '',
    'Fix',
    `  Pulumi:     ${r.remediation.pulumi}`,
    `  compose:    ${r.remediation.compose}`,
    `  docker run: ${r.remediation.dockerRun}`,
    '',
    `See ${refs.docs}`,
  ].join('\n');
}
