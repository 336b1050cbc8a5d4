import { InputError } from '@bulkhead/core';

/** One problem with a component argument: where it is and what to do about it. */
export interface ArgIssue {
  /** Argument path such as `args.user` or `args.capAdd[1]`. */
  path: string;
  /** What is wrong and how to fix it. Never contains a secret value. */
  message: string;
}

/**
 * Thrown by a Bulkhead component's constructor, before any resource is registered, when an
 * argument is invalid or weakens a default without an exception. One error lists every issue,
 * each naming the argument path and the fix.
 */
export class ComponentArgsError extends InputError {
  /** Every issue, in argument order. */
  readonly issues: readonly ArgIssue[];

  constructor(component: string, name: string, issues: readonly ArgIssue[]) {
    const head = `${component} "${name}"`;
    const message =
      issues.length === 1
        ? `${head}: ${issues[0]!.path}: ${issues[0]!.message}`
        : `${head} has ${issues.length} problems:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`;
    super(
      message,
      issues.map((i) => i.path),
    );
    this.name = 'ComponentArgsError';
    this.issues = issues;
  }
}

/** `args` + `['capAdd', 1]` → `args.capAdd[1]`. */
export function joinPath(root: string, segments: readonly PropertyKey[]): string {
  let out = root;
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
