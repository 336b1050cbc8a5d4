/**
 * request.ts decodes Analyze requests with protobufjs instead of the generated google-protobuf
 * code. Every getter the pack's Analyze loop reads must return what google-protobuf's message
 * returns for the same bytes, and the properties' `toJavaScript()` must equal google-protobuf's
 * `Struct.toJavaScript()`, key order included.
 */
import * as path from 'node:path';
import { encodeValue, secret, unknown } from '@bulkhead/policy-harness';
import * as analyzerproto from '@pulumi/pulumi/proto/analyzer_pb.js';
import fc from 'fast-check';
import * as structproto from 'google-protobuf/google/protobuf/struct_pb.js';
import { Writer } from 'protobufjs';
import { interceptAnalyzer, WireProps } from '../src/intercept.js';
import { PACK_ENFORCEMENT, PACK_NAME } from '../src/pack.js';
import { AnalyzeRequest, analyzeRequestDeserializer, decodeAnalyzeRequest } from '../src/request.js';
import { SETTINGS_POLICY } from '../src/settings.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What a handler can read of a request, from either decoder. */
function view(r: AnalyzeRequest | analyzerproto.AnalyzeRequest) {
  const o = r.getOptions();
  const t = o?.getCustomtimeouts();
  const p = r.getProvider();
  return {
    type: r.getType(),
    urn: r.getUrn(),
    name: r.getName(),
    properties: r.getProperties()?.toJavaScript(),
    options: o && {
      protect: o.getProtect(),
      ignoreChanges: o.getIgnorechangesList(),
      deleteBeforeReplace: o.getDeletebeforereplace(),
      deleteBeforeReplaceDefined: o.getDeletebeforereplacedefined(),
      additionalSecretOutputs: o.getAdditionalsecretoutputsList(),
      aliases: o.getAliasesList(),
      parent: o.getParent(),
      timeouts: t && [t.getCreate(), t.getUpdate(), t.getDelete(), t.getRead()],
    },
    provider: p && {
      type: p.getType(),
      urn: p.getUrn(),
      name: p.getName(),
      properties: p.getProperties()?.toJavaScript(),
    },
  };
}

/** Both decoders' views of the same bytes; the key order of every object is compared too. */
function expectSameView(bytes: Uint8Array): void {
  const fast = decodeAnalyzeRequest(bytes);
  expect(fast).toBeDefined();
  const slow = view(analyzerproto.AnalyzeRequest.deserializeBinary(bytes));
  const mine = view(fast!);
  expect(mine).toStrictEqual(slow);
  expect(JSON.stringify(mine)).toBe(JSON.stringify(slow));
}

const struct = (v: Record<string, unknown>) => structproto.Struct.fromJavaScript(v as never);

const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const text = fc.string({ unit: 'grapheme', maxLength: 20 });

const request = fc.record(
  {
    type: text,
    urn: text,
    name: text,
    properties: fc.dictionary(fc.string({ unit: 'grapheme' }), json, { maxKeys: 8 }),
    options: fc.record(
      {
        protect: fc.boolean(),
        ignoreChanges: fc.array(text, { maxLength: 3 }),
        deleteBeforeReplace: fc.boolean(),
        deleteBeforeReplaceDefined: fc.boolean(),
        additionalSecretOutputs: fc.array(text, { maxLength: 3 }),
        aliases: fc.array(text, { maxLength: 3 }),
        parent: text,
        timeouts: fc.option(fc.tuple(fc.double(), fc.double(), fc.double(), fc.double()), { nil: undefined }),
      },
      { requiredKeys: [] },
    ),
    provider: fc.record({ type: text, urn: text, name: text, properties: fc.dictionary(text, json) }),
  },
  { requiredKeys: ['type'] },
);

