import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fromPreviewJson,
  fromStackExport,
  PULUMI_TYPES,
  parseInputFile,
  SEALED,
} from '../../src/adapters/index.js';
import { catalog, evaluate, InputError } from '../../src/index.js';
import type { ContainerSpec, ResourceSet } from '../../src/model/spec.js';
import { isSecret, isUnknown, reveal } from '../../src/model/value.js';

const fixture = (p: string) => join(__dirname, '../../fixtures', p);
const read = (p: string) => readFileSync(fixture(p), 'utf8');

function byName(set: ResourceSet, name: string): ContainerSpec {
  const c = set.containers.find((x) => x.source.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

describe('fromStackExport', () => {
  const set = fromStackExport(JSON.parse(read('pulumi/stack-export.json')), 'stack.json');

  it('reads docker containers, services and networks, skipping other types and pending deletes', () => {
    expect(set.containers.map((c) => [c.source.name, c.source.type, c.source.kind])).toEqual([
      ['web', PULUMI_TYPES.container, 'stack-export'],
      ['legacy', PULUMI_TYPES.container, 'stack-export'],
      ['api', PULUMI_TYPES.service, 'stack-export'],
    ]);
    expect(set.networks.map((n) => [n.name, n.internal])).toEqual([['shop-backend', true]]);
  });

  it('keeps the URN, the parent component and the file', () => {
    expect(byName(set, 'web').source).toMatchObject({
      urn: 'urn:pulumi:dev::shop::bulkhead:docker:HardenedContainer$docker:index/container:Container::web',
      parent: 'urn:pulumi:dev::shop::bulkhead:docker:HardenedContainer::web',
      location: { file: 'stack.json' },
    });
  });

  it('reads inputs in Pulumi units, ignoring the bridge __defaults keys', () => {
    expect(byName(set, 'web')).toMatchObject({
      user: '10001:10001',
      capDrop: ['ALL'],
      readOnlyRootfs: true,
      memory: 256 * 1024 * 1024,
      nanoCpus: 500_000_000,
      links: ['db:5432'],
      networks: [{ name: 'shop-backend', origin: 'networksAdvanced[0]' }],
    });
  });

  it('falls back to outputs when a resource has no inputs', () => {
    expect(byName(set, 'legacy')).toMatchObject({
      privileged: true,
      networkMode: 'host',
      image: 'nginx:latest',
    });
  });

  it('represents an encrypted env list as one sealed entry: secret, content unknown', () => {
    const env = byName(set, 'web').env;
    expect(env).toEqual([{ name: expect.anything(), value: SEALED, origin: 'envs' }]);
    const only = (env as { name: unknown; value: unknown }[])[0];
    expect(isUnknown(only?.name)).toBe(true);
    expect(isSecret(only?.value) && isUnknown(only?.value)).toBe(true);
  });

  it('decodes --show-secrets plaintext and keeps it Secret', () => {
    const env = byName(set, 'api').env as { name: unknown; value: unknown }[];
    expect(env.map((e) => e.name)).toEqual(['API_TOKEN']);
    expect(isSecret(env[0]?.value) && reveal(env[0]?.value as never)).toBe('t0ken');
  });

  (catalog.has('no-secrets-in-env') ? it : it.skip)(
    'lets no-secrets-in-env pass the encrypted env and fail the plain-text password',
    () => {
      const report = evaluate(set, { only: ['no-secrets-in-env'] });
      expect(report.findings.map((f) => [f.resource.name, f.status])).toEqual([['legacy', 'fail']]);
    },
  );

  it.each([
    ['an array', []],
    ['an object without deployment', { version: 3 }],
    ['resources that are not a list', { deployment: { resources: {} } }],
    ['a string', 'hello'],
  ])('throws InputError naming deployment.resources for %s', (_what, doc) => {
    expect(() => fromStackExport(doc, 'x.json')).toThrow(
      new InputError(
        'x.json: deployment.resources: expected the JSON of `pulumi stack export` (an object with a deployment.resources list)',
      ),
    );
  });

  it('accepts an empty stack', () => {
    expect(fromStackExport({ version: 3, deployment: { manifest: {} } })).toEqual({
      containers: [],
      networks: [],
    });
  });
});

describe('fromPreviewJson', () => {
  const set = fromPreviewJson(JSON.parse(read('pulumi/preview.json')), 'preview.json');

  it('reads newState and the older new, and skips deletes', () => {
    expect(set.containers.map((c) => [c.source.name, c.source.kind])).toEqual([
      ['web', 'preview'],
      ['worker', 'preview'],
    ]);
    expect(set.networks.map((n) => n.name)).toEqual(['backend-7f3a']);
  });

  it('reads the unknown sentinel as UNKNOWN and [secret] as a sealed secret', () => {
    const web = byName(set, 'web');
    expect(isUnknown(web.image)).toBe(true);
    expect(Array.isArray(web.capAdd) && isUnknown(web.capAdd[0])).toBe(true);
    expect(web.env).toEqual([{ name: expect.anything(), value: SEALED, origin: 'envs' }]);
    expect(isUnknown(web.ingress)).toBe(true);
  });

  it('reports unknown, not fail, for the rules that read unknown values', () => {
    const report = evaluate(set, { only: ['no-privileged', 'no-new-privileges'] });
    expect(report.findings.map((f) => [f.resource.name, f.ruleId, f.status])).toEqual([
      ['worker', 'no-privileged', 'fail'],
      ['worker', 'no-new-privileges', 'fail'],
    ]);
  });

  it('treats a preview with no steps but a change summary as empty', () => {
    expect(fromPreviewJson({ changeSummary: { same: 3 } })).toEqual({ containers: [], networks: [] });
  });

  it('throws InputError naming steps for a document that is not a preview', () => {
    expect(() => fromPreviewJson({ deployment: {} }, 'p.json')).toThrow(
      'p.json: steps: expected the JSON of `pulumi preview --json` (an object with a steps list)',
    );
  });
});

describe('parseInputFile', () => {
  it.each([
    ['compose/mixed.yaml', 'compose', 3],
    ['pulumi/stack-export.json', 'stack-export', 3],
    ['pulumi/preview.json', 'preview', 2],
    ['inspect/containers.json', 'inspect', 2],
  ])('detects %s as %s', (path, kind, containers) => {
    const out = parseInputFile(read(path), path);
    expect(out.kind).toBe(kind);
    expect(out.resources.containers).toHaveLength(containers);
  });

  it('reads a single inspect object and a compose file written as JSON', () => {
    expect(parseInputFile('{"Name": "/a", "HostConfig": {"Privileged": true}}', 'a.json').kind).toBe(
      'inspect',
    );
    const compose = parseInputFile('{"services": {"web": {"image": "x", "privileged": true}}}', 'c.json');
    expect(compose.kind).toBe('compose');
    expect(compose.resources.containers[0]?.source.locations?.get('services.web.privileged')).toMatchObject({
      line: 1,
    });
  });

  it('accepts a byte-order mark', () => {
    expect(parseInputFile('\ufeffservices:\n  a:\n    image: x\n', 'bom.yaml').kind).toBe('compose');
  });

  it.each([
    ['broken JSON', '{\n  "deployment": {\n    "resources": [,]\n  }\n}', /^bad:3:\d+: not valid JSON/],
    [
      'an unrecognized JSON object',
      '{"hello": "world"}',
      /^bad: not a recognized input; expected a compose file/,
    ],
    ['a list of strangers', '[{"hello": "world"}]', /^bad: \[0\]: the list holds no container or network/],
    ['a list with one stranger', '[{"HostConfig": {}}, null]', /^bad: \[1\]: not a container or network/],
    [
      'a stack export whose resource is not an object',
      '{"deployment": {"resources": [7]}}',
      /^bad: deployment\.resources\[0\]: expected a resource object/,
    ],
    [
      'a stack export whose container inputs are not an object',
      '{"deployment": {"resources": [{"type": "docker:index/container:Container", "urn": "u::c", "inputs": "x"}]}}',
      /^bad: deployment\.resources\[0\]\.inputs: expected an object/,
    ],
    ['a preview whose step is not an object', '{"steps": ["x"]}', /^bad: steps\[0\]: expected a step object/],
    ['an empty file', '  \n', /^bad: the file is empty/],
    ['YAML that is not compose', 'kind: Deployment\n', /^bad:1:1: no top-level `services:` key/],
  ])('throws InputError for %s', (_what, text, message) => {
    let err: unknown;
    try {
      parseInputFile(text, 'bad');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
  });

  it('never echoes file content in a JSON syntax error', () => {
    expect(() => parseInputFile('{"password": "hunter2" "x": 1}', 'p.json')).toThrow(
      /^p\.json:1:\d+: not valid JSON/,
    );
    try {
      parseInputFile('{"password": "hunter2" "x": 1}', 'p.json');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
