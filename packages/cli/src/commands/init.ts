import path from 'node:path';
import { escapeTerminal as t } from '@bulkhead/core';
import { Args, Flags } from '@oclif/core';
import { typeCheckProject } from '../init/check.js';
import { type ConversionReport, convertCompose } from '../init/compose.js';
import { loadTemplate, projectNameFrom } from '../init/scaffold.js';
import { oneLine, renderTemplate, TEMPLATE_NAMES, type TemplateFile } from '../init/templates.js';
import { TargetError, writeProject } from '../init/write.js';
import { BaseCommand } from '../lib/base.js';
import { EXIT, UserError } from '../lib/exit.js';
import { readInputText } from '../lib/files.js';
import { formatFlags } from '../lib/flags.js';

/** What `bulkhead init --format json` prints. */
export interface InitResult {
  dir: string;
  project: string;
  source: { template: string } | { compose: string };
  files: string[];
  report?: ConversionReport;
}

/**
 * Scaffolds a hardened Pulumi TypeScript stack from a template, or converts a compose file into
 * one. Exit codes: 0 written, 2 bad input (non-empty directory without --force, bad compose file,
 * bad name).
 */
export default class Init extends BaseCommand {
  static override summary = 'Scaffold a hardened Pulumi TypeScript stack, from a template or a compose file.';

  static override description =
    `Writes a Pulumi TypeScript project that uses @bulkhead/components, with a strict tsconfig, \
tests under Pulumi mocks and a README. Templates are the repository's examples; the output is also a valid \`pulumi new\` template.

With --from-compose, the compose file is read as \`bulkhead validate\` reads it, and every service becomes a \
hardened container: services that share a compose network are linked (in the direction of depends_on where one \
is given), services with ports become ingress. The generated program is type-checked before it is written. The \
command prints each link and why, each setting it hardened, kept behind an exception (whose TODO reason you must \
replace: the program, its tests and \`bulkhead validate\` fail until you do), could not carry over, or \
renamed.

Nothing is half-written: files are staged next to DIR and moved into place at the end. A non-empty DIR is \
refused unless --force is given.

Exit codes: 0 written; 2 bad input (non-empty directory, unreadable or invalid compose file, invalid name, or a \
generated program that does not type-check); 3 the TypeScript compiler cannot be loaded.`;

  static override examples = [
    '<%= config.bin %> init my-stack --template web-db',
    '<%= config.bin %> init my-worker --template gvisor-worker --name worker --description "Queue worker"',
    '<%= config.bin %> init converted --from-compose docker-compose.yml',
  ];

  static override enableJsonFlag = true;

  static override args = {
    dir: Args.string({ description: 'Directory to create (default: the current directory).', default: '.' }),
  };

  static override flags = {
    ...formatFlags('text', 'Output format: `json` prints the result (or the error) as JSON.'),
    template: Flags.string({
      char: 't',
      description: 'Template to scaffold.',
      options: [...TEMPLATE_NAMES],
      exactlyOne: ['template', 'from-compose'],
    }),
    'from-compose': Flags.string({
      description: 'Convert this compose file into a hardened program instead of using a template.',
      exactlyOne: ['template', 'from-compose'],
    }),
    name: Flags.string({ description: 'Pulumi project and npm package name (default: the directory name).' }),
    description: Flags.string({ description: 'Project description.' }),
    force: Flags.boolean({
      description: 'Write into a non-empty directory, replacing files of the same name.',
    }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const dir = path.resolve(args.dir);
    let project: string;
    try {
      project = projectNameFrom(flags.name, dir);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT.usage });
    }
    let files: TemplateFile[];
    let report: ConversionReport | undefined;
    let source: InitResult['source'];
    if (flags['from-compose']) {
      const composeFile = path.resolve(flags['from-compose']);
      const text = await readInputText(composeFile, 'compose file');
      const converted = convertCompose(text, flags['from-compose'], { project, outDir: dir });
      files = renderTemplate(converted.files, {
        project,
        description: flags.description ?? converted.description,
      });
      report = converted.report;
      source = { compose: composeFile };
      // What was generated must compile before anything is written.
      const problems = await typeCheckProject(files);
      if (problems.length > 0) {
        throw new UserError(
          `the program generated from ${oneLine(flags['from-compose'])} does not type-check (${problems.length} problem${problems.length === 1 ? '' : 's'}; first: ${problems[0]}); nothing was written. This is a bug in bulkhead init: please report it with the compose file`,
        );
      }
    } else {
      const name = flags.template as (typeof TEMPLATE_NAMES)[number];
      const template = loadTemplate(name);
      files = renderTemplate(template.files, {
        project,
        description: flags.description ?? template.description,
      });
      source = { template: name };
    }

    try {
      await writeProject(dir, files, {
        force: flags.force,
        delayBeforeCommitMs: Number(process.env.BULKHEAD_INIT_TEST_DELAY_MS ?? 0),
      });
    } catch (error) {
      if (error instanceof TargetError) this.error(error.message, { exit: EXIT.usage });
      throw error;
    }

    const result: InitResult = { dir, project, source, files: files.map((f) => f.path) };
    if (report) result.report = report;
    if (!this.jsonEnabled()) this.log(summary(result, process.cwd()));
    return result;
  }
}

function summary(result: InitResult, cwd: string): string {
  const where = path.relative(cwd, result.dir) || '.';
  const from = 'template' in result.source ? `template ${result.source.template}` : 'compose file';
  const lines = [
    `Created ${t(result.project)} in ${t(where)} from the ${from} (${result.files.length} files).`,
  ];
  if (result.report) lines.push('', ...formatReport(result.report));
  lines.push(
    '',
    'Next steps:',
    ...(where === '.' ? [] : [`  cd ${t(where)}`]),
    ...(result.report && result.report.exceptions.length + result.report.notCarried.length > 0
      ? ['  # edit index.ts: replace every TODO reason (until then the program, npm test and validate fail)']
      : []),
    '  npm install',
    '  npm test            # the program under Pulumi mocks, checked against the restricted profile',
    '  bulkhead validate . # the same check from the CLI',
    '  pulumi stack init dev && pulumi up',
  );
  return lines.join('\n');
}

/** The conversion report as text, one section per category (text from the compose file escaped). */
function formatReport(report: ConversionReport): string[] {
  const lines: string[] = [];
  const section = (title: string, items: ConversionReport['hardened']) => {
    lines.push(`${title} (${items.length}):`);
    if (items.length === 0) lines.push('  (none)');
    for (const item of items) lines.push(`  ${t(item.setting)} — ${t(item.detail)}`);
  };
  section('Linked (services that shared a compose network)', report.linked);
  section('Hardened', report.hardened);
  section('Kept behind exceptions (replace the TODO reasons in index.ts)', report.exceptions);
  section('Could not carry over (see the TODOs in index.ts)', report.notCarried);
  if (report.renamed.length > 0) section('Renamed', report.renamed);
  return lines;
}
