import * as path from 'node:path';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { findingsFor, runProgramUnderMocks } from '../src/testkit/mocks.js';

const SIG = pulumi.runtime.specialSigKey;
const SECRET = pulumi.runtime.specialSecretSig;
const program = path.join(__dirname, 'fixtures', 'program.js');

describe('runProgramUnderMocks', () => {
  it('returns every resource with type, name, URN, parent and resolved inputs', async () => {
    const res = await runProgramUnderMocks(() => {
      const parent = new pulumi.ComponentResource('my:index:Group', 'group');
      const net = new docker.Network('net', { internal: true }, { parent });
      new docker.Container('c', { image: 'x', networksAdvanced: [{ name: net.name }] }, { parent });
    });
    expect(res.map((r) => [r.type, r.name, r.custom])).toEqual([
      ['my:index:Group', 'group', false],
      ['docker:index/network:Network', 'net', true],
      ['docker:index/container:Container', 'c', true],
    ]);
    const group = res[0]!;
    expect(group.urn).toBe('urn:pulumi:stack::project::my:index:Group::group');
    expect(res[2]!.parent).toBe(group.urn);
    expect(res[2]!.urn).toBe('urn:pulumi:stack::project::my:index:Group$docker:index/container:Container::c');
    // The network's mocked name output flows into the container's inputs.
    expect(res[2]!.inputs.networksAdvanced).toEqual([{ name: 'net-mock' }]);
  });

  it('loads a program by module path after the mocks are set, with config, and can run it again', async () => {
    const opts = { config: { image: 'web@sha256:abc', token: 't0k3n' }, secretConfigKeys: ['token'] };
    const first = await runProgramUnderMocks(program, opts);
    // Under jest a second run of the same module needs a fresh module registry (see the module docs).
    const second = await runProgramUnderMocks(() => jest.isolateModules(() => require(program)), {
      ...opts,
      stack: 'prod',
    });
    for (const res of [first, second]) {
      const web = res.find((r) => r.name === 'web')!;
      expect(web.inputs.image).toBe('web@sha256:abc');
      // Secrets arrive as Pulumi's wire wrapper; a list holding one is wrapped as a whole.
      expect(web.inputs.envs).toEqual({ [SIG]: SECRET, value: ['TOKEN=t0k3n'] });
    }
    expect(second[0]!.urn).toMatch(/^urn:pulumi:prod::project::/);
  });

  it('keeps unknowns as Pulumi unknown objects in a preview', async () => {
    const res = await runProgramUnderMocks(
      () => {
        const net = new docker.Network('net', {});
        new docker.Container('c', { image: 'x', networksAdvanced: [{ name: net.name }], hostname: net.id });
      },
      { preview: true },
    );
    const c = res.find((r) => r.name === 'c')!;
    expect(c.inputs.hostname).toMatchObject({ __pulumiUnknown: true });
    expect(c.inputs.networksAdvanced).toEqual([{ name: expect.objectContaining({ __pulumiUnknown: true }) }]);
  });

  it('rejects with the program error', async () => {
    await expect(
      runProgramUnderMocks(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // The runtime still works afterwards.
    await expect(runProgramUnderMocks(() => new docker.Network('n', {}))).resolves.toHaveLength(1);
  });

  it('feeds registered resources through core with findingsFor', async () => {
    const res = await runProgramUnderMocks(
      () => new docker.Container('raw', { image: 'nginx', privileged: true }),
    );
    const report = findingsFor(res);
    const privileged = report.findings.find((f) => f.ruleId === 'no-privileged');
    expect(privileged).toMatchObject({ status: 'fail', path: 'privileged', resource: { name: 'raw' } });
  });
});
