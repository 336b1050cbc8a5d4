/**
 * What `@pulumi/policy` does not hand to policy code, taken from the analyzer requests themselves.
 *
 * 1. Secretness. For Analyze and AnalyzeStack the SDK unwraps secrets before policy code runs, so a
 *    correctly secret `DB_PASSWORD=…` env entry looks exactly like a plain-text one and
 *    `no-secrets-in-env` could not tell them apart. The request's properties still carry Pulumi's
 *    secret wrappers (and unknown sentinels), which core's adapters read. (Remediate needs no
 *    help: there the SDK keeps secrets wrapped in its `Secret` class.)
 * 2. Settings. The SDK gives each policy only its own config, and the engine calls Remediate for a
 *    resource before Analyze, so the settings policy's `getConfig()` can come too late for the
 *    first remediation. The Configure request carries every policy's config.
 *
 * 3. Speed. The SDK's Analyze loop costs more per policy than the pack's own work; analyze.ts
 *    answers Analyze in one pass with the SDK's semantics. Decoding the request with
 *    google-protobuf costs more still; request.ts decodes it with protobufjs instead.
 *
 * The SDK registers its handlers with grpc-js's public `Server.addService`; wrapping that once,
 * before the `PolicyPack` is constructed, sees each request before the SDK does. The properties
 * are decoded once per request, for the pack only. If the wrapping cannot be installed, policies
 * fall back to the SDK's props (secretness unknown) and the settings policy's `getConfig()`; if
 * analyze.ts cannot load the SDK modules it needs, the SDK's own loop answers Analyze (with the
 * properties hidden from it, see {@link takeProps}).
 */
import * as path from 'node:path';
import {
  type ConfigureRequest,
  type ConfigureStackRequest,
  type LeanAnalyzeOptions,
  leanAnalyze,
} from './analyze.js';
import { analyzeRequestDeserializer } from './request.js';

/** Wire-form properties of the resources of the requests in flight, by URN. */
export class WireProps {
  readonly #byUrn = new Map<string, Record<string, unknown>>();
  /** True once the analyzer service was wrapped. */
  active = false;

