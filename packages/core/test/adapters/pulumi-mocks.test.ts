/**
 * Feeds the inputs a real `docker.Container` sends to the engine under `pulumi.runtime.setMocks`
 * in preview mode into the adapter: unknown outputs arrive as `{__pulumiUnknown: true}` objects,
 * secrets as `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`
 * wrappers around the *whole* top-level input, and `undefined` list items as `null`.
 */
import * as pulumi from '@pulumi/pulumi';
import { fromPulumiContainerArgs, PULUMI_TYPES } from '../../src/adapters/index.js';
import { evaluate } from '../../src/index.js';
import { isSecret, isUnknown, reveal } from '../../src/model/value.js';

interface Captured {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const captured: Captured[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      captured.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: {} };
    },
    call(args) {
      return args.inputs;
    },
  },
  'proj',
  'dev',
  true,
);

// Import after setMocks, as Pulumi requires.
// Loaded with require so that it runs after setMocks (imports are hoisted).
const docker = require('@pulumi/docker') as typeof import('@pulumi/docker');

async function settle(): Promise<void> {
  // Mocks resolve asynchronously; wait until every registration went through.
  for (let i = 0; i < 50 && captured.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 50));
}

describe('inputs of a real docker.Container under setMocks (preview)', () => {
  let inputs: Record<string, unknown>;

  beforeAll(async () => {
    const image = new docker.RemoteImage('img', { name: 'registry.example/web:1' });
    const net = new docker.Network('net', { internal: true });
    new docker.Container('web', {
      image: image.repoDigest, // computed: unknown in preview
      user: '10001:10001',
      capabilities: { drops: ['ALL'], adds: [image.repoDigest.apply(() => 'NET_BIND_SERVICE')] },
      securityOpts: ['no-new-privileges:true'],
      envs: ['PORT=8080', pulumi.secret('DB_PASSWORD=hunter2')],
      labels: [{ label: 'dev.bulkhead.role', value: 'ingress' }],
      memory: 256,
      networkMode: image.repoDigest.apply(() => 'host'),
      networksAdvanced: [{ name: net.name }],
      ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }],
      volumes: [
        undefined as unknown as { containerPath: string },
        { hostPath: '/srv', containerPath: '/data' },
      ],
    });
    await settle();
    const c = captured.find((r) => r.type === PULUMI_TYPES.container);
    if (!c) throw new Error('the container was not registered with the mock monitor');
    inputs = c.inputs;
  });

  it('sees computed outputs as {__pulumiUnknown: true} objects and maps them to UNKNOWN', () => {
    expect(inputs.image).toMatchObject({ __pulumiUnknown: true });
    const spec = fromPulumiContainerArgs(inputs, { name: 'web' });
    expect(isUnknown(spec.image)).toBe(true);
    expect(Array.isArray(spec.capAdd) && isUnknown(spec.capAdd[0])).toBe(true);
    expect(spec.capDrop).toEqual(['ALL']);
    expect(Array.isArray(spec.networks) && isUnknown(spec.networks[0]?.name)).toBe(true);
  });

  it('sees a secret list item as a secret wrapper around the whole list and keeps every value Secret', () => {
    expect(inputs.envs).toMatchObject({
      '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
    });
    const spec = fromPulumiContainerArgs(inputs, { name: 'web' });
    if (!Array.isArray(spec.env)) throw new Error('env should be a list');
    expect(spec.env.map((e) => e.name)).toEqual(['PORT', 'DB_PASSWORD']);
    expect(spec.env.every((e) => isSecret(e.value))).toBe(true);
    const pw = spec.env[1]?.value;
    expect(isSecret(pw) && reveal(pw)).toBe('hunter2');
    expect(JSON.stringify(spec)).not.toContain('hunter2');
  });

  it('sees an undefined list item as null and maps it to an all-unknown mount', () => {
    expect((inputs.volumes as unknown[])[0]).toBeNull();
    const spec = fromPulumiContainerArgs(inputs, { name: 'web' });
    if (!Array.isArray(spec.mounts)) throw new Error('mounts should be a list');
    expect(isUnknown(spec.mounts[0]?.source)).toBe(true);
    expect(spec.mounts[1]).toEqual({ type: 'bind', source: '/srv', target: '/data', origin: 'volumes[1]' });
  });

  it('converts the known inputs: MB to bytes, ingress label, port interface', () => {
    const spec = fromPulumiContainerArgs(inputs, { name: 'web' });
    expect(spec.memory).toBe(256 * 1024 * 1024);
    expect(spec.ingress).toBe(true);
    expect(spec.ports).toEqual([
      { containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', origin: 'ports[0]' },
    ]);
    expect(spec.source.cannotExpress?.has('pidsLimit')).toBe(true);
  });

  it('lets evaluate report unknown, never fail, for a network mode that is not known yet', () => {
    const spec = fromPulumiContainerArgs(inputs, { name: 'web' });
    expect(isUnknown(spec.networkMode)).toBe(true);
    const report = evaluate(
      { containers: [spec], networks: [] },
      { only: ['no-host-network', 'no-new-privileges'] },
    );
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'no-host-network', status: 'unknown', path: 'networkMode' }),
    ]);
  });
});
