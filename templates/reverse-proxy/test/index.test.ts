import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findingsFor, type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/testkit';
import { LABELS } from '@bulkhead/core';
import { parse } from 'yaml';

const CONTAINER = 'docker:index/container:Container';
const NETWORK = 'docker:index/network:Network';

let resources: RegisteredResource[];
let program: { defaults: Record<string, unknown> };

beforeAll(async () => {
  // The mocks are in place before the program is required.
  resources = await runProgramUnderMocks(
    () => {
      program = require('../index');
    },
    { project: 'reverse-proxy' },
  );
});

type Inputs = Record<string, unknown>;
const containers = () => resources.filter((r) => r.type === CONTAINER);
const container = (service: string): Inputs => {
  const found = containers().find((r) => r.name.endsWith(`-${service}`));
  if (!found) throw new Error(`no container for ${service}`);
  return found.inputs;
};
const labels = (inputs: Inputs): Record<string, string> =>
  Object.fromEntries(
    ((inputs.labels ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]),
  );
const networkNames = (inputs: Inputs): string[] =>
  ((inputs.networksAdvanced ?? []) as { name: string }[]).map((n) => n.name);
const linkNetwork = (link: string): Inputs => {
  const found = resources.find((r) => r.type === NETWORK && labels(r.inputs)[LABELS.link] === link);
  if (!found) throw new Error(`no network for ${link}`);
  return found.inputs;
};

describe('reverse-proxy', () => {
  it('has no findings under the restricted profile other than written exemptions', () => {
    const report = findingsFor(resources, { profile: 'restricted' });
    expect(report.summary.containers).toBe(3);
    expect(report.findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });

  it('publishes the proxy alone, on 127.0.0.1, and marks it the ingress', () => {
    expect(container('proxy').ports).toEqual([
      expect.objectContaining({ internal: 8080, external: 8080, ip: '127.0.0.1' }),
    ]);
    expect(labels(container('proxy'))[LABELS.role]).toBe('ingress');
    for (const app of ['app-1', 'app-2']) {
      expect(container(app).ports ?? []).toEqual([]);
      expect(labels(container(app))[LABELS.role]).toBeUndefined();
    }
  });

  it.each(['app-1', 'app-2'])(
    'reaches %s over its own internal network that only the proxy and it join',
    (app) => {
      const net = linkNetwork(`proxy->${app}:8080`);
      expect(net.internal).toBe(true);
      const onIt = containers().filter((c) => networkNames(c.inputs).includes(net.name as string));
      expect(onIt.map((c) => c.name).sort()).toEqual([`reverse-proxy-${app}`, 'reverse-proxy-proxy']);
      expect(networkNames(container(app))).toEqual([net.name]);
    },
  );

  it.each(['proxy', 'app-1', 'app-2'])(
    'runs %s as a numeric non-root user with every capability dropped and a read-only root',
    (svc) => {
      const c = container(svc);
      expect(c.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect((c.capabilities as { drops: string[]; adds?: string[] }).drops).toEqual(['ALL']);
      expect((c.capabilities as { adds?: string[] }).adds ?? []).toEqual([]);
      expect(c.readOnly).toBe(true);
    },
  );

  it('gives each app replica its own uid', () => {
    expect(container('app-1').user).not.toEqual(container('app-2').user);
  });

  it('pins every image by digest and keeps the code defaults equal to the Pulumi.yaml defaults', () => {
    for (const c of containers()) expect(c.inputs.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const project = parse(readFileSync(path.join(__dirname, '..', 'Pulumi.yaml'), 'utf8')) as {
      config: Record<string, { default: unknown }>;
    };
    const yamlDefaults = Object.fromEntries(Object.entries(project.config).map(([k, v]) => [k, v.default]));
    expect(program.defaults).toEqual(yamlDefaults);
  });
});
