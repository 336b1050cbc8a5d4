import Dockerode from 'dockerode';
import {
  CONTAINER_TYPE,
  checkEngineSync,
  type DeployableResource,
  deployToEngine,
  NETWORK_TYPE,
  RUN_LABEL,
  sweepStale,
  TestkitInputError,
  withDeployment,
} from '../src/testkit/engine.js';

// Engine tests never skip in CI; elsewhere they skip when scripts/engine-gate.mjs said so (in one
// line), or loudly when no engine answers.
const gated = process.env.BULKHEAD_ENGINE === 'skip';
const engine = gated ? { ok: false as const, reason: 'skipped by the engine gate' } : checkEngineSync();
if (!engine.ok && !gated && process.env.CI === 'true')
  throw new Error(`${engine.reason}; CI must run the engine tests`);
if (!engine.ok && !gated) console.warn(`SKIPPING testkit engine tests: ${engine.reason}`);
const describeEngine = engine.ok ? describe : describe.skip;

const IMAGE = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
const docker = new Dockerode();

const container = (name: string, inputs: Record<string, unknown>): DeployableResource => ({
  type: CONTAINER_TYPE,
  name,
  urn: `urn:pulumi:t::p::${CONTAINER_TYPE}::${name}`,
  inputs: { image: IMAGE, command: ['sleep', '300'], ...inputs },
});
const network = (name: string, inputs: Record<string, unknown> = {}): DeployableResource => ({
  type: NETWORK_TYPE,
  name,
  urn: `urn:pulumi:t::p::${NETWORK_TYPE}::${name}`,
  inputs,
});

async function countLabelled(runId: string): Promise<number> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] });
  const [cs, ns] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return cs.length + ns.length;
}

