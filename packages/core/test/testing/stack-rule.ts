import { noPrivileged } from '../../src/rules/no-privileged.js';
import type { StackRule } from '../../src/rules/types.js';

/** A stack rule for the kit's own tests: with more than one container, each fails at `user`. */
export function countingStackRule(): StackRule {
  const { check: _c, example: _e, ...meta } = noPrivileged;
  return {
    ...meta,
    id: 'test/stack',
    scope: 'stack',
    check: ({ containers }) =>
      containers.length > 1
        ? containers.map((c) => ({ status: 'fail' as const, path: 'user', message: 'too many', resource: c }))
        : [],
  };
}
