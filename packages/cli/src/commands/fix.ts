import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate, type Finding, InputError, nodeComposeFiles, escapeTerminal as t } from '@bulkhead/core';
import { Args, Flags } from '@oclif/core';
import { exemptionTemplate, type FixNote, FixNotVerified, planComposeFix } from '../fix/compose.js';
import { redactedPatch, type Span, yamlSecretSpans } from '../fix/redact.js';
import { BaseCommand } from '../lib/base.js';
import { EXIT, firstLine, UserError } from '../lib/exit.js';
import { describeFsError, readInputText } from '../lib/files.js';
import { COMPOSE_FILES, composeFileIn, loadProject } from '../lib/inputs.js';
import { replaceAtomically } from '../lib/output.js';
import { isPulumiProject, readPulumiProject } from '../lib/pulumi-project.js';
import { cleanUpOnSignal } from '../lib/signals.js';

/** `bulkhead fix PATH`: rewrite a compose file or a Pulumi program to clear the findings with a mechanical fix. */
export default class Fix extends BaseCommand {
  static override summary =
    'Fix a compose file or a TypeScript Pulumi program: apply the hardening fixes that need no decision.';
  static override description =
    'Edits the YAML document in place (comments, anchors, key order and formatting elsewhere are kept): ' +
    'cap_drop ALL, no-new-privileges, a read-only root with a hardened /tmp tmpfs, memory, CPU and PIDs ' +
    'limits, ulimits, ports bound to 127.0.0.1, bounded logs, init, and with --set-user a ' +
    'numeric non-root user. The fixed file is evaluated again before it is written (the fixed findings ' +
    'gone, none new); it is replaced atomically. Findings that need a decision are listed with why, and ' +
    'an exemptions template is printed for them. A file that cannot be read is never touched. ' +
    'In a TypeScript Pulumi program (a project directory, its Pulumi.yaml or its program file) the ' +
    'arguments of each `new docker.Container(name, { … })` are edited the same way (with the TypeScript ' +
    'compiler API; other text is kept byte for byte); the edited program must parse and is run again ' +
    'under mocks (as a temporary file beside it, removed after) before it is written. Exit codes: ' +
    '0 fixed (or nothing to fix), 1 the fix did not verify (nothing written), 2 bad usage or input.';
  static override examples = [
    '<%= config.bin %> fix compose.yaml --dry-run',
    '<%= config.bin %> fix compose.yaml --set-user',
    '<%= config.bin %> fix infra/ --dry-run',
  ];
  static override args = {
    path: Args.string({
      required: true,
      description:
        'A compose file, or a directory with one; or a Pulumi project directory or its TypeScript program.',
    }),
  };
  static override flags = {
    'dry-run': Flags.boolean({
      description:
        'Print the change as a unified diff on standard output; write nothing. Secret-looking values ' +
        '(secret names or credential shapes, Pulumi `secret(…)` arguments) are shown as ***.',
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
    }),
    stack: Flags.string({
      description:
        'Pulumi stack whose `Pulumi.<stack>.yaml` config the program runs with (default: the only stack).',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Fix);
    const project = await pulumiProject(args.path);
    const other = project
      ? (flags['env-file'] ?? []).length > 0
        ? '--env-file'
        : undefined
      : flags.stack && '--stack';
    if (other)
      throw new UserError(
        `${other} does not apply to ${project ? 'a Pulumi program' : 'a compose file'}`,
        EXIT.usage,
      );
    if (project) return this.fixProgram(project.dir, project.file, flags);
    const file = await composeFile(args.path);
    const text = await readInputText(file, 'compose file');
    let plan: ReturnType<typeof planComposeFix>;
    try {
      plan = planComposeFix(text, file, {
        compose: {
          environment: process.env,
          readFile: nodeComposeFiles(),
          ...(flags['env-file'] && flags['env-file'].length > 0 ? { envFiles: flags['env-file'] } : {}),
        },
        setUser: flags['set-user'],
      });
    } catch (error) {
      if (error instanceof InputError)
        throw new UserError(`${firstLine(error)}; nothing was changed`, EXIT.usage);
      if (error instanceof FixNotVerified) throw new UserError(error.message, EXIT.findings);
      throw error;
    }
    await finish(file, text, plan, flags['dry-run'], 'compose file', yamlSecretSpans);
  }

  /** Fixes the `docker.Container` arguments of a TypeScript Pulumi program. */
  private async fixProgram(
    dir: string,
    given: string | undefined,
    flags: { 'dry-run': boolean; 'set-user': boolean; stack?: string | undefined },
  ): Promise<void> {
    const project = await readPulumiProject(dir, flags.stack);
    const file = project.program;
    if (given !== undefined && (await fs.realpath(given)) !== (await fs.realpath(file)))
      throw new UserError(
        `${given} is not the program of the Pulumi project in ${dir} (${file})`,
        EXIT.usage,
        ['pass the project directory, or the file `main:` in Pulumi.yaml names'],
      );
    if (!/\.[cm]?ts$/.test(file))
      throw new UserError(`${file}: bulkhead fix edits TypeScript programs only`, EXIT.usage);
    const text = await readInputText(file, 'Pulumi program');
    const { planPulumiFix, programSecretSpans, syntaxErrors } = await import('../fix/pulumi.js');
    const bad = shallow(file, () => syntaxErrors(text, file))[0];
    if (bad !== undefined) throw new UserError(`${file}: ${bad}; nothing was changed`, EXIT.usage);
    const options = { stack: flags.stack };
    const findingsOf = (input: { resources: Parameters<typeof evaluate>[0] }): Finding[] =>
      evaluate(input.resources).findings;
    // Said once, for the program as it is (the fixed copy runs with the same config).
    const warn = (m: string) => this.warn(m);
    const before = findingsOf(await loadProject(dir, dir, { ...options, warn })).filter(
      (f) => f.status === 'fail',
    );
    // The edited program runs as a new file beside the program (its imports resolve the same).
    const ext = path.extname(file);
    const copy = path.join(
      path.dirname(file),
      `.${path.basename(file, ext)}.bulkhead-fix-${randomBytes(4).toString('hex')}${ext}`,
    );
    let plan: Awaited<ReturnType<typeof planPulumiFix>>;
    try {
      // Interrupted while the copy exists (a run under mocks takes seconds): it is removed.
      plan = await cleanUpOnSignal(
        () => rmSync(copy, { force: true }),
        () =>
          planPulumiFix(
            text,
            file,
            before,
            async (fixed) => {
              await fs
                .writeFile(copy, fixed, { flag: 'wx', mode: 0o600 })
                .catch((error: NodeJS.ErrnoException) => {
                  throw new UserError(
                    `cannot run the fixed program: cannot write ${copy}: ${describeFsError(error.code ?? 'error')}; nothing was changed`,
                    EXIT.usage,
                  );
                });
              try {
                return findingsOf(await loadProject(dir, dir, { ...options, program: copy }));
              } catch (error) {
                if (!(error instanceof UserError)) throw error;
                throw new FixNotVerified(
                  `the fixed program did not run (${firstLine(error)}); nothing was written`,
                );
              } finally {
                await fs.rm(copy, { force: true });
              }
            },
            { setUser: flags['set-user'] },
          ),
      );
    } catch (error) {
      if (error instanceof FixNotVerified) throw new UserError(error.message, EXIT.findings);
      throw error instanceof RangeError ? tooDeep(file) : error;
    }
    // A program too deep to walk for its secrets is refused rather than shown unmasked.
    const secrets = (code: string) => shallow(file, () => programSecretSpans(code));
    await finish(file, text, plan, flags['dry-run'], 'Pulumi program', secrets);
  }
}

/** Runs `read`; a program nested too deeply for the compiler's recursion is bad input, not a crash. */
function shallow<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof RangeError ? tooDeep(file) : error;
  }
}