describeEngine('deployToEngine on a real Docker engine', () => {
  jest.setTimeout(60_000);

  it('deploys a network and two containers, resolves peers by resource name, execs with split streams, and tears everything down', async () => {
    const d = await deployToEngine(
      [
        network('net', { internal: true, labels: [{ label: 'purpose', value: 'kit-test' }] }),
        container('server', {
          command: ['sh', '-c', 'echo started; echo oops >&2; exec nc -ll -p 8080 -e echo pong'],
          networksAdvanced: [{ name: 'net' }],
          memory: 32,
          user: '10001',
          readOnly: true,
          tmpfs: { '/tmp': 'rw,noexec,nosuid,size=1m' },
          labels: [{ label: 'role', value: 'server' }],
        }),
        container('client', { networksAdvanced: [{ name: 'net' }], capabilities: { drops: ['ALL'] } }),
        { type: 'random:index/randomId:RandomId', name: 'ignored', urn: 'urn:r', inputs: {} },
      ],
      { pull: false },
    );
    try {
      expect(Object.keys(d.containers).sort()).toEqual(['client', 'server']);
      expect(Object.keys(d.networks)).toEqual(['net']);

      const info = await d.inspect('server');
      expect(info.HostConfig.Memory).toBe(32 * 1024 * 1024);
      expect(info.Config.User).toBe('10001');
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect(info.Config.Labels).toMatchObject({ role: 'server', [RUN_LABEL]: d.runId });
      expect(Object.values(info.NetworkSettings.Networks).map((n) => n.NetworkID)).toEqual([d.networks.net]);

      const echo = await d.exec('client', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
      expect(echo).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });

      const peer = await d.exec('client', ['sh', '-c', 'echo ping | nc -w 2 server 8080']);
      expect(peer.stdout).toBe('pong\n');

      const logs = await d.logs('server');
      expect(logs).toEqual({ stdout: 'started\n', stderr: 'oops\n' });
      expect((await docker.getNetwork(d.networks.net as string).inspect()).Internal).toBe(true);
    } finally {
      await d.teardown();
    }
    expect(await countLabelled(d.runId)).toBe(0);
    await expect(d.teardown()).resolves.toBeUndefined();
  });

  it('bounds exec in time and reports the command that hung', async () => {
    await withDeployment(
      [container('c', {})],
      async (d) => {
        const started = Date.now();
        await expect(d.exec('c', ['sleep', '30'], { timeoutMs: 500 })).rejects.toThrow(
          'exec in "c" did not finish within 500 ms: sleep 30',
        );
        expect(Date.now() - started).toBeLessThan(5000);
      },
      { pull: false },
    );
  });

  it('removes what it created when creation fails halfway (second container asks for an unknown runtime)', async () => {
    const prefix = `bhk-half-${process.pid}`;
    await expect(
      deployToEngine(
        [
          network('ok'),
          container('first', { networksAdvanced: [{ name: 'ok' }] }),
          container('second', { runtime: 'no-such-runtime' }),
        ],
        { prefix, pull: false },
      ),
    ).rejects.toThrow(/no-such-runtime/);
    const left = await docker.listContainers({ all: true, filters: JSON.stringify({ name: [prefix] }) });
    const nets = await docker.listNetworks({ filters: JSON.stringify({ name: [prefix] }) });
    expect(left.length + nets.length).toBe(0);
  });

  it('names a network reference that exists nowhere, before creating anything', async () => {
    const prefix = `bhk-nowhere-${process.pid}`;
    await expect(
      deployToEngine(
        [
          network('ok'),
          container('first', { networksAdvanced: [{ name: 'ok' }] }),
          container('second', {
            networksAdvanced: [{ name: 'no-such-network-anywhere' }],
          }),
        ],
        { prefix, pull: false },
      ),
    ).rejects.toThrow(
      'container "second": argument `networksAdvanced/networkMode` refers to network "no-such-network-anywhere", ' +
        'which is neither among the deployed resources nor on the engine.',
    );
    expect((await docker.listNetworks({ filters: JSON.stringify({ name: [prefix] }) })).length).toBe(0);
  });

  it('refuses a container that exits immediately unless mustRun is false, and cleans up', async () => {
    const prefix = `bhk-exit-${process.pid}`;
    // If the kit wrongly accepted the container, still remove it before failing.
    const attempt = deployToEngine([container('quick', { command: ['true'] })], { prefix, pull: false });
    await expect(attempt.then((d) => d.teardown())).rejects.toThrow(
      'container "quick" is not running after start (status exited, exit code 0)',
    );
    expect(
      (await docker.listContainers({ all: true, filters: JSON.stringify({ name: [prefix] }) })).length,
    ).toBe(0);
    await withDeployment(
      [container('quick', { command: ['sh', '-c', 'exit 7'], mustRun: false })],
      async (d) => expect((await d.waitStopped('quick', 10_000)).State.ExitCode).toBe(7),
      { pull: false },
    );
  });

  it('tears down in withDeployment even when the test body throws', async () => {
    let runId = '';
    await expect(
      withDeployment(
        [container('c', {})],
        async (d) => {
          runId = d.runId;
          throw new Error('body failed');
        },
        { pull: false },
      ),
    ).rejects.toThrow('body failed');
    expect(await countLabelled(runId)).toBe(0);
  });

  it('fails before touching the engine on an unknown value', async () => {
    const prefix = `bhk-unknown-${process.pid}`;
    await expect(
      deployToEngine([network('n'), container('c', { memory: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' })], {
        prefix,
      }),
    ).rejects.toBeInstanceOf(TestkitInputError);
    expect((await docker.listNetworks({ filters: JSON.stringify({ name: [prefix] }) })).length).toBe(0);
  });

  it('resolves name@sha256:<local image id> for an imported image that has no repo digest', async () => {
    const id = (await docker.getImage(IMAGE).inspect()).Id;
    await withDeployment(
      [container('pinned', { image: `${IMAGE.replace(/:[^/:]+$/, '')}@${id}` })],
      async (d) => expect((await d.inspect('pinned')).Image).toBe(id),
      { pull: false },
    );
  });

  it('reports a missing image clearly when pull is off', async () => {
    await expect(
      deployToEngine([container('c', { image: 'bulkhead-test/not-here:0' })], { pull: false }),
    ).rejects.toThrow('image "bulkhead-test/not-here:0" is not on the engine and pull is off');
  });

  it('sweepStale removes what a crashed run left behind, by run label', async () => {
    const d = await deployToEngine([network('n'), container('c', { networksAdvanced: [{ name: 'n' }] })], {
      pull: false,
    });
    // Simulate a crash: never call teardown.
    expect(await countLabelled(d.runId)).toBe(2);
    expect(await sweepStale(`${RUN_LABEL}=${d.runId}`)).toEqual({ containers: 1, networks: 1 });
    expect(await countLabelled(d.runId)).toBe(0);
  });
});
