/**
 * Decoding the Analyze request the way the pack reads it.
 *
 * `@pulumi/pulumi`'s generated code decodes each Analyze request with google-protobuf into message
 * objects, turning every property of the resource into a `google.protobuf.Value` message inside a
 * map. That costs about 0.1 ms per container on this project's machines, more than the pack's whole
 * catalog, and the pack then converts the Struct to plain JavaScript anyway. This decoder reads the
 * same bytes with protobufjs's `Reader` (the field layout is `pulumirpc.AnalyzeRequest` of
 * analyzer.proto, as protobufjs's static code generation would read it) into an object with the
 * getters of google-protobuf's `AnalyzeRequest` that Analyze handlers call. The properties stay
 * bytes until `toJavaScript()` is called, which decodes them straight into plain JavaScript with
 * the result of google-protobuf's `Struct.toJavaScript()`, key order included (sorted keys).
 *
 * intercept.ts installs it for the Analyze method only when the pack's own loop serves Analyze;
 * a test compares it with google-protobuf over random requests.
 */
import type { Reader } from 'protobufjs';

type ReaderClass = { create(buffer: Uint8Array): Reader };

let readerClass: ReaderClass | null | undefined;

/** protobufjs's Reader, loaded on the first request (the pack's start-up does not need it). */
function readerOf(): ReaderClass | null {
  if (readerClass === undefined) {
    try {
      readerClass = (require('protobufjs/minimal') as { Reader: ReaderClass }).Reader;
    } catch {
      readerClass = null;
    }
  }
  return readerClass;
}

/** google-protobuf's error for a `Value` with no kind set. */
function noKind(): Error {
  return new Error('Unexpected struct type.');
}

const NO_KIND: unique symbol = Symbol('no kind');

/** A `google.protobuf.Struct` (`fields` = 1, a map of string to Value) ending at `end`. */
function readStruct(r: Reader, end: number): Record<string, unknown> {
  const fields = new Map<string, unknown>();
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag !== 10) {
      r.skipType(tag & 7);
      continue;
    }
    const entryEnd = r.uint32() + r.pos;
    let key = '';
    let value: unknown = NO_KIND;
    while (r.pos < entryEnd) {
      const t = r.uint32();
      if (t === 10) key = r.string();
      else if (t === 18) value = readValue(r, r.uint32() + r.pos);
      else r.skipType(t & 7);
    }
    // As in google-protobuf's maps: the last entry of a key wins.
    fields.set(key, value);
  }
  // google-protobuf's `Struct.toJavaScript` visits the keys sorted and assigns them in that order.
  const out: Record<string, unknown> = {};
  for (const key of [...fields.keys()].sort()) {
    const value = fields.get(key);
    if (value === NO_KIND) throw noKind();
    out[key] = value;
  }
  return out;
}

/** A `google.protobuf.Value`: the last member of its `kind` oneof that is set. */
function readValue(r: Reader, end: number): unknown {
  let value: unknown = NO_KIND;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case 8: // null_value
        r.int32();
        value = null;
        break;
      case 17: // number_value
        value = r.double();
        break;
      case 26: // string_value
        value = r.string();
        break;
      case 32: // bool_value
        value = r.bool();
        break;
      case 42: // struct_value
        value = readStruct(r, r.uint32() + r.pos);
        break;
      case 50: // list_value
        value = readList(r, r.uint32() + r.pos);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return value;
}

/** A `google.protobuf.ListValue` (`values` = 1). */
function readList(r: Reader, end: number): unknown[] {
  const out: unknown[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag !== 10) {
      r.skipType(tag & 7);
      continue;
    }
    const value = readValue(r, r.uint32() + r.pos);
    if (value === NO_KIND) throw noKind();
    out.push(value);
  }
  return out;
}

/** A Struct kept as bytes; `toJavaScript()` decodes it into a new object on every call. */
export class StructBytes {
  constructor(
    private readonly reader: ReaderClass,
    private readonly bytes: Uint8Array,
  ) {}

  toJavaScript(): Record<string, unknown> {
    return readStruct(this.reader.create(this.bytes), this.bytes.length);
  }
}

/** The bytes of a length-delimited field, as a view (no copy). */
function bytesOf(r: Reader): Uint8Array {
  const length = r.uint32();
  const start = r.pos;
  r.skip(length);
  return r.buf.subarray(start, start + length);
}

/** `pulumirpc.AnalyzerResourceOptions.CustomTimeouts`. */
export class CustomTimeouts {
  create = 0;
  update = 0;
  delete = 0;
  read = 0;
  getCreate(): number {
    return this.create;
  }
  getUpdate(): number {
    return this.update;
  }
  getDelete(): number {
    return this.delete;
  }
  getRead(): number {
    return this.read;
  }
}

