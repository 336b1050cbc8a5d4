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
    { project: 'gvisor-worker' },
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

describe('gvisor-worker', () => {
  it('has no findings under the restricted profile other than written exemptions', () => {
    const report = findingsFor(resources, { profile: 'restricted' });
    expect(report.summary.containers).toBe(2);
    expect(report.findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });

  it('runs the worker under the gVisor runtime and the queue under runc', () => {
    expect(container('worker').runtime).toBe('runsc');
    expect(container('queue').runtime ?? 'runc').toBe('runc');
  });

  it.each(['worker', 'queue'])(
    'runs %s as a numeric non-root user with every capability dropped and a read-only root',
    (svc) => {
      const c = container(svc);
      expect(c.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect((c.capabilities as { drops: string[] }).drops).toEqual(['ALL']);
      expect(c.readOnly).toBe(true);
      expect(c.securityOpts).toEqual(expect.arrayContaining(['no-new-privileges:true']));
    },
  );

  it('links worker to queue over one internal network that only they join, and publishes nothing', () => {
    const nets = resources.filter((r) => r.type === NETWORK);
    expect(nets.map((n) => labels(n.inputs)[LABELS.link])).toEqual(['worker->queue:6379']);
    expect(nets[0]!.inputs.internal).toBe(true);
    for (const svc of ['worker', 'queue']) {
      expect(networkNames(container(svc))).toEqual([nets[0]!.inputs.name]);
      expect(container(svc).ports ?? []).toEqual([]);
    }
    expect(labels(container('worker'))[LABELS.links]).toBe('queue:6379');
  });

  it('pins both images by digest and keeps the code defaults equal to the Pulumi.yaml defaults', () => {
    expect(container('worker').image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container('queue').image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const project = parse(readFileSync(path.join(__dirname, '..', 'Pulumi.yaml'), 'utf8')) as {
      config: Record<string, { default: unknown }>;
    };
    const yamlDefaults = Object.fromEntries(Object.entries(project.config).map(([k, v]) => [k, v.default]));
    expect(program.defaults).toEqual(yamlDefaults);
  });
});
