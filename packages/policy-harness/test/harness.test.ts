import * as path from 'node:path';
import {
  isSecretValue,
  PolicyConfigError,
  type PolicyPackHandle,
  PolicyPackStartError,
  secret,
  startPolicyPack,
  unknown,
  withPolicyPack,
} from '../src/index.js';

const PROBE = path.join(__dirname, 'fixtures', 'probe-pack');
const BROKEN = path.join(__dirname, 'fixtures', 'broken-pack');
const CONTAINER = 'docker:index/container:Container';

jest.setTimeout(120_000);

/** The probe policy reports what policy code saw as JSON after its description line. */
function seen(message: string): Record<string, unknown> {
  return JSON.parse(message.slice(message.indexOf('\n') + 1)) as Record<string, unknown>;
}

describe('a started policy pack (probe fixture)', () => {
  let pack: PolicyPackHandle;
  beforeAll(async () => {
    pack = await startPolicyPack(PROBE);
  });
  afterAll(async () => {
    await pack?.close();
  });
  afterEach(async () => {
    await pack.configure(undefined);
  });

  it('answers GetAnalyzerInfo with every policy, its metadata and config schema, sorted by name', async () => {
    const info = await pack.info();
    expect(info.name).toBe('harness-probe');
    expect(info.version).toBe('1.2.3');
    expect(info.supportsConfig).toBe(true);
    expect(info.policies.map((p) => [p.name, p.type, p.enforcementLevel])).toEqual([
      ['probe', 'resource', 'advisory'],
      ['probe-remediate', 'resource', 'advisory'],
      ['probe-stack', 'stack', 'advisory'],
    ]);
    const probe = info.policies[0]!;
    expect(probe).toMatchObject({
      severity: 'medium',
      tags: ['fixture'],
      remediationSteps: 'Nothing to fix.',
      url: 'https://example.invalid/probe',
      framework: { name: 'Fixture', version: '1', reference: 'F-1', specification: 'Fixture spec' },
      configSchema: { properties: { greeting: { type: 'string', default: 'hi' } }, required: [] },
    });
  });

  it('runs the start-up sequence like the engine: Handshake is optional, ConfigureStack is served', () => {
    // @pulumi/policy 1.x does not implement Handshake; the engine falls back, and so do we.
    expect(pack.protocol).toEqual({ handshake: false, configureStack: true });
    expect(pack.startupMs).toBeGreaterThan(0);
  });

  it('delivers secrets to policy code unwrapped, as the engine does for Analyze', async () => {
    const [v] = await pack.analyze({
      type: CONTAINER,
      name: 'web',
      properties: { password: secret('hunter2'), nested: { token: secret(42) }, list: [secret('a')] },
    });
    expect(seen(v!.message).props).toEqual({ password: 'hunter2', nested: { token: 42 }, list: ['a'] });
  });

  it('makes reading an unknown value throw UnknownValueError in policy code, at any depth', async () => {
    const [v] = await pack.analyze({
      type: CONTAINER,
      name: 'web',
      properties: { image: unknown(), ports: [{ internal: 80, ip: unknown() }], labels: [unknown()] },
    });
    const props = seen(v!.message).props as Record<string, unknown>;
    expect(props.image).toEqual({
      $threw: 'UnknownValueError',
      message: "string value at .image can't be known during preview",
    });
    expect(props.ports).toEqual([
      {
        internal: 80,
        ip: {
          $threw: 'UnknownValueError',
          message: "string value at .ports.0.ip can't be known during preview",
        },
      },
    ]);
    expect(props.labels).toEqual([
      { $threw: 'UnknownValueError', message: "string value at .labels.0 can't be known during preview" },
    ]);
  });

  it('sends name, URN, stack-root parent, options and provider the way the engine builds them', async () => {
    const [v] = await pack.analyze({
      type: CONTAINER,
      name: 'web',
      options: { protect: true },
      provider: { type: 'pulumi:providers:docker', name: 'default' },
      properties: {},
    });
    expect(seen(v!.message)).toMatchObject({
      type: CONTAINER,
      name: 'web',
      urn: `urn:pulumi:dev::bulkhead-harness::${CONTAINER}::web`,
      parent: 'urn:pulumi:dev::bulkhead-harness::pulumi:pulumi:Stack::bulkhead-harness-dev',
      protect: true,
      provider: 'default',
    });
  });

  it('chains the parent type into a child URN, as Pulumi does for component children', async () => {
    const parent = 'urn:pulumi:dev::bulkhead-harness::bulkhead:docker:HardenedContainer::api';
    const [v] = await pack.analyze({ type: CONTAINER, name: 'api', parent, properties: {} });
    expect(seen(v!.message)).toMatchObject({
      urn: `urn:pulumi:dev::bulkhead-harness::bulkhead:docker:HardenedContainer$${CONTAINER}::api`,
      parent,
    });
  });

  it('drops internal __ keys for Analyze, as the engine does', async () => {
    const [v] = await pack.analyze({
      type: CONTAINER,
      name: 'web',
      properties: { __defaults: [], image: 'x' },
    });
    expect(seen(v!.message).props).toEqual({ image: 'x' });
  });

  it('passes schema defaults as policy config, and given config over them', async () => {
    const [before] = await pack.analyze({ type: CONTAINER, name: 'a', properties: {} });
    expect(seen(before!.message).config).toEqual({ greeting: 'hi' });
    await pack.configure({ probe: { greeting: 'hello' } });
    const [after] = await pack.analyze({ type: CONTAINER, name: 'a', properties: {} });
    expect(seen(after!.message).config).toEqual({ greeting: 'hello' });
  });

  it('applies enforcement levels from config: per policy over "all", and disabled silences', async () => {
    await pack.configure({ all: 'disabled', probe: 'mandatory' });
    const violations = await pack.analyze({ type: CONTAINER, name: 'a', properties: {} });
    expect(violations.map((v) => [v.policyName, v.enforcementLevel, v.severity])).toEqual([
      ['probe', 'mandatory', 'medium'],
    ]);
    await pack.configure({ all: 'disabled' });
    expect(await pack.analyze({ type: CONTAINER, name: 'a', properties: {} })).toEqual([]);
  });

  it('rejects config the CLI would reject, naming the policy and field', async () => {
    await expect(pack.configure({ probe: 'strict' as never })).rejects.toThrow(
      'probe: "strict" is not an enforcement level',
    );
    await expect(pack.configure({ probe: { greeting: 7 } })).rejects.toThrow(PolicyConfigError);
    await expect(pack.configure({ probe: { greeting: 7 } })).rejects.toThrow(
      'probe.greeting: must be of type string',
    );
  });

  it('reports not-applicable policies with their reasons', async () => {
    const res = await pack.analyzeDetailed({ type: CONTAINER, name: 'a', properties: {} });
    expect(res.notApplicable).toEqual([
      { policyName: 'probe-remediate', reason: 'Policy does not implement validateResource' },
    ]);
  });

  it('resolves parents, dependencies and property dependencies for stack policies', async () => {
    const net = pack.urnOf({ type: 'docker:index/network:Network', name: 'backend' });
    const [v] = await pack.analyzeStack([
      { type: 'docker:index/network:Network', name: 'backend', properties: { internal: true } },
      {
        type: CONTAINER,
        name: 'api',
        properties: { networksAdvanced: [{ name: unknown() }], env: [secret('K=V')] },
        dependencies: [net],
        propertyDependencies: { networksAdvanced: [net] },
      },
    ]);
    expect(v!.policyName).toBe('probe-stack');
    expect(seen(v!.message)).toEqual([
      {
        name: 'backend',
        type: 'docker:index/network:Network',
        parent: null,
        dependencies: [],
        propertyDependencies: {},
        props: { internal: true },
      },
      {
        name: 'api',
        type: CONTAINER,
        parent: null,
        dependencies: [net],
        propertyDependencies: { networksAdvanced: [net] },
        props: {
          env: ['K=V'],
          networksAdvanced: [
            {
              name: {
                $threw: 'UnknownValueError',
                message: "string value at .networksAdvanced.0.name can't be known during preview",
              },
            },
          ],
        },
      },
    ]);
  });

  it('runs remediate-level policies only, keeping a rewritten secret secret', async () => {
    const input = { type: CONTAINER, name: 'a', properties: { password: secret('pw'), image: 'x' } };
    expect((await pack.remediate(input)).remediations).toEqual([]);
    await pack.configure({ 'probe-remediate': 'remediate' });
    const res = await pack.remediate(input);
    expect(res.remediations.map((r) => r.policyName)).toEqual(['probe-remediate']);
    expect(res.properties.remediated).toBe(true);
    expect(res.properties.image).toBe('x');
    expect(isSecretValue(res.properties.password)).toBe(true);
    expect((res.properties.password as { value: unknown }).value).toBe('pw-rotated');
  });

  it('simulates a preview: Remediate, then Analyze on the remediated inputs, then AnalyzeStack', async () => {
    await pack.configure({ 'probe-remediate': 'remediate' });
    const res = await pack.preview([{ type: CONTAINER, name: 'a', properties: { image: 'x' } }]);
    expect(res.remediations).toHaveLength(1);
    const probe = res.violations.find((v) => v.policyName === 'probe')!;
    expect(seen(probe.message).props).toEqual({ image: 'x', remediated: true });
    const stack = res.violations.find((v) => v.policyName === 'probe-stack')!;
    expect((seen(stack.message) as unknown as { type: string }[]).map((r) => r.type)).toEqual([
      'pulumi:pulumi:Stack',
      CONTAINER,
    ]);
  });

  it("captures policy code's log calls through the fake engine's Log RPC", async () => {
    await pack.analyze({ type: CONTAINER, name: 'logged-one', properties: {} });
    const entry = await pack.waitForLog((e) => e.message === 'probe saw logged-one');
    expect(entry).toEqual({ source: 'engine', severity: 'info', message: 'probe saw logged-one' });
  });
});

describe('starting and stopping packs', () => {
  it('fails with one clear error carrying the tail of what a crashing pack printed', async () => {
    const err = await startPolicyPack(BROKEN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyPackStartError);
    const message = (err as Error).message;
    expect(message).toContain('exited (code 32) before printing its port');
    expect(message).toContain('probe: reading settings');
    expect(message).toContain('pack failed to load: setting BULKHEAD_FIXTURE is missing');
  });

  it('refuses a directory that is not a policy pack', async () => {
    await expect(startPolicyPack(__dirname)).rejects.toThrow('PulumiPolicy.yaml is missing');
  });

  it('kills the pack process on close, also when the callback throws', async () => {
    let pid: number | undefined;
    await expect(
      withPolicyPack(PROBE, {}, async (pack) => {
        pid = pack.pid;
        throw new Error('test failed midway');
      }),
    ).rejects.toThrow('test failed midway');
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
