import { type Catalog, frameworksOf, type Rule, escapeTerminal as t } from '@bulkhead/core';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../lib/base.js';
import { formatFlags, selectionFlags } from '../../lib/flags.js';
import { loadProjectConfig } from '../../lib/project-config.js';
import { type RuleJson, requireRule, ruleJson } from '../../lib/rules.js';

/** `bulkhead rules explain <id>`: everything the catalog knows about one rule. */
export default class RulesExplain extends BaseCommand {
  static override summary = 'Explain one rule: why it matters and how to fix it.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> rules explain no-privileged'];
  static override flags = { ...formatFlags('text', 'Output format.'), config: selectionFlags.config };
  static override args = {
    id: Args.string({ required: true, description: 'Rule id (see `bulkhead rules list`).' }),
  };

  async run(): Promise<RuleJson> {
    const { args, flags } = await this.parse(RulesExplain);
    const { catalog } = await loadProjectConfig(flags.config);
    const rule = requireRule(args.id, catalog);
    this.log(explain(rule, catalog));
    return ruleJson(rule, catalog);
  }
}

/** Each line escaped for the terminal: a rule package's text is not Bulkhead's. */
function explain(r: Rule, catalog: Catalog): string {
  const origin = catalog.origin(r.id) ?? 'bulkhead';
  return lines(r, origin).map(t).join('\n');
}

function lines(r: Rule, origin: string): string[] {
  const refs = r.references;
  const frameworks = frameworksOf(r);
  return [
    `${r.id}: ${r.title}`,
    '',
    `  severity   ${r.severity}`,
    `  profile    ${r.level}`,
    `  applies to ${r.scope === 'stack' ? 'the whole stack' : `each ${r.scope}`}`,
    ...(refs.cis ? [`  CIS        Docker Benchmark v1.6 ${refs.cis}`] : []),
    ...(refs.pss ? [`  PSS        ${refs.pss}`] : []),
    ...(refs.nist ? [`  NIST       SP 800-190 ${refs.nist}`] : []),
    ...(r.tags && r.tags.length > 0 ? [`  tags       ${r.tags.join(', ')}`] : []),
    ...(frameworks.length > 0 ? [`  frameworks ${frameworks.join(', ')}`] : []),
    `  from       ${origin}`,
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
  ];
}
