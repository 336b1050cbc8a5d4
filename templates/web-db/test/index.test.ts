import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findingsFor, type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/testkit';
import { LABELS } from '@bulkhead/core';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';

const CONTAINER = 'docker:index/container:Container';
const NETWORK = 'docker:index/network:Network';
const PASSWORD = 'test-only-password-0123456789';

let resources: RegisteredResource[];
let program: { defaults: Record<string, unknown> };

beforeAll(async () => {
  // The mocks are in place before the program is required.
  resources = await runProgramUnderMocks(
    () => {
      program = require('../index');
    },
    { project: 'web-db', config: { dbPassword: PASSWORD }, secretConfigKeys: ['dbPassword'] },
  );
});

type Inputs = Record<string, unknown>;
const containers = () => resources.filter((r) => r.type === CONTAINER);
const container = (service: string): Inputs => {
  const found = containers().find((r) => r.name.endsWith(`-${service}`));
  if (!found) throw new Error(`no container for ${service}`);
  return found.inputs;
};
const networks = () => resources.filter((r) => r.type === NETWORK);
const labels = (inputs: Inputs): Record<string, string> =>
  Object.fromEntries(
    ((inputs.labels ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]),
  );
const networkNames = (inputs: Inputs): string[] =>
  ((inputs.networksAdvanced ?? []) as { name: string }[]).map((n) => n.name);

describe('web-db', () => {
  it('has no findings under the restricted profile other than written exemptions', () => {
    const report = findingsFor(resources, { profile: 'restricted' });
    expect(report.summary.containers).toBe(2);
    expect(report.findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });

  it.each(['web', 'db'])(
    'runs %s as a numeric non-root user with every capability dropped and a read-only root',
    (svc) => {
      const c = container(svc);
      expect(c.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect((c.capabilities as { drops: string[] }).drops).toEqual(['ALL']);
      expect(c.readOnly).toBe(true);
      expect(c.securityOpts).toEqual(expect.arrayContaining(['no-new-privileges:true']));
    },
  );

  it('puts web and db alone on one internal network for the link web->db:5432', () => {
    const linkNets = networks().filter((n) => labels(n.inputs)[LABELS.link] !== undefined);
    expect(linkNets.map((n) => labels(n.inputs)[LABELS.link])).toEqual(['web->db:5432']);
    const [net] = linkNets;
    expect(net!.inputs.internal).toBe(true);
    const onIt = containers().filter((c) => networkNames(c.inputs).includes(net!.inputs.name as string));
    expect(onIt.map((c) => c.name).sort()).toEqual(['web-db-db', 'web-db-web']);
  });

  it('publishes only the web, only on 127.0.0.1, and keeps the database off every other network', () => {
    expect(container('web').ports).toEqual([
      expect.objectContaining({ internal: 8080, external: 8080, ip: '127.0.0.1' }),
    ]);
    expect(container('db').ports ?? []).toEqual([]);
    expect(networkNames(container('db'))).toHaveLength(1);
  });

  it('passes the database password to both containers only inside a Pulumi secret', () => {
    for (const svc of ['web', 'db']) {
      const envs = container(svc).envs as Record<string, unknown>;
      expect(envs[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
      expect(JSON.stringify(envs.value)).toContain(PASSWORD);
    }
  });

  it('pins both images by digest and keeps the code defaults equal to the Pulumi.yaml defaults', () => {
    expect(container('web').image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container('db').image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const project = parse(readFileSync(path.join(__dirname, '..', 'Pulumi.yaml'), 'utf8')) as {
      config: Record<string, { default?: unknown }>;
    };
    const yamlDefaults = Object.fromEntries(
      Object.entries(project.config)
        .filter(([, v]) => v.default !== undefined)
        .map(([k, v]) => [k, v.default]),
    );
    expect(program.defaults).toEqual(yamlDefaults);
  });
});

describe('web-db without stack secrets (as `bulkhead validate` runs it)', () => {
  it('still builds, keeps the placeholder password secret and has no non-exempt findings', async () => {
    // A fresh copy of the program: the first run above already loaded it.
    const offline = await runProgramUnderMocks(() => jest.isolateModules(() => require('../index')), {
      project: 'web-db',
    });
    const db = offline.find((r) => r.type === CONTAINER && r.name.endsWith('-db'))!;
    expect((db.inputs.envs as Record<string, unknown>)[pulumi.runtime.specialSigKey]).toBe(
      pulumi.runtime.specialSecretSig,
    );
    expect(findingsFor(offline).findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });
});
