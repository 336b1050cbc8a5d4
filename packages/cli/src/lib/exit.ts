/**
 * Exit codes of the `bulkhead` CLI. They are part of its public interface (documented in the
 * README) and tested against the built binary. An `init` interrupted by a signal exits 128 + the
 * signal (129, 130, 143) after removing its staging directory (src/init/write.ts).
 */
export const EXIT = {
  /** Nothing at or above `--fail-on` (the report may still hold lower findings). */
  ok: 0,
  /** Findings at or above `--fail-on`, or an invalid seccomp profile given to `seccomp validate`. */
  findings: 1,
  /** Bad usage, or an input that cannot be read or understood. */
  usage: 2,
  /** The environment is missing something: Docker engine unreachable, Pulumi CLI not installed. */
  environment: 3,
  /** `audit` over several engines: some could not be audited (the report has the others). */
  partial: 4,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure with a chosen exit code and an optional suggestion. Library code in the CLI
 * throws it; commands let it reach oclif, which prints the message (never a stack).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exit: ExitCode = EXIT.usage,
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The first line of an error's message (or of what was thrown), for one-line errors. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