  get(urn: string): Record<string, unknown> | undefined {
    return this.#byUrn.get(urn);
  }
  /** @internal */
  set(urn: string, props: Record<string, unknown>): void {
    this.#byUrn.set(urn, props);
  }
  /** @internal */
  delete(urn: string, props: Record<string, unknown>): void {
    if (this.#byUrn.get(urn) === props) this.#byUrn.delete(urn);
  }
}

interface Struct {
  toJavaScript(): unknown;
}
interface ResourceMessage {
  getUrn(): string;
  getProperties(): Struct | undefined;
}
interface Request {
  getUrn?(): string;
  getProperties?(): Struct | undefined;
  getProvider?(): { getProperties?(): Struct | undefined } | undefined;
  getResourcesList?(): ResourceMessage[];
  getPolicyconfigMap?(): { get(k: string): { getProperties(): Struct | undefined } | undefined };
}
type Handler = (this: unknown, call: { request: Request }, callback: (...args: unknown[]) => void) => unknown;
/** A method of a grpc-js service definition (the parts read here). */
interface MethodDefinition {
  requestDeserialize?: unknown;
}

/**
 * The service with its Analyze requests decoded by request.ts rather than by the generated
 * google-protobuf code; unchanged when the definition is not the one expected.
 */
function withFastAnalyzeRequests(service: unknown): unknown {
  const methods = service as Record<string, MethodDefinition | undefined>;
  const analyze = methods?.analyze;
  const original = analyze?.requestDeserialize;
  if (typeof original !== 'function') return service;
  return {
    ...methods,
    analyze: {
      ...analyze,
      requestDeserialize: analyzeRequestDeserializer(original as (b: Buffer) => unknown),
    },
  };
}

const NO_PROPS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Decodes a message's properties once for the pack, and makes its `getProperties()` hand the SDK
 * a Struct whose `toJavaScript()` returns an empty object. The SDK decodes, deserializes and
 * proxies the properties again for every policy (`deserializeProperties` of the whole resource,
 * 50 times per request: most of its per-policy cost), yet the pack's resource policies never read
 * them: they read the request's own properties from {@link WireProps} by URN, which keeps secrets
 * marked. The Remediate and AnalyzeStack requests are not changed. Exported for tests.
 * @internal
 */
export function takeProps(m: { getProperties?(): Struct | undefined }): Record<string, unknown> {
  const struct = m.getProperties?.();
  const props = decode(struct);
  if (struct && typeof struct.toJavaScript === 'function') {
    const empty: Struct = Object.create(struct);
    empty.toJavaScript = () => NO_PROPS;
    m.getProperties = () => empty;
  }
  return props;
}

function decode(s: Struct | undefined): Record<string, unknown> {
  const v = s?.toJavaScript();
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** The pack whose Analyze requests {@link interceptAnalyzer} serves itself (see analyze.ts). */
export type ServedPack = Omit<LeanAnalyzeOptions, 'packVersion'>;

/** The pack's version as the SDK reads it: from the package.json of the working directory. */
function packVersion(): string | undefined {
  try {
    const version = require(path.join(process.cwd(), 'package.json')).version;
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps the analyzer service the SDK is about to register: records each request's wire-form
 * properties in `wire` while the request runs, and hands the settings policy's Configure entry
 * to `onSettings`. With `served`, Analyze requests are answered by {@link leanAnalyze} for the
 * pack's policies (when it can load the SDK's modules); everything else stays with the SDK.
 */
export function interceptAnalyzer(
  wire: WireProps,
  settingsPolicy: string,
  onSettings: (config: unknown) => void,
  served?: ServedPack,
): void {
  let grpc: { Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } } };
  try {
    const sdk = path.dirname(require.resolve('@pulumi/policy'));
    grpc = require(require.resolve('@grpc/grpc-js', { paths: [sdk] }));
  } catch {
    return;
  }
  const proto = grpc.Server.prototype;
  const addService = proto.addService;
  proto.addService = function (this: unknown, service, impl) {
    proto.addService = addService;
    const { configure, configureStack, analyze, analyzeStack } = impl as Record<string, Handler | undefined>;
    if (typeof configure !== 'function' || typeof analyze !== 'function') {
      return addService.call(this, service, impl);
    }
    const version = served && packVersion();
    const lean = served && version ? leanAnalyze({ ...served, packVersion: version }) : undefined;
    /** Runs `handler` with the request's resources recorded, and forgets them when it answers. */
    const recording = (
      handler: Handler | undefined,
      resources: (r: Request) => [string, Record<string, unknown>][],
    ) =>
      function (this: unknown, call: { request: Request }, callback: (...args: unknown[]) => void) {
        let recorded: [string, Record<string, unknown>][] = [];
        try {
          recorded = resources(call.request);
          for (const [urn, props] of recorded) wire.set(urn, props);
        } catch {
          recorded = [];
        }
        return handler!.call(this, call, (...args: unknown[]) => {
          for (const [urn, props] of recorded) wire.delete(urn, props);
          callback(...args);
        });
      };
    /**
     * Analyze: the request's properties, decoded once and kept for the pack; hidden from the SDK's
     * own handler, which would deserialize them again for every policy.
     */
    const one = (r: Request): [string, Record<string, unknown>][] => {
      if (!r.getUrn || !r.getProperties) return [];
      // `lean` deserializes a request's properties only for a policy that reads them.
      if (lean) return [[r.getUrn(), decode(r.getProperties())]];
      const props = takeProps(r);
      // The SDK decodes the provider's properties per policy too; no policy of the pack reads them.
      const provider = r.getProvider?.();
      if (provider?.getProperties) takeProps(provider);
      return [[r.getUrn(), props]];
    };
    const wrapped: Record<string, unknown> = {
      ...impl,
      configure(this: unknown, call: { request: Request }, callback: (...args: unknown[]) => void) {
        try {
          onSettings(decode(call.request.getPolicyconfigMap?.().get(settingsPolicy)?.getProperties()));
        } catch {
          // The settings policy reads its config again on every analysis.
        }
        try {
          lean?.configure(call.request as unknown as ConfigureRequest);
        } catch {
          // The SDK rejects the same request, keeping the config it had, and so does `lean`.
        }
        return configure.call(this, call, callback);
      },
      analyze: recording((lean?.analyze as Handler | undefined) ?? analyze, one),
    };
    if (lean && typeof configureStack === 'function') {
      wrapped.configureStack = function (
        this: unknown,
        call: { request: Request },
        callback: (...args: unknown[]) => void,
      ) {
        try {
          lean.configureStack(call.request as unknown as ConfigureStackRequest);
        } catch {
          // As for Configure: the SDK fails the call and keeps its tags.
        }
        return configureStack.call(this, call, callback);
      };
    }
    if (typeof analyzeStack === 'function') {
      wrapped.analyzeStack = recording(analyzeStack, (r) =>
        (r.getResourcesList?.() ?? []).map((res) => [res.getUrn(), decode(res.getProperties())]),
      );
    }
    wire.active = true;
    // Only the pack's own loop is known to read nothing but the getters request.ts provides.
    return addService.call(this, lean ? withFastAnalyzeRequests(service) : service, wrapped);
  };
}
