import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError, nodeComposeFiles, escapeTerminal as t } from '@bulkhead/core';
import { Args, Flags } from '@oclif/core';
import { createTwoFilesPatch } from 'diff';
import { exemptionTemplate, FixNotVerified, planComposeFix } from '../fix/compose.js';
import { BaseCommand } from '../lib/base.js';
import { EXIT, UserError } from '../lib/exit.js';
import { describeFsError, readInputText } from '../lib/files.js';
import { COMPOSE_FILES } from '../lib/inputs.js';
import { replaceAtomically } from '../lib/output.js';

/** `bulkhead fix PATH`: rewrite a compose file to clear the findings with a mechanical fix. */
export default class Fix extends BaseCommand {
  static override summary = 'Fix a compose file: apply the hardening fixes that need no decision.';
  static override description =
    'Edits the YAML document in place (comments, anchors, key order and formatting elsewhere are kept): ' +
    'cap_drop ALL, no-new-privileges, a read-only root with a hardened /tmp tmpfs, memory, CPU and PIDs ' +
    'limits, ulimits, ports bound to 127.0.0.1, bounded logs, init, and with --set-user a ' +
    'numeric non-root user. The fixed file is evaluated again before it is written (the fixed findings ' +
    'gone, none new); it is replaced atomically. Findings that need a decision are listed with why, and ' +
    'an exemptions template is printed for them. A file that cannot be read is never touched. Exit codes: ' +
    '0 fixed (or nothing to fix), 1 the fix did not verify (nothing written), 2 bad usage or input.';
  static override examples = [
    '<%= config.bin %> fix compose.yaml --dry-run',
    '<%= config.bin %> fix compose.yaml --set-user',
  ];
  static override args = {
    path: Args.string({ required: true, description: 'A compose file, or a directory with one.' }),
  };
  static override flags = {
    'dry-run': Flags.boolean({
      description: 'Print the change as a unified diff on standard output; write nothing.',
      default: false,
    }),
    'set-user': Flags.boolean({
      description:
        'Also set a numeric non-root `user` on services that run as root or by name (only when their images run as any uid).',
      default: false,
    }),
    'env-file': Flags.string({
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
        'A file of variables for ${VAR} interpolation, as `docker compose --env-file`. Repeatable.',
      multiple: true,
      default: [],
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Fix);
    const file = await composeFile(args.path);
    const text = await readInputText(file, 'compose file');
    let plan: ReturnType<typeof planComposeFix>;
    try {
      plan = planComposeFix(text, file, {
        compose: {
          environment: process.env,
          readFile: nodeComposeFiles(),
          ...(flags['env-file'].length > 0 ? { envFiles: flags['env-file'] } : {}),
        },
        setUser: flags['set-user'],
      });
    } catch (error) {
      if (error instanceof InputError)
        throw new UserError(`${firstLine(error)}; nothing was changed`, EXIT.usage);
      if (error instanceof FixNotVerified) throw new UserError(error.message, EXIT.findings);
      throw error;
    }
    const changed = plan.text !== text;
    const out = flags['dry-run'] ? process.stderr : process.stdout;
    if (flags['dry-run'] && changed) {
      const patch = createTwoFilesPatch(file, file, text, plan.text, '', '', { context: 3 });
      // Raw for `patch` and files; escaped on a terminal (the file's text is input).
      process.stdout.write(process.stdout.isTTY ? patch.split('\n').map(t).join('\n') : patch);
    }
    if (changed && !flags['dry-run']) await replaceFile(file, text, plan.text);
    const verb = flags['dry-run'] ? 'would fix' : 'fixed';
    for (const n of plan.fixed) out.write(`${verb} ${t(n.rule)} on ${t(n.service)}\n`);
    for (const n of plan.notFixed) {
      out.write(`not fixed: ${t(n.rule)} on ${t(n.service)} (${t(n.path)}): ${t(n.why ?? '')}\n`);
    }
    const template = exemptionTemplate(plan.notFixed);
    if (template) out.write(`\n${template.split('\n').map(t).join('\n')}`);
    out.write(
      `${plan.fixed.length} ${verb}, ${plan.notFixed.length} not fixed${changed ? '' : '; the file is unchanged'}\n`,
    );
  }
}

/** The compose file PATH names: the file, or the first of docker compose's names in a directory. */
async function composeFile(target: string): Promise<string> {
  const st = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`cannot read ${target}: ${describeFsError(error.code ?? 'error')}`, EXIT.usage);
  });
  if (!st.isDirectory()) return target;
  for (const name of COMPOSE_FILES) {
    const p = path.join(target, name);
    if (
      await fs.stat(p).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return p;
  }
  throw new UserError(`${target} holds no compose file (${COMPOSE_FILES.join(', ')})`, EXIT.usage);
}

/** Replaces `file` atomically, only if it still holds what was read (same inode, same bytes). */
async function replaceFile(file: string, read: string, text: string): Promise<void> {
  const target = await fs.realpath(file);
  const st = await fs.stat(target);
  const fail = (reason: string, suggestion?: string) =>
    new UserError(`cannot write ${file}: ${reason}`, EXIT.usage, suggestion ? [suggestion] : []);
  if (st.nlink > 1) throw fail(`it has ${st.nlink} hard links; replacing it would split them`);
  if ((await readInputText(target, 'compose file')) !== read) {
    throw fail('it changed while the fix was planned; nothing was written', 'run again');
  }
  await replaceAtomically(target, [text], st, fail);
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
