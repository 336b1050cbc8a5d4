/**
 * Everything the pack knows about `@pulumi/policy` beyond its public API, in one place, checked
 * at start-up against the SDK version it was verified on ({@link VERIFIED_SDK_VERSION}).
 *
 * The SDK's own loop answers every request. The pack only needs two things the SDK does not hand
 * to policy code:
 * 1. Secretness. For Analyze and AnalyzeStack the SDK unwraps secrets before policy code runs, so a
 *    correctly secret `DB_PASSWORD=…` env entry looks exactly like a plain-text one, and a secret
 *    exemption reason or map key looks like text the pack may show. The request's own properties
 *    still carry Pulumi's secret wrappers (and unknown sentinels), which core's adapters read.
 *    On Remediate the SDK keeps secrets as its `Secret` class behind a proxy; {@link rawProps}
 *    reads the object behind that proxy.
 * 2. Settings at Configure. The SDK gives each policy only its own config, and the engine calls
 *    Remediate for a resource before Analyze, so the settings policy's `getConfig()` can come too
 *    late for the first remediation. The Configure request carries every policy's config.
 *
 * The SDK registers its handlers with grpc-js's public `Server.addService`; wrapping that once,
 * before the `PolicyPack` is constructed, sees each request before the SDK does, and hands it on
 * unchanged. With any other SDK version nothing is wrapped: the pack warns once on stderr, policies
 * see the SDK's plain props through {@link possiblySecret} (every value treated as a secret, so
 * none is ever shown), and remediation is off (a fix could turn a secret into plain text).
 */
import { PULUMI_SECRET_SIG, PULUMI_SIG_KEY, PULUMI_UNKNOWN } from '@bulkhead/core';

/** The `@pulumi/policy` version whose handlers, requests and proxies this module was checked against. */
export const VERIFIED_SDK_VERSION = '1.21.0';

/** A value in Pulumi's secret wire form. */
export function wireSecret(value: unknown): Record<string, unknown> {
  return { [PULUMI_SIG_KEY]: PULUMI_SECRET_SIG, value };
}

/** A request's properties as the SDK received them, decoded on first use. */
interface Recorded {
  struct: Struct | undefined;
  props?: Record<string, unknown> | undefined;
}

/**
 * Wire-form properties of the resources of the requests in flight, by URN. A request's
 * properties are decoded only when a policy asks for them (never for other providers' resources).
 */
export class WireProps {
  readonly #byUrn = new Map<string, Recorded>();

