import { readFileSync } from 'node:fs';
/**
 * What the test kit records beyond inputs: the dependencies the engine is told about, the program
 * line that constructed each resource, and image resources' digest outputs.
 */
import * as docker from '@pulumi/docker';
import { HardenedContainer } from '../src/index.js';
import { findingsFor, runProgramUnderMocks } from '../src/testkit/mocks.js';

const DIGEST = /^registry\.example\/app@sha256:[0-9a-f]{64}$/;

describe('runProgramUnderMocks: dependencies, call sites and digest outputs', () => {
  it('gives RemoteImage.repoDigest a digest-form stand-in, and records where the image came from', async () => {
    const res = await runProgramUnderMocks(() => {
      const image = new docker.RemoteImage('app-image', { name: 'registry.example/app:1.2' });
      new docker.Container('web', { image: image.repoDigest });
    });
    const web = res.find((r) => r.name === 'web')!;
    expect(web.inputs.image).toMatch(DIGEST);
    expect(web.propertyDependencies?.image).toEqual([res[0]!.urn]);
    expect(findingsFor(res, { only: ['image-digest-pinned'] }).findings).toEqual([]);
  });

  it('judges an image rewritten from the digest by what the program wrote', async () => {
    const res = await runProgramUnderMocks(() => {
      const image = new docker.RemoteImage('app-image', { name: 'registry.example/app:1.2' });
      new docker.Container('web', { image: image.repoDigest.apply((d) => `${d.split('@')[0]}:latest`) });
    });
    expect(findingsFor(res, { only: ['image-digest-pinned'] }).findings.map((f) => f.status)).toEqual([
      'fail',
    ]);
  });

  it('passes a preview image taken from repoDigest, which is not known yet', async () => {
    const res = await runProgramUnderMocks(
      () => {
        const image = new docker.RemoteImage('app-image', { name: 'registry.example/app:1.2' });
        new docker.Container('web', { image: image.repoDigest });
      },
      { preview: true },
    );
    expect(res.find((r) => r.name === 'web')!.inputs.image).toMatchObject({ __pulumiUnknown: true });
    expect(findingsFor(res, { only: ['image-digest-pinned'] }).findings).toEqual([]);
  });

  it.each([false, true])(
    'HardenedContainer accepts image: remoteImage.repoDigest (preview: %s)',
    async (preview) => {
      const res = await runProgramUnderMocks(
        () => {
          const image = new docker.RemoteImage('app-image', { name: 'registry.example/app:1.2' });
          new HardenedContainer('web', { image: image.repoDigest, healthcheck: { test: ['/app/healthz'] } });
        },
        { preview },
      );
      expect(findingsFor(res, { only: ['image-digest-pinned'] }).findings).toEqual([]);
    },
  );

  it('records dependsOn between containers, which counts as a declared link', async () => {
    const res = await runProgramUnderMocks(() => {
      const net = new docker.Network('net', { name: 'shared', internal: true });
      const db = new docker.Container('db', { image: 'db', networksAdvanced: [{ name: net.name }] });
      new docker.Container(
        'api',
        { image: 'api', networksAdvanced: [{ name: net.name }] },
        { dependsOn: [db] },
      );
    });
    const api = res.find((r) => r.name === 'api')!;
    expect(api.dependencies).toContain(res.find((r) => r.name === 'db')!.urn);
    expect(findingsFor(res, { only: ['shared-network-needs-link'] }).findings).toEqual([]);
  });

  it("records the program line that constructed a resource, skipping the components' own frames", async () => {
    const args = { image: `app@sha256:${'a'.repeat(64)}`, healthcheck: { test: ['/app/healthz'] } };
    const res = await runProgramUnderMocks(() => {
      new docker.Network('net', { internal: true }); // line A
      new HardenedContainer('web', args); // line B
    });
    const lines = readFileSync(__filename, 'utf8').split('\n');
    const lineOf = (marker: string) => lines.findIndex((l) => l.includes(`// ${marker}`)) + 1;
    const net = res.find((r) => r.name === 'net')!;
    expect(net.location).toMatchObject({ file: __filename, line: lineOf('line A') });
    const inner = res.find((r) => r.type === 'docker:index/container:Container')!;
    expect(inner.location).toMatchObject({ file: __filename, line: lineOf('line B') });
    const f = findingsFor(res).findings.find((x) => x.resource.type === 'docker:index/network:Network');
    expect(f?.location).toMatchObject({ file: __filename, line: lineOf('line A') });
  });
});
