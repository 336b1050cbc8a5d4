import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * A validator for the official SARIF 2.1.0 JSON schema (the final `2.1.0-rtm.5` revision, JSON
 * Schema draft-04), as shipped by Microsoft's `@microsoft/jest-sarif` package.
 */
export function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // unicodeRegExp off: the schema's language-tag pattern has a stray `]` that only unicode mode rejects.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
