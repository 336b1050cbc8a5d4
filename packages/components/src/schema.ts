/**
 * Zod pieces the components' argument schemas share.
 * @internal
 */
import { LABELS } from '@bulkhead/core';
import { z } from 'zod';

/** The prefix of the label keys Bulkhead writes; derived from core's label names. */
const RESERVED = LABELS.component.replace(/[^.]+$/, '');

/**
 * User labels: any string map whose keys stay out of Bulkhead's own namespace.
 * @param instead - what to use instead of a reserved key, appended to the error (e.g. "use role instead").
 */
export function userLabelsSchema(instead?: string) {
  const message = `keys under "${RESERVED}" are written by Bulkhead${instead ? `; ${instead}` : ''}`;
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    for (const k of Object.keys(labels)) {
      if (k.startsWith(RESERVED)) ctx.addIssue({ code: 'custom', path: [k], message });
    }
  });
}

/** The message for argument keys a component does not know, or `undefined` for other issues. */
export function unknownArgumentsMessage(iss: {
  code?: string;
  keys?: readonly string[];
}): string | undefined {
  if (iss.code !== 'unrecognized_keys' || !iss.keys) return undefined;
  return `unknown argument${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
}
