/**
 * The pack serves Analyze with its own loop (src/analyze.ts). This suite runs `@pulumi/policy`'s
 * own handler (registered by a real `PolicyPack`, with its own Configure) and the pack's loop over
 * the same requests and the same policies, and requires byte-identical responses: every rule's
 * violation, enforcement overrides (disabled, remediate, advisory, mandatory), exemptions,
 * unknowns, secrets, other resource types.
 */
import * as path from 'node:path';
import { catalog, exemptLabel } from '@bulkhead/core';
import { encodeValue, secret, unknown } from '@bulkhead/policy-harness';
import { PolicyPack } from '@pulumi/policy';
import * as analyzerproto from '@pulumi/pulumi/proto/analyzer_pb.js';
import fc from 'fast-check';
import * as structproto from 'google-protobuf/google/protobuf/struct_pb.js';
import { type LeanAnalyzer, leanAnalyze } from '../src/analyze.js';
import { takeProps } from '../src/intercept.js';
import { PACK_ENFORCEMENT, PACK_NAME } from '../src/pack.js';
import { buildPolicies, createState } from '../src/policies.js';
import { decodeAnalyzeRequest } from '../src/request.js';
import { SETTINGS_POLICY } from '../src/settings.js';
import { CONTAINER, compliantContainer, compliantNetwork, MUTATIONS, NETWORK, SERVICE } from './fixtures.js';

type Handler = (call: { request: unknown }, callback: (err: unknown, res?: unknown) => void) => unknown;

const state = createState(catalog);
const policies = buildPolicies(state);
const VERSION: string = require('../package.json').version;

/** The SDK's own handlers, as `new PolicyPack` registers them (without binding a port). */
function sdkHandlers(): Record<string, Handler> {
  const grpc = require(
    require.resolve('@grpc/grpc-js', { paths: [path.dirname(require.resolve('@pulumi/policy'))] }),
  );
  const proto = grpc.Server.prototype;
  const { addService, bindAsync } = proto;
  let impl: Record<string, Handler> | undefined;
  proto.addService = (_service: unknown, handlers: Record<string, Handler>) => {
    impl = handlers;
  };
  proto.bindAsync = () => undefined;
  try {
    new PolicyPack(PACK_NAME, { policies });
  } finally {
    proto.addService = addService;
    proto.bindAsync = bindAsync;
  }
  if (!impl) throw new Error('@pulumi/policy registered no analyzer service');
  return impl;
}

const sdk = sdkHandlers();
const lean = leanAnalyze({
  packName: PACK_NAME,
  packVersion: VERSION,
  packEnforcement: PACK_ENFORCEMENT,
  policies,
});

function call(handler: Handler, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    handler({ request }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const LEVELS = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
} as const;
type Level = keyof typeof LEVELS;

/** Configures both handlers alike: per-policy levels and the settings policy's config. */
async function configure(levels: Record<string, Level>, settings?: Record<string, unknown>): Promise<void> {
  const req = new analyzerproto.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [name, level] of Object.entries(levels)) {
    const props = name === SETTINGS_POLICY && settings ? settings : {};
    map.set(
      name,
      new analyzerproto.PolicyConfig()
        .setEnforcementlevel(LEVELS[level])
        .setProperties(structproto.Struct.fromJavaScript(props as never)),
    );
  }
  await call(sdk.configure!, req);
  (lean as LeanAnalyzer).configure(req);
}

interface Resource {
  type: string;
  name: string;
  properties: Record<string, unknown>;
}

function request(r: Resource): analyzerproto.AnalyzeRequest {
  const urn = `urn:pulumi:dev::parity::${r.type}::${r.name}`;
  const props = structproto.Struct.fromJavaScript(encodeValue(r.properties) as never);
  return new analyzerproto.AnalyzeRequest()
    .setType(r.type)
    .setName(r.name)
    .setUrn(urn)
    .setProperties(props)
    .setOptions(
      new analyzerproto.AnalyzerResourceOptions()
        .setParent('urn:pulumi:dev::parity::pulumi:pulumi:Stack::parity-dev')
        .setCustomtimeouts(new analyzerproto.AnalyzerResourceOptions.CustomTimeouts()),
    )
    .setProvider(
      new analyzerproto.AnalyzerProviderResource()
        .setType('pulumi:providers:docker')
        .setName('default')
        .setUrn('urn:pulumi:dev::parity::pulumi:providers:docker::default')
        .setProperties(structproto.Struct.fromJavaScript({ host: 'unix:///var/run/docker.sock' })),
    );
}

/**
 * Both handlers' responses to one resource, as the intercept records it for the pack's policies.
 * With `hidden`, the SDK's handler gets the request the way the intercept hands it over when the
 * pack's own loop cannot load: properties recorded for the pack and hidden from the SDK. With
 * `unrecorded`, nothing is recorded (as when the intercept could not read the request), so the
 * pack's policies read the properties the SDK deserializes. With `decoded`, the pack's loop reads
 * the request as the pack's server decodes it (request.ts), not as google-protobuf does.
 */
async function both(
  r: Resource,
  { hidden = false, unrecorded = false, decoded = false } = {},
): Promise<[unknown, unknown]> {
  const req = request(r);
  const wire = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
  if (!unrecorded) state.wire.set(req.getUrn(), wire);
  try {
    const leanReq = decoded ? decodeAnalyzeRequest(req.serializeBinary()) : req;
    const fromLean = (await call(lean!.analyze as Handler, leanReq)) as analyzerproto.AnalyzeResponse;
    if (hidden) {
      takeProps(req as never);
      const provider = req.getProvider();
      if (provider) takeProps(provider as never);
      expect(req.getProperties()?.toJavaScript()).toEqual({});
    }
    const fromSdk = (await call(sdk.analyze!, req)) as analyzerproto.AnalyzeResponse;
    return [fromSdk.toObject(), fromLean.toObject()];
  } finally {
    state.wire.delete(req.getUrn(), wire);
  }
}

