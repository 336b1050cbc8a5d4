/**
 * Secrets kept out of `bulkhead fix --dry-run`'s diff. A diff shows the lines around each edit, and
 * the lines around a service's or a container's new keys are often its environment: the values
 * judged secret (by the names and value shapes core's no-secrets-in-env rule uses, and every
 * argument of a Pulumi `secret(…)` call) are shown as `***` instead. Only lines that hold one
 * change, so the diff still applies with `patch` wherever it shows none.
 */
import { credentialShape, isSecretName } from '@bulkhead/core';
import { createTwoFilesPatch } from 'diff';
import { isPair, isScalar, parseDocument, visit } from 'yaml';

/** A half-open range `[start, end)` of source offsets holding a secret. */
export type Span = readonly [number, number];

/** The mask a secret is shown as. */
export const MASK = '***';

/** True when `text` (a value, or a `NAME=value` item) is secret by name or by shape. */
export function secretText(text: string, name?: string): boolean {
  if (name !== undefined && isSecretName(name)) return true;
  const eq = text.indexOf('=');
  if (name === undefined && eq > 0 && isSecretName(text.slice(0, eq))) return true;
  return credentialShape(text) !== undefined;
}

/**
 * The secret values of a YAML text, anywhere in it (an `environment` map or list, an anchored
 * `x-env` block merged into one, build args, labels): the value of a key with a secret name, a
 * `NAME=value` item with one, and any value shaped like a credential. Text that does not parse
 * gives no spans (`fix` refuses it before any diff).
 */
export function yamlSecretSpans(text: string): Span[] {
  const spans: Span[] = [];
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value) || !pair.value.range) return;
      const name = String(pair.key.value);
      if (secretText(String(pair.value.value), name)) spans.push([pair.value.range[0], pair.value.range[1]]);
    },
    Scalar(key, node) {
      if (key === 'key' || key === 'value' || !node.range) return; // keys, and pair values above
      if (typeof node.value === 'string' && secretText(node.value))
        spans.push([node.range[0], node.range[1]]);
    },
  });
  return spans;
}

/** `text` with every span replaced by {@link MASK}, line breaks inside a span kept (line numbers stay). */
export function maskSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue; // nested in one already masked
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]+/g, MASK);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * The unified diff from `before` to `after`, with the secrets `spansOf` finds in each masked.
 * `masked` says whether a mask reached the diff (its hunks holding one do not apply as they are).
 */
export function redactedPatch(
  file: string,
  before: string,
  after: string,
  spansOf: (text: string) => Span[],
): { patch: string; masked: boolean } {
  const patch = (a: string, b: string) => createTwoFilesPatch(file, file, a, b, '', '', { context: 3 });
  const clear = patch(before, after);
  const hidden = patch(maskSpans(before, spansOf(before)), maskSpans(after, spansOf(after)));
  return { patch: hidden, masked: hidden !== clear };
}
