/**
 * `bulkhead validate` of a Pulumi project through the built binary: every finding carries the
 * program line that constructed the resource (table, JSON, SARIF, JUnit), images taken from
 * `RemoteImage.repoDigest` are pinned, and `dependsOn` between containers is a declared link.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import * as ts from 'typescript';
import { bulkhead } from './support/cli.js';
import { sarifValidator } from './support/sarif.js';

// Type-only syntax on the lines before the resources, so a line taken from the transpiled
// JavaScript instead of the TypeScript would be off.
const PROGRAM = `import * as docker from '@pulumi/docker';

interface Options {
  privileged: boolean;
}
type Name = string;
const opts: Options = { privileged: true };
const image = new docker.RemoteImage('app-image', { name: 'registry.example/app:1.2' });
const net = new docker.Network('shared', { name: 'shared', internal: true });
const db = new docker.Container('db', { image: image.repoDigest, networksAdvanced: [{ name: net.name }] }); // db
function api(name: Name) {
  return new docker.Container(name, {
    image: 'registry.example/api:1',
    privileged: opts.privileged,
    networksAdvanced: [{ name: net.name }],
  }, { dependsOn: [db] });
}
api('api'); // api
[1].forEach(() => new docker.Container('worker', { image: image.repoDigest, networksAdvanced: [{ name: net.name }] })); // worker
`;

const lineOf = (marker: string) => PROGRAM.split('\n').findIndex((l) => l.endsWith(`// ${marker}`)) + 1;
/** The line of the constructor call inside api(): `return new docker.Container(`. */
const API_LINE = PROGRAM.split('\n').findIndex((l) => l.includes('return new docker.Container(')) + 1;

let project: string;
let rel: string;
const cwd = path.join(__dirname, '..');
beforeAll(() => {
  project = mkdtempSync(path.join(__dirname, '.tmp-lines-'));
  rel = path.relative(cwd, project);
  writeFileSync(path.join(project, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
  writeFileSync(path.join(project, 'index.ts'), PROGRAM);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface JsonFinding {
  ruleId: string;
  status: string;
  resource: { name: string };
  location: { file: string; line: number | null } | null;
}

describe('bulkhead validate <pulumi project>: program lines and Pulumi semantics', () => {
  let findings: JsonFinding[];
  beforeAll(async () => {
    const r = await bulkhead(['validate', rel, '-f', 'json', '--fail-on', 'none'], { cwd });
    expect(r.code).toBe(0);
    findings = JSON.parse(r.stdout).findings;
  });
  const of = (rule: string, name: string) =>
    findings.filter((f) => f.ruleId === rule && f.resource.name === name);

  it('json: every finding has the TypeScript line of the constructor call that made its resource', () => {
    expect(findings.length).toBeGreaterThan(0);
    const expected: Record<string, number> = { db: lineOf('db'), api: API_LINE, worker: lineOf('worker') };
    for (const f of findings) {
      expect(f.location).toEqual({
        file: `${rel}/index.ts`,
        line: expected[f.resource.name] ?? f.location?.line,
      });
      expect(f.location?.line).toBeGreaterThan(0);
    }
    expect(of('no-privileged', 'api')[0]!.location).toEqual({ file: `${rel}/index.ts`, line: API_LINE });
  });

  it('image-digest-pinned: an image from RemoteImage.repoDigest passes; a tag fails', () => {
    expect(of('image-digest-pinned', 'db')).toEqual([]);
    expect(of('image-digest-pinned', 'worker')).toEqual([]);
    expect(of('image-digest-pinned', 'api').map((f) => f.status)).toEqual(['fail']);
  });

  it('shared-network-needs-link: dependsOn links api and db; worker is named by both', () => {
    const link = findings.filter((f) => f.ruleId === 'shared-network-needs-link');
    expect(link.map((f) => f.resource.name).sort()).toEqual(['api', 'db', 'worker']);
    expect(of('shared-network-needs-link', 'worker')[0]).toMatchObject({ status: 'fail' });
  });

  it('sarif: region.startLine on every result, schema-valid', async () => {
    const r = await bulkhead(['validate', rel, '-f', 'sarif', '--fail-on', 'none'], { cwd });
    const doc = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const results = doc.runs[0].results as {
      ruleId: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region?: { startLine: number };
        };
      }[];
    }[];
    expect(results.length).toBeGreaterThan(0);
    for (const res of results)
      expect(res.locations[0]!.physicalLocation.region?.startLine).toBeGreaterThan(0);
    const priv = results.find((x) => x.ruleId === 'no-privileged')!;
    expect(priv.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: `${rel}/index.ts` },
      region: { startLine: API_LINE },
    });
  });

  it('table and junit: the finding shows file:line', async () => {
    const table = await bulkhead(['validate', rel, '--fail-on', 'none'], { cwd, env: { NO_COLOR: '1' } });
    expect(table.stdout).toContain(`${rel}/index.ts:${API_LINE}`);
    const junit = await bulkhead(['validate', rel, '-f', 'junit', '--fail-on', 'none'], { cwd });
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.stdout);
    expect(JSON.stringify(doc)).toContain(`(${rel}/index.ts:${API_LINE})`);
  });

  it('a stack export has no source lines: its findings point at the file only', async () => {
    const exportFile = path.join(project, 'stack.json');
    writeFileSync(
      exportFile,
      JSON.stringify({
        deployment: {
          resources: [
            {
              urn: 'urn:pulumi:prod::shop::docker:index/container:Container::w',
              type: 'docker:index/container:Container',
              inputs: { image: 'x:1', privileged: true },
            },
          ],
        },
      }),
    );
    const r = await bulkhead(
      ['validate', path.relative(cwd, exportFile), '-f', 'json', '--fail-on', 'none'],
      { cwd },
    );
    const all = JSON.parse(r.stdout).findings as JsonFinding[];
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) expect(f.location).toEqual({ file: path.relative(cwd, exportFile), line: null });
  });
});

describe('bulkhead validate <pulumi project> compiled ahead (main: bin/index.js with a source map)', () => {
  it('points findings at the TypeScript file and line the map names', async () => {
    const dir = mkdtempSync(path.join(__dirname, '.tmp-compiled-'));
    try {
      const src = `import * as docker from '@pulumi/docker';\n\ninterface A {\n  a: number;\n}\nconst a: A = { a: 1 };\nnew docker.Container('api', { image: 'x:1', privileged: a.a === 1 }); // api\n`;
      const out = ts.transpileModule(src, {
        fileName: 'index.ts',
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true },
      });
      mkdirSync(path.join(dir, 'src'));
      mkdirSync(path.join(dir, 'bin'));
      writeFileSync(path.join(dir, 'src', 'index.ts'), src);
      const map = JSON.parse(out.sourceMapText!) as { sources: string[] };
      map.sources = ['../src/index.ts'];
      writeFileSync(
        path.join(dir, 'bin', 'index.js'),
        out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=index.js.map'),
      );
      writeFileSync(path.join(dir, 'bin', 'index.js.map'), JSON.stringify(map));
      writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\nmain: bin/index.js\n');
      const relDir = path.relative(cwd, dir);
      const r = await bulkhead(['validate', relDir, '-f', 'json', '--fail-on', 'none'], { cwd });
      const priv = (JSON.parse(r.stdout).findings as JsonFinding[]).find(
        (f) => f.ruleId === 'no-privileged',
      )!;
      const line = src.split('\n').findIndex((l) => l.endsWith('// api')) + 1;
      expect(priv.location).toEqual({ file: `${relDir}/src/index.ts`, line });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