const tooDeep = (file: string) =>
  new UserError(`${file}: nested too deeply to edit; nothing was changed`, EXIT.usage);

/** Writes (or shows) the fix and reports what was and was not fixed. */
async function finish(
  file: string,
  text: string,
  plan: { text: string; fixed: FixNote[]; notFixed: FixNote[] },
  dryRun: boolean,
  what: string,
  secretSpans: (text: string) => Span[],
): Promise<void> {
  const changed = plan.text !== text;
  const out = dryRun ? process.stderr : process.stdout;
  if (dryRun && changed) {
    // Secrets masked everywhere; otherwise raw for `patch` and files, escaped on a terminal.
    const { patch, masked } = redactedPatch(file, text, plan.text, secretSpans);
    process.stdout.write(process.stdout.isTTY ? patch.split('\n').map(t).join('\n') : patch);
    if (masked)
      out.write(
        'note: secret-looking values are shown as *** in the diff; the hunks that show one do not apply with `patch` (run without --dry-run)\n',
      );
  }
  if (changed && !dryRun) await replaceFile(file, text, plan.text, what);
  const verb = dryRun ? 'would fix' : 'fixed';
  for (const n of plan.fixed) out.write(`${verb} ${t(n.rule)} on ${t(n.service)}\n`);
  for (const n of plan.notFixed) {
    out.write(`not fixed: ${t(n.rule)} on ${t(n.service)} (${t(n.path)}): ${t(n.why ?? '')}\n`);
  }
  const template = exemptionTemplate(
    plan.notFixed,
    what === 'Pulumi program'
      ? 'Or move the container to HardenedContainer and give each an `exceptions` entry with the reason.'
      : undefined,
  );
  if (template) out.write(`\n${template.split('\n').map(t).join('\n')}`);
  out.write(
    `${plan.fixed.length} ${verb}, ${plan.notFixed.length} not fixed${changed ? '' : '; the file is unchanged'}\n`,
  );
}

