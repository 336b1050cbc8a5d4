import { join } from 'node:path';
import { conformanceSuite } from './compose-reference';

/** The compose model's fixtures (per-service semantics), each checked against Compose itself. */
describe('compose conformance: model', () => {
  conformanceSuite(join(__dirname, 'model'));
});