function readTimeouts(r: Reader, end: number): CustomTimeouts {
  const t = new CustomTimeouts();
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 9) t.create = r.double();
    else if (tag === 17) t.update = r.double();
    else if (tag === 25) t.delete = r.double();
    else if (tag === 33) t.read = r.double();
    else r.skipType(tag & 7);
  }
  return t;
}

/** `pulumirpc.AnalyzerResourceOptions`. */
export class ResourceOptions {
  protect = false;
  ignoreChanges: string[] = [];
  deleteBeforeReplace = false;
  deleteBeforeReplaceDefined = false;
  additionalSecretOutputs: string[] = [];
  aliases: string[] = [];
  customTimeouts: CustomTimeouts | undefined;
  parent = '';
  getProtect(): boolean {
    return this.protect;
  }
  getIgnorechangesList(): string[] {
    return this.ignoreChanges;
  }
  getDeletebeforereplace(): boolean {
    return this.deleteBeforeReplace;
  }
  getDeletebeforereplacedefined(): boolean {
    return this.deleteBeforeReplaceDefined;
  }
  getAdditionalsecretoutputsList(): string[] {
    return this.additionalSecretOutputs;
  }
  getAliasesList(): string[] {
    return this.aliases;
  }
  getCustomtimeouts(): CustomTimeouts | undefined {
    return this.customTimeouts;
  }
  getParent(): string {
    return this.parent;
  }
}

function readOptions(r: Reader, end: number): ResourceOptions {
  const o = new ResourceOptions();
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 8) o.protect = r.bool();
    else if (tag === 18) o.ignoreChanges.push(r.string());
    else if (tag === 24) o.deleteBeforeReplace = r.bool();
    else if (tag === 32) o.deleteBeforeReplaceDefined = r.bool();
    else if (tag === 42) o.additionalSecretOutputs.push(r.string());
    else if (tag === 50) o.aliases.push(r.string());
    else if (tag === 58) o.customTimeouts = readTimeouts(r, r.uint32() + r.pos);
    else if (tag === 66) o.parent = r.string();
    else r.skipType(tag & 7);
  }
  return o;
}

/**
 * The fields `pulumirpc.AnalyzerProviderResource` and `pulumirpc.AnalyzeRequest` share, with the
 * same numbers: type = 1, properties = 2, urn = 3, name = 4.
 */
class ResourceFields {
  type = '';
  properties: StructBytes | undefined;
  urn = '';
  name = '';
  getType(): string {
    return this.type;
  }
  getProperties(): StructBytes | undefined {
    return this.properties;
  }
  getUrn(): string {
    return this.urn;
  }
  getName(): string {
    return this.name;
  }
}

/** Reads one of the {@link ResourceFields} into `into`; false for any other tag. */
function readResourceField(reader: ReaderClass, r: Reader, tag: number, into: ResourceFields): boolean {
  if (tag === 10) into.type = r.string();
  else if (tag === 18) into.properties = new StructBytes(reader, bytesOf(r));
  else if (tag === 26) into.urn = r.string();
  else if (tag === 34) into.name = r.string();
  else return false;
  return true;
}

/** `pulumirpc.AnalyzerProviderResource`. */
export class ProviderResource extends ResourceFields {}

function readProvider(reader: ReaderClass, r: Reader, end: number): ProviderResource {
  const p = new ProviderResource();
  while (r.pos < end) {
    const tag = r.uint32();
    if (!readResourceField(reader, r, tag, p)) r.skipType(tag & 7);
  }
  return p;
}

/** `pulumirpc.AnalyzeRequest`, with the getters of google-protobuf's message. */
export class AnalyzeRequest extends ResourceFields {
  options: ResourceOptions | undefined;
  provider: ProviderResource | undefined;
  getOptions(): ResourceOptions | undefined {
    return this.options;
  }
  getProvider(): ProviderResource | undefined {
    return this.provider;
  }
}

/** Decodes an Analyze request with protobufjs's Reader; `undefined` when protobufjs cannot load. */
export function decodeAnalyzeRequest(bytes: Uint8Array): AnalyzeRequest | undefined {
  const reader = readerOf();
  if (!reader) return undefined;
  const r = reader.create(bytes);
  const req = new AnalyzeRequest();
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (readResourceField(reader, r, tag, req)) continue;
    if (tag === 42) req.options = readOptions(r, r.uint32() + r.pos);
    else if (tag === 50) req.provider = readProvider(reader, r, r.uint32() + r.pos);
    else r.skipType(tag & 7);
  }
  return req;
}

/**
 * A request deserializer for grpc-js: {@link decodeAnalyzeRequest}, or `fallback` (the generated
 * google-protobuf one) when protobufjs cannot be loaded.
 */
export function analyzeRequestDeserializer(fallback: (bytes: Buffer) => unknown): (bytes: Buffer) => unknown {
  return (bytes) => decodeAnalyzeRequest(bytes) ?? fallback(bytes);
}
