import { escapeTerminal, InputError } from '@bulkhead/core';
import { Command, Errors, type Interfaces } from '@oclif/core';
import { EXIT, firstLine, UserError } from './exit.js';

/**
 * Base of every `bulkhead` command: turns any error into one clear line with a documented exit
 * code (never a stack trace; `DEBUG=*` shows one). Errors and warnings are escaped for the
 * terminal here, at the output boundary: they echo file names, flag values, ids and names from
 * input, and a CR, LF or escape sequence in one must not forge a line or drive the terminal.
 */
export abstract class BaseCommand extends Command {
  /** Set once parsing found `--format json` (or the deprecated `--json`). */
  private jsonFormat = false;

  /**
   * oclif's JSON mode (result and errors as JSON on stdout, nothing else there) for commands with
   * `enableJsonFlag`, switched on by `--format json` like every other machine output. Before
   * parsing (a flag error) it is read from argv as oclif reads `--json`.
   */
  override jsonEnabled(): boolean {
    if (!this.ctor.enableJsonFlag) return false;
    return this.jsonFormat || super.jsonEnabled() || asksForJson(this.argv);
  }

  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const out = await super.parse(options, argv);
    const flags = out.flags as { format?: unknown; json?: unknown };
    if (this.ctor.enableJsonFlag && (flags.format === 'json' || flags.json === true)) this.jsonFormat = true;
    // Errors.warn, not this.warn: JSON mode silences the command's own warnings.
    if (this.ctor.enableJsonFlag && flags.json === true)
      Errors.warn('--json is deprecated: use --format json');
    return out;
  }
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    const cli = oneLine(toCliError(err));
    process.exitCode = cli.oclif?.exit ?? EXIT.usage;
    return super.catch(cli);
  }

  override warn(input: string | Error): string | Error {
    const text = input instanceof Error ? input.message : input;
    return super.warn(escapeTerminal(text));
  }
}

/** oclif's flag and argument output type (`Record<string, any>`, not exported by name). */
// biome-ignore lint/suspicious/noExplicitAny: oclif's own constraint, matched to override parse
type Output = Record<string, any>;

/** True when argv (before any `--`) holds `--format json`, `--format=json`, `-f json` or `-fjson`. */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  return args.some(
    (a, i) =>
      a === '--format=json' ||
      a === '-fjson' ||
      a === '-f=json' ||
      ((a === '--format' || a === '-f') && args[i + 1] === 'json'),
  );
}

const HELP_LINE = '\nSee more help with --help';

/**
 * The error with its message and suggestions escaped for the terminal (each stays one line). An
 * exit request (`this.exit()`) carries no text and is returned as it is.
 */
export function oneLine(err: Errors.CLIError): Errors.CLIError {
  if (err instanceof Errors.ExitError) return err;
  // oclif's parse errors end in a line of their own pointing at --help: make it a suggestion, and
  // fold its `Parsing --flag \n\t…` layout, so the message itself is one line of our making.
  let message = err.message;
  const suggestions = [...(err.suggestions ?? [])];
  if (message.endsWith(HELP_LINE)) {
    message = message.slice(0, -HELP_LINE.length);
    suggestions.push('see more help with --help');
  }
  message = message.replace(/^Parsing (--[^\s]+) \n\t/, (_, flag: string) =>
    message.includes(`\t${flag} `) ? '' : `Parsing ${flag}: `,
  );
  const out = new Errors.CLIError(escapeTerminal(message), {
    exit: err.oclif?.exit ?? EXIT.usage,
    ...(suggestions.length ? { suggestions: suggestions.map(escapeTerminal) } : {}),
    ...(err.code ? { code: err.code } : {}),
  });
  return out;
}

/** Maps an error to an oclif error with the right exit code. */
export function toCliError(err: unknown): Errors.CLIError {
  if (err instanceof Errors.ExitError) return err;
  if (err instanceof UserError) {
    return new Errors.CLIError(err.message, { exit: err.exit, suggestions: [...err.suggestions] });
  }
  if (err instanceof InputError) return new Errors.CLIError(err.message, { exit: EXIT.usage });
  if (err instanceof Errors.CLIError) {
    // oclif's own parse errors carry exit 2 already; keep them.
    return err;
  }
  const e = err as NodeJS.ErrnoException;
  const env = e?.code === 'ECONNREFUSED' || e?.code === 'EACCES' || e?.code === 'ENOENT';
  const message = e instanceof Error ? e.message : String(err);
  return new Errors.CLIError(`unexpected error: ${firstLine(message)}`, {
    exit: env ? EXIT.environment : EXIT.usage,
    suggestions: ['run again with DEBUG=* for details, and report it if it persists'],
  });
}

/** True when coloured output is wanted on this stream (a TTY, no `NO_COLOR`, not a dumb terminal). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