/** The Pulumi project PATH names (a directory with Pulumi.yaml, that file, or a .ts file beside one). */
async function pulumiProject(target: string): Promise<{ dir: string; file?: string } | undefined> {
  const st = await fs.stat(target).catch(() => undefined);
  if (st?.isDirectory()) return isPulumiProject(target) ? { dir: target } : undefined;
  if (/^Pulumi\.ya?ml$/.test(path.basename(target))) return { dir: path.dirname(target) };
  if (st && /\.[cm]?ts$/.test(target)) {
    const dir = path.dirname(target);
    if (!isPulumiProject(dir))
      throw new UserError(`${target}: no Pulumi.yaml beside it`, EXIT.usage, [
        'pass the Pulumi project directory',
      ]);
    return { dir, file: target };
  }
  return undefined;
}

/** The compose file PATH names: the file, or the first of docker compose's names in a directory. */
async function composeFile(target: string): Promise<string> {
  const st = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`cannot read ${target}: ${describeFsError(error.code ?? 'error')}`, EXIT.usage);
  });
  if (!st.isDirectory()) return target;
  const found = composeFileIn(target);
  if (found) return found;
  throw new UserError(`${target} holds no compose file (${COMPOSE_FILES.join(', ')})`, EXIT.usage);
}

/** Replaces `file` atomically, only if it still holds what was read (same inode, same bytes). */
async function replaceFile(file: string, read: string, text: string, what: string): Promise<void> {
  const target = await fs.realpath(file);
  const st = await fs.stat(target);
  const fail = (reason: string, suggestion?: string) =>
    new UserError(`cannot write ${file}: ${reason}`, EXIT.usage, suggestion ? [suggestion] : []);
  if (st.nlink > 1) throw fail(`it has ${st.nlink} hard links; replacing it would split them`);
  if ((await readInputText(target, what)) !== read) {
    throw fail('it changed while the fix was planned; nothing was written', 'run again');
  }
  await replaceAtomically(target, [text], st, fail);
}
