/**
 * Organization-wide fan-out (docs/org-enforcement.md): `validate` over a directory of 1,000 stack
 * exports, one per stack, in one run with one merged report. Each stack's findings keep their file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bulkhead, tempDir } from './support/cli.js';
import { sarifValidator } from './support/sarif.js';

const STACKS = 1000;
const TYPE = 'docker:index/container:Container';

/** A stack export of one container; every tenth stack's container runs privileged. */
function stackExport(i: number): string {
  const urn = `urn:pulumi:stack${i}::shop::${TYPE}::web`;
  const inputs = {
    image: 'nginx:1.27',
    name: `web-${i}`,
    ...(i % 10 === 0 ? { privileged: true } : {}),
  };
  return JSON.stringify({
    version: 3,
    deployment: {
      manifest: {},
      resources: [{ urn, custom: true, type: TYPE, id: `id-${i}`, inputs, outputs: inputs }],
    },
  });
}

describe('validate over 1,000 stack exports with merged output (built binary)', () => {
  let tmp: { dir: string; cleanup: () => void };
  let files: string[];
  beforeAll(() => {
    tmp = tempDir();
    const dir = path.join(tmp.dir, 'exports');
    mkdirSync(dir);
    files = Array.from({ length: STACKS }, (_, i) => {
      const file = path.join(dir, `stack-${String(i).padStart(4, '0')}.json`);
      writeFileSync(file, stackExport(i));
      return file;
    });
  });
  afterAll(() => tmp.cleanup());

  it('writes one valid SARIF run holding every stack, each privileged container at its own file', async () => {
    const out = path.join(tmp.dir, 'merged.sarif');
    const r = await bulkhead(['validate', ...files, '-f', 'sarif', '-o', out, '--profile', 'baseline'], {
      cwd: tmp.dir,
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(1);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const validate = sarifValidator();
    expect(validate(doc)).toBe(true);
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0].properties.summary.containers).toBe(STACKS);
    const privileged = (
      doc.runs[0].results as {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }[]
    )
      .filter((x) => x.ruleId === 'no-privileged')
      .map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)
      .sort();
    expect(privileged).toEqual(
      Array.from({ length: STACKS / 10 }, (_, k) => `exports/stack-${String(k * 10).padStart(4, '0')}.json`),
    );
  }, 150_000);
});
