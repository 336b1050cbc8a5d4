import { findingsFor, type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/testkit';
import { catalog, type Finding } from '@bulkhead/core';

let resources: RegisteredResource[];
let findings: Finding[];

beforeAll(async () => {
  // Mocks are set before the program is loaded: runProgramUnderMocks requires it inside.
  resources = await runProgramUnderMocks(() => require('../index'), { project: 'insecure-stack' });
  findings = findingsFor(resources).findings;
});

/** Failed findings on one resource, at one source path. */
const failing = (resource: string, pathPrefix: string): Finding[] =>
  findings.filter(
    (f) => f.status === 'fail' && f.resource.name === resource && f.path.startsWith(pathPrefix),
  );

describe('insecure-stack shows what raw @pulumi/docker defaults cost', () => {
  it('registers four raw containers and one raw network, no Bulkhead component', () => {
    const types = resources.map((r) => r.type).sort();
    expect(types).toEqual([
      'docker:index/container:Container',
      'docker:index/container:Container',
      'docker:index/container:Container',
      'docker:index/container:Container',
      'docker:index/network:Network',
    ]);
  });

  it('fails critical rules for the Docker socket mount, host namespaces and seccomp off on the agent', () => {
    for (const path of ['volumes[0]', 'networkMode', 'pidMode', 'securityOpts[0]']) {
      const hits = failing('agent', path);
      expect({ path, severities: hits.map((f) => f.severity) }).toEqual({
        path,
        severities: expect.arrayContaining(['critical']),
      });
    }
  });

  it('fails the root user, 0.0.0.0 port, secret-in-env and unpinned image rules on the web container', () => {
    const failingPaths = ['user', 'ports[0]', 'envs[1]', 'image'].filter(
      (path) => failing('web', path).length > 0,
    );
    expect(failingPaths).toEqual(['user', 'ports[0]', 'envs[1]', 'image']);
  });

  it('fires a wide spread of rules, each one from the catalog with a Pulumi fix to show', () => {
    const fired = new Set(findings.filter((f) => f.status === 'fail').map((f) => f.ruleId));
    expect(fired.size).toBeGreaterThanOrEqual(Math.min(15, catalog.rules.length - 2));
    for (const id of fired) expect(catalog.get(id)?.remediation.pulumi).toEqual(expect.any(String));
    const bySeverity = new Set(findings.filter((f) => f.status === 'fail').map((f) => f.severity));
    expect([...bySeverity]).toEqual(expect.arrayContaining(['critical', 'high', 'medium']));
  });

  it('never puts the secret values from the environment into a finding', () => {
    const text = JSON.stringify(findings);
    expect(text).not.toContain('changeme-insecure-demo');
    expect(text).not.toContain('sk_live_insecure_demo_key');
  });
});