  /** The properties, or `undefined` when none were recorded or they cannot be decoded. */
  get(urn: string): Record<string, unknown> | undefined {
    const r = this.#byUrn.get(urn);
    if (!r) return undefined;
    try {
      r.props ??= decode(r.struct);
    } catch {
      this.#byUrn.delete(urn);
      return undefined;
    }
    return r.props;
  }
  /** @internal */
  set(urn: string, recorded: Recorded): void {
    this.#byUrn.set(urn, recorded);
  }
  /** @internal */
  delete(urn: string, recorded: Recorded): void {
    if (this.#byUrn.get(urn) === recorded) this.#byUrn.delete(urn);
  }
}

/** The installed `@pulumi/policy` version, or `undefined` when it cannot be read. */
export function installedSdkVersion(): string | undefined {
  try {
    const { version } = require('@pulumi/policy/package.json') as { version?: unknown };
    return typeof version === 'string' ? version.replace(/^v/, '') : undefined;
  } catch {
    return undefined;
  }
}

interface Struct {
  toJavaScript(): unknown;
}
interface Request {
  getUrn?(): string;
  getProperties?(): Struct | undefined;
  getResourcesList?(): { getUrn(): string; getProperties(): Struct | undefined }[];
  getPolicyconfigMap?(): { get(k: string): { getProperties(): Struct | undefined } | undefined };
}
type Callback = (...args: unknown[]) => void;
type Handler = (this: unknown, call: { request: Request }, callback: Callback) => unknown;
interface GrpcServer {
  prototype: { addService(service: unknown, impl: Record<string, unknown>): void };
}

function decode(s: Struct | undefined): Record<string, unknown> {
  const v = s?.toJavaScript();
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** How the pack reads the analyzer's requests. */
export interface InterceptOptions {
  /** The SDK version this module trusts; tests pass another to see the degraded path. */
  verified?: string;
  /** Where the one warning goes when the SDK is not the verified version. */
  warn?: (message: string) => void;
}

/**
 * Wraps the analyzer service the SDK is about to register: records each Analyze and AnalyzeStack
 * request's wire-form properties in `wire` while the SDK's handler runs, and hands the settings
 * policy's Configure entry to `onSettings`. Returns false, after one warning, when the installed
 * SDK is not the verified version or its grpc-js cannot be loaded; then nothing is wrapped.
 */
export function interceptAnalyzer(
  wire: WireProps,
  settingsPolicy: string,
  onSettings: (config: unknown) => void,
  options: InterceptOptions = {},
): boolean {
  const { verified = VERIFIED_SDK_VERSION, warn = (m: string) => console.error(m) } = options;
  const installed = installedSdkVersion();
  let grpc: { Server: GrpcServer } | undefined;
  if (installed === verified) {
    try {
      const path = require('node:path') as typeof import('node:path');
      const sdk = path.dirname(require.resolve('@pulumi/policy'));
      grpc = require(require.resolve('@grpc/grpc-js', { paths: [sdk] }));
    } catch {
      grpc = undefined;
    }
  }
  if (!grpc) {
    warn(
      `warning: bulkhead-docker-hardening was verified with @pulumi/policy ${verified}, ` +
        `found ${installed ?? 'none readable'}${installed === verified ? ' without its grpc-js' : ''}. ` +
        'It runs on the SDK alone: every property value is treated as a Pulumi secret (never shown), so ' +
        'no-secrets-in-env reports every secret-looking variable, secret or not; remediation is off. ' +
        `Install @pulumi/policy ${verified} to restore both.`,
    );
    return false;
  }
  const proto = grpc.Server.prototype;
  const addService = proto.addService;
  proto.addService = function (this: unknown, service, impl) {
    proto.addService = addService;
    const { configure, analyze, analyzeStack } = impl as Record<string, Handler | undefined>;
    if (typeof configure !== 'function' || typeof analyze !== 'function') {
      return addService.call(this, service, impl);
    }
    /** Runs `handler` with the request's resources recorded, and forgets them when it answers. */
    const recording = (handler: Handler, resources: (r: Request) => [string, Recorded][]) =>
      function (this: unknown, call: { request: Request }, callback: Callback) {
        let recorded: [string, Recorded][] = [];
        try {
          recorded = resources(call.request);
          for (const [urn, props] of recorded) wire.set(urn, props);
        } catch {
          recorded = [];
        }
        return handler.call(this, call, (...args: unknown[]) => {
          for (const [urn, props] of recorded) wire.delete(urn, props);
          callback(...args);
        });
      };
    const wrapped: Record<string, unknown> = {
      ...impl,
      configure(this: unknown, call: { request: Request }, callback: Callback) {
        try {
          onSettings(decode(call.request.getPolicyconfigMap?.().get(settingsPolicy)?.getProperties()));
        } catch {
          // The settings policy reads its config again on every analysis.
        }
        return configure.call(this, call, callback);
      },
      analyze: recording(analyze, (r) =>
        r.getUrn && r.getProperties ? [[r.getUrn(), { struct: r.getProperties() }]] : [],
      ),
    };
    if (typeof analyzeStack === 'function') {
      wrapped.analyzeStack = recording(analyzeStack, (r) =>
        (r.getResourcesList?.() ?? []).map((res) => [res.getUrn(), { struct: res.getProperties() }]),
      );
    }
    return addService.call(this, service, wrapped);
  };
  return true;
}

const IS_PROXY = '__isSpecialProxy';
const PROXY_TARGET = '__getSpecialProxyTarget';

/**
 * The object behind the SDK's proxies (plain deserialized JSON: unknowns as sentinel strings, on
 * Remediate secrets as SDK `Secret` instances). The value itself when it is not such a proxy.
 */
export function rawProps(props: unknown): Record<string, unknown> {
  let t = props as Record<string, unknown>;
  for (let depth = 0; depth < 4; depth++) {
    if (t === null || typeof t !== 'object') break;
    let target: unknown;
    try {
      if (t[IS_PROXY] !== true) break;
      target = t[PROXY_TARGET];
    } catch {
      break;
    }
    if (target === null || typeof target !== 'object' || target === t) break;
    t = target as Record<string, unknown>;
  }
  return t ?? {};
}

/** A plain copy of a value read through the SDK's proxy; a read that throws (unknown) is the sentinel. */
function plainCopy(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (depth > 64) return PULUMI_UNKNOWN;
  const read = (k: string | number): unknown => {
    try {
      return plainCopy((v as Record<string | number, unknown>)[k], depth + 1);
    } catch {
      return PULUMI_UNKNOWN;
    }
  };
  if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => read(i));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = read(k);
  return out;
}

/**
 * Properties the SDK handed to policy code (secrets unwrapped), for core's adapters when the
 * request's own properties are not known: every top-level value becomes a secret, so no value,
 * map key or exemption reason can reach a message. `envs` stays plain so that `no-secrets-in-env`
 * fails closed (it reports a secret-looking variable it cannot tell from a Pulumi secret).
 */
export function possiblySecret(props: unknown): Record<string, unknown> {
  const copy = plainCopy(props, 0);
  const out: Record<string, unknown> = {};
  if (copy === null || typeof copy !== 'object') return out;
  for (const [k, v] of Object.entries(copy)) {
    out[k] = v === undefined || k === 'envs' ? v : wireSecret(v);
  }
  return out;
}