const resourceMutations = Object.entries(MUTATIONS).flatMap(([id, m]) =>
  m.kind === 'stack' ? [] : [{ id, kind: m.kind, mutate: m.mutate }],
);

/** The resource a set of mutations makes, as a container, a swarm-service-typed container or a network. */
function resourceOf(ids: readonly string[], as: 'container' | 'service' | 'network'): Resource {
  const network = as === 'network';
  let props = network ? compliantNetwork() : compliantContainer();
  for (const m of resourceMutations) {
    if (ids.includes(m.id) && (m.kind === 'network') === network) props = m.mutate(props);
  }
  return { type: network ? NETWORK : as === 'service' ? SERVICE : CONTAINER, name: 'res', properties: props };
}

describe('the pack answers Analyze exactly as @pulumi/policy would', () => {
  it('loads the SDK modules it needs from the installed @pulumi/policy', () => {
    expect(lean).toBeDefined();
  });

  afterEach(() => configure({}));

  it.each(resourceMutations.map((m) => [m.id, m.kind] as const))(
    'for the resource that breaks %s (%s)',
    async (id, kind) => {
      const [fromSdk, fromLean] = await both(resourceOf([id], kind === 'network' ? 'network' : 'container'));
      expect(fromLean).toEqual(fromSdk);
      // A control the surface cannot express stays silent (see fixtures.ts); the rest are violated.
      const named = JSON.stringify(fromSdk).includes(`"policyname":"${id}"`);
      expect(named).toBe(kind !== 'not-expressible');
    },
  );

  it('for compliant resources, other resource types and an empty resource', async () => {
    for (const r of [
      resourceOf([], 'container'),
      resourceOf([], 'service'),
      resourceOf([], 'network'),
      { type: 'aws:s3/bucket:Bucket', name: 'logs', properties: { acl: 'public-read' } },
      { type: CONTAINER, name: 'empty', properties: {} },
    ]) {
      const [fromSdk, fromLean] = await both(r);
      expect(fromLean).toEqual(fromSdk);
    }
  });

  it('with unknowns, secrets and exemption labels', async () => {
    const props = compliantContainer();
    const r: Resource = {
      type: CONTAINER,
      name: 'api',
      properties: {
        ...props,
        user: unknown(),
        networksAdvanced: [{ name: unknown() }],
        envs: ['LOG_LEVEL=info', secret('DB_PASSWORD=canary-parity-secret')],
        privileged: true,
        labels: [
          ...(props.labels as unknown[]),
          { label: exemptLabel('no-privileged'), value: 'needs a device for the parity test' },
        ],
      },
    };
    const [fromSdk, fromLean] = await both(r);
    expect(fromLean).toEqual(fromSdk);
    expect(JSON.stringify(fromLean)).not.toContain('canary-parity-secret');
  });

  it.each([
    [
      "the SDK's own loop serves Analyze, with the properties hidden from it (the fallback)",
      { hidden: true },
    ],
    ["the request's properties were not recorded for the pack", { unrecorded: true }],
    ["the request was decoded by the pack's server (request.ts)", { decoded: true }],
    ['it was decoded by the pack and not recorded', { unrecorded: true, decoded: true }],
  ])('when %s', async (_what, how) => {
    for (const as of ['container', 'service', 'network'] as const) {
      const broken = resourceMutations.filter((m) => (m.kind === 'network') === (as === 'network'));
      const [fromSdk, fromLean] = await both(
        resourceOf(
          broken.map((m) => m.id),
          as,
        ),
        how,
      );
      expect(fromLean).toEqual(fromSdk);
      expect(JSON.stringify(fromSdk)).toContain('"policyname"');
    }
  });

  it('with enforcement levels and settings from Configure', async () => {
    await configure(
      {
        'no-privileged': 'disabled',
        'no-new-privileges': 'remediate',
        'image-digest-pinned': 'advisory',
        healthcheck: 'mandatory',
        [SETTINGS_POLICY]: 'mandatory',
      },
      { profile: 'baseline' },
    );
    const r = resourceOf(
      ['no-privileged', 'no-new-privileges', 'image-digest-pinned', 'healthcheck'],
      'container',
    );
    const [fromSdk, fromLean] = await both(r);
    expect(fromLean).toEqual(fromSdk);
  });

  it('with invalid settings, reported by the settings policy', async () => {
    await configure({ [SETTINGS_POLICY]: 'mandatory' }, { profile: 'paranoid' });
    const [fromSdk, fromLean] = await both(resourceOf([], 'container'));
    expect(fromLean).toEqual(fromSdk);
    expect(JSON.stringify(fromLean)).toContain(SETTINGS_POLICY);
  });

  it('for any mix of broken rules and enforcement levels', async () => {
    const ids = resourceMutations.map((m) => m.id);
    const levels = fc.dictionary(
      fc.constantFrom(...catalog.rules.map((r) => r.id)),
      fc.constantFrom<Level>('advisory', 'mandatory', 'disabled', 'remediate'),
      { maxKeys: 8 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(ids, { maxLength: 8 }),
        fc.constantFrom('container' as const, 'service' as const, 'network' as const),
        levels,
        async (broken, as, config) => {
          await configure(config);
          const [fromSdk, fromLean] = await both(resourceOf(broken, as));
          expect(fromLean).toEqual(fromSdk);
        },
      ),
      { numRuns: 60 },
    );
  });
});
