import { InputError } from '@bulkhead/core';
import { Command, Errors } from '@oclif/core';
import { EXIT, UserError } from './exit.js';

/**
 * Base of every `bulkhead` command: turns any error into one clear line with a documented exit
 * code (never a stack trace; `DEBUG=*` shows one).
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    const cli = toCliError(err);
    process.exitCode = cli.oclif?.exit ?? EXIT.usage;
    return super.catch(cli);
  }
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

const firstLine = (s: string) => s.split('\n')[0] ?? s;

/** True when coloured output is wanted on this stream (a TTY, no `NO_COLOR`, not a dumb terminal). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