describe('Analyze requests decoded with protobufjs', () => {
  it('read like google-protobuf messages, for any request', () => {
    fc.assert(
      fc.property(request, (r) => {
        const req = new analyzerproto.AnalyzeRequest().setType(r.type);
        if (r.urn !== undefined) req.setUrn(r.urn);
        if (r.name !== undefined) req.setName(r.name);
        if (r.properties) req.setProperties(struct(r.properties));
        if (r.options) {
          const o = new analyzerproto.AnalyzerResourceOptions();
          const { options: x } = r;
          if (x.protect !== undefined) o.setProtect(x.protect);
          if (x.ignoreChanges) o.setIgnorechangesList(x.ignoreChanges);
          if (x.deleteBeforeReplace !== undefined) o.setDeletebeforereplace(x.deleteBeforeReplace);
          if (x.deleteBeforeReplaceDefined !== undefined) {
            o.setDeletebeforereplacedefined(x.deleteBeforeReplaceDefined);
          }
          if (x.additionalSecretOutputs) o.setAdditionalsecretoutputsList(x.additionalSecretOutputs);
          if (x.aliases) o.setAliasesList(x.aliases);
          if (x.parent !== undefined) o.setParent(x.parent);
          if (x.timeouts) {
            const [create, update, del, read] = x.timeouts;
            o.setCustomtimeouts(
              new analyzerproto.AnalyzerResourceOptions.CustomTimeouts()
                .setCreate(create)
                .setUpdate(update)
                .setDelete(del)
                .setRead(read),
            );
          }
          req.setOptions(o);
        }
        if (r.provider) {
          req.setProvider(
            new analyzerproto.AnalyzerProviderResource()
              .setType(r.provider.type)
              .setUrn(r.provider.urn)
              .setName(r.provider.name)
              .setProperties(struct(r.provider.properties)),
          );
        }
        expectSameView(req.serializeBinary());
      }),
      { numRuns: 300 },
    );
  });

  it('keep secrets and unknowns in their wire form, and decode a fresh object per call', () => {
    const props = encodeValue({
      envs: ['A=1', secret('DB_PASSWORD=canary')],
      networksAdvanced: [{ name: unknown() }],
      z: 1,
      a: { b: [true, null, 2.5] },
    }) as Record<string, unknown>;
    const bytes = new analyzerproto.AnalyzeRequest()
      .setType('docker:index/container:Container')
      .setProperties(struct(props))
      .serializeBinary();
    expectSameView(bytes);
    const req = decodeAnalyzeRequest(bytes)!;
    const first = req.getProperties()!.toJavaScript();
    expect(Object.keys(first)).toEqual(['a', 'envs', 'networksAdvanced', 'z']);
    expect(req.getProperties()!.toJavaScript()).not.toBe(first);
    expect(req.getOptions()).toBeUndefined();
    expect(req.getProvider()).toBeUndefined();
  });

  /** A Struct entry `key: value`, with `value` the bytes of a google.protobuf.Value. */
  const entry = (w: Writer, key: string, value: (v: Writer) => void) => {
    w.uint32(10).fork().uint32(10).string(key);
    w.uint32(18).fork();
    value(w);
    w.ldelim().ldelim();
  };

  it('decode bytes that google-protobuf builders never write as google-protobuf reads them', () => {
    const w = Writer.create();
    w.uint32(10).string('t'); // type
    w.uint32(18).fork(); // properties
    entry(w, 'k', (v) => v.uint32(26).string('first'));
    entry(w, 'k', (v) => v.uint32(26).string('last')); // a repeated key: the last entry wins
    entry(w, 'oneof', (v) => v.uint32(26).string('text').uint32(17).double(3)); // the last member wins
    entry(w, 'n', (v) => v.uint32(8).int32(0));
    w.uint32(7 << 3).uint32(99); // an unknown field inside a Struct
    w.ldelim();
    w.uint32((99 << 3) | 2).string('an unknown field'); // skipped
    w.uint32(42).fork().uint32(66).string('p1').ldelim(); // options, twice: the last one is kept
    w.uint32(42).fork().uint32(66).string('p2').uint32(18).string('x').ldelim();
    const bytes = w.finish();
    expectSameView(bytes);
    expect(decodeAnalyzeRequest(bytes)!.getProperties()!.toJavaScript()).toStrictEqual({
      k: 'last',
      n: null,
      oneof: 3,
    });
  });

  it('fail on a Value with no kind, as google-protobuf does', () => {
    const w = Writer.create();
    w.uint32(18).fork();
    entry(w, 'empty', () => undefined);
    w.ldelim();
    const bytes = w.finish();
    expect(() =>
      analyzerproto.AnalyzeRequest.deserializeBinary(bytes).getProperties()?.toJavaScript(),
    ).toThrow('Unexpected struct type');
    expect(() => decodeAnalyzeRequest(bytes)!.getProperties()!.toJavaScript()).toThrow(
      'Unexpected struct type',
    );
  });

  it('as a grpc-js deserializer', () => {
    const bytes = Buffer.from(new analyzerproto.AnalyzeRequest().setType('t').setUrn('u').serializeBinary());
    const fallback = jest.fn(() => 'fallback');
    const req = analyzeRequestDeserializer(fallback)(bytes) as AnalyzeRequest;
    expect([req.getType(), req.getUrn(), req.getName()]).toEqual(['t', 'u', '']);
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe("the pack's analyzer server", () => {
  const grpc = require(
    require.resolve('@grpc/grpc-js', { paths: [path.dirname(require.resolve('@pulumi/policy'))] }),
  );
  const { AnalyzerService } = require('@pulumi/pulumi/proto/analyzer_grpc_pb.js');
  const proto = grpc.Server.prototype;

  /** The service definition interceptAnalyzer hands to grpc-js. */
  function registered(served: boolean): Record<string, { requestDeserialize(b: Buffer): unknown }> {
    const original = proto.addService;
    let seen: unknown;
    proto.addService = (service: unknown) => {
      seen = service;
    };
    try {
      interceptAnalyzer(
        new WireProps(),
        SETTINGS_POLICY,
        () => undefined,
        served
          ? {
              packName: PACK_NAME,
              packEnforcement: PACK_ENFORCEMENT,
              policies: [],
            }
          : undefined,
      );
      proto.addService(AnalyzerService, { configure: () => undefined, analyze: () => undefined });
    } finally {
      proto.addService = original;
    }
    return seen as Record<string, { requestDeserialize(b: Buffer): unknown }>;
  }

  const bytes = Buffer.from(new analyzerproto.AnalyzeRequest().setType('t').setUrn('u').serializeBinary());

  it('decodes Analyze requests with request.ts when the pack serves Analyze itself', () => {
    const service = registered(true);
    expect(service.analyze!.requestDeserialize(bytes)).toBeInstanceOf(AnalyzeRequest);
    // Remediate's requests are the same message, still decoded by google-protobuf for the SDK.
    expect(service.remediate!.requestDeserialize(bytes)).toBeInstanceOf(analyzerproto.AnalyzeRequest);
  });

  it("leaves the SDK's decoding alone when the SDK serves Analyze", () => {
    expect(registered(false)).toBe(AnalyzerService);
  });
});
