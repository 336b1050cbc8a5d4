/**
 * Errors core throws, in one place: every layer (adapters, evaluation, seccomp) and every package
 * on top of core may throw or catch them without importing from another layer's module.
 */

/**
 * Bad input a user can fix: an invalid exemptions file, seccomp profile or compose file. The
 * message names every offending path (and, for files, the place) and how to fix it.
 */
export class InputError extends Error {
  constructor(
    message: string,
    /** Field paths that were wrong, such as `exemptions[2].reason`. */
    readonly paths: readonly string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }
}
