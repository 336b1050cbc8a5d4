/**
 * The Analyze RPC for the pack's own resource policies, in one pass.
 *
 * `@pulumi/policy` answers Analyze by looping over the policies and, for every one, deserializing
 * the resource and its provider, building a proxy and the resource options, and awaiting the
 * validation (server.js, `makeAnalyzeRpcFun`). For this pack's 50 policies that loop costs more than
 * the pack's own work. This handler keeps the SDK's semantics, step for step, and its response
 * format (`protoutil.makeAnalyzeResponse`), but builds what all policies share once per request:
 * the resource options are one object shared by every policy (the pack's policies only read
 * them), the props and the provider are deserialized only when a policy reads them, and a
 * validation that returns no promise is not awaited.
 *
 * It serves only the policies it is given (the pack's), with the enforcement levels of the
 * Configure request. If the SDK's modules it needs cannot be loaded, {@link leanAnalyze} returns
 * `undefined` and the SDK's own handler serves Analyze. A parity test runs the SDK's handler and
 * this one over the same requests and compares the responses.
 */
import * as path from 'node:path';
import type {
  EnforcementLevel,
  Policy,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from '@pulumi/policy';

/** What a Configure request sets: each policy's config, with its enforcement level. */
export type PolicyPackConfig = Record<string, { enforcementLevel?: EnforcementLevel; [k: string]: unknown }>;

/** The parts of an Analyze request the handler reads (analyzer_pb.AnalyzeRequest). */
interface AnalyzeRequest {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): unknown;
  getOptions(): ResourceOptionsMessage | undefined;
  getProvider(): ProviderMessage | undefined;
}
interface ResourceOptionsMessage {
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getAliasesList(): string[];
  getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplacedefined(): boolean;
  getDeletebeforereplace(): boolean;
  getParent(): string;
}
interface ProviderMessage {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): unknown;
}
type Callback = (error: unknown, response?: unknown) => void;
/** A gRPC unary handler as grpc-js calls it. */
export type AnalyzeHandler = (call: { request: AnalyzeRequest }, callback: Callback) => void;

/** A diagnostic as the SDK's `makeAnalyzeResponse` reads it. */
interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  message: string;
  description?: string | undefined;
  enforcementLevel: EnforcementLevel;
  urn?: string | undefined;
  severity?: string | undefined;
}

/** The SDK modules the handler uses, resolved from the installed `@pulumi/policy`. */
interface Sdk {
  deserializeProperties(s: unknown, keepSecrets: boolean): Record<string, unknown>;
  unknownCheckingProxy(o: Record<string, unknown>): Record<string, unknown>;
  UnknownValueError: new (...args: never[]) => Error;
  makeAnalyzeResponse(ds: Diagnostic[], notApplicable: unknown[] | undefined): unknown;
  asGrpcError(e: unknown, message?: string): Error;
  convertEnforcementLevel(level: number): EnforcementLevel;
  isResourcePolicy(p: Policy): boolean;
  getPulumiType(o: unknown): string | undefined;
  PolicyNotApplicable: new () => { setPolicyName(n: string): void; setReason(r: string): void };
}

function loadSdk(): Sdk | undefined {
  try {
    const dir = path.dirname(require.resolve('@pulumi/policy'));
    const from = (m: string) => require(path.join(dir, m));
    const pb = require(require.resolve('@pulumi/pulumi/proto/analyzer_pb', { paths: [dir] }));
    const { deserializeProperties } = from('deserialize');
    const { unknownCheckingProxy, UnknownValueError } = from('proxy');
    const { makeAnalyzeResponse, asGrpcError, convertEnforcementLevel } = from('protoutil');
    const { isResourcePolicy, getPulumiType } = from('policy');
    const sdk: Sdk = {
      deserializeProperties,
      unknownCheckingProxy,
      UnknownValueError,
      makeAnalyzeResponse,
      asGrpcError,
      convertEnforcementLevel,
      isResourcePolicy,
      getPulumiType,
      PolicyNotApplicable: pb.PolicyNotApplicable,
    };
    return Object.values(sdk).every((f) => typeof f === 'function') ? sdk : undefined;
  } catch {
    return undefined;
  }
}

/** What `args.notApplicable(reason)` throws (the SDK's own class is not exported). */
class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason);
  }
}

/** The SDK's `getResourceOptions`, once per request. */
function resourceOptions(r: AnalyzeRequest): ResourceValidationArgs['opts'] {
  const opts = r.getOptions();
  if (!opts) {
    throw new Error(
      'A more recent version of the Pulumi CLI is required. ' +
        'To upgrade, see https://www.pulumi.com/docs/get-started/install/',
    );
  }
  const timeouts = opts.getCustomtimeouts();
  const result: ResourceValidationArgs['opts'] = {
    protect: opts.getProtect(),
    ignoreChanges: opts.getIgnorechangesList(),
    aliases: opts.getAliasesList(),
    customTimeouts: {
      createSeconds: timeouts?.getCreate() ?? 0.0,
      updateSeconds: timeouts?.getUpdate() ?? 0.0,
      deleteSeconds: timeouts?.getDelete() ?? 0.0,
    },
    additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
  };
  if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
  if (opts.getParent()) result.parent = opts.getParent();
  return result;
}

/** The pack an Analyze handler serves. */
export interface LeanAnalyzeOptions {
  /** The name the `PolicyPack` was constructed with, as diagnostics carry it. */
  packName: string;
  /** The version the SDK reads from the working directory's package.json. */
  packVersion: string;
  /** The pack-wide enforcement level (`PolicyPackArgs.enforcementLevel`, default advisory). */
  packEnforcement: EnforcementLevel;
  /** The policies the `PolicyPack` serves, in the same order. */
  policies: readonly Policy[];
}

/** The parts of a Configure request read here (analyzer_pb.ConfigureAnalyzerRequest). */
export interface ConfigureRequest {
  getPolicyconfigMap(): {
    entries(): Iterable<
      [string, { getProperties(): { toJavaScript(): unknown } | undefined; getEnforcementlevel(): number }]
    >;
  };
}
/** The parts of a ConfigureStack request read here (analyzer_pb.AnalyzerStackConfigureRequest). */
export interface ConfigureStackRequest {
  getTagsMap(): { forEach(f: (value: string, key: string) => void): void };
}

/** Serves Analyze; told of Configure and ConfigureStack by the caller, which still lets the SDK answer them. */
export interface LeanAnalyzer {
  analyze: AnalyzeHandler;
  /** Takes the policies' config from a Configure request, as the SDK's `configure` does. */
  configure(request: ConfigureRequest): void;
  /** Takes the stack's tags from a ConfigureStack request. */
  configureStack(request: ConfigureStackRequest): void;
}

/**
 * An Analyze handler equivalent to the SDK's for `options.policies`, or `undefined` when the
 * installed `@pulumi/policy` lacks a module it needs.
 */
export function leanAnalyze(options: LeanAnalyzeOptions): LeanAnalyzer | undefined {
  const sdk = loadSdk();
  if (!sdk) return undefined;
  const { packName, packVersion, packEnforcement, policies } = options;
  const pack = `'${packName}@v${packVersion}'`;
  let packConfig: PolicyPackConfig = {};
  let tags: ReadonlyMap<string, string> = new Map();
  const state: ArgsState = { sdk, config: () => packConfig, stackTags: () => tags };

  const run = async (req: AnalyzeRequest): Promise<unknown> => {
    const type = req.getType();
    const ds: Diagnostic[] = [];
    let notApplicable: unknown[] | undefined;
    const skip = (name: string, reason?: string) => {
      const na = new sdk.PolicyNotApplicable();
      na.setPolicyName(name);
      if (reason) na.setReason(reason);
      notApplicable ??= [];
      notApplicable.push(na);
    };
    const config = packConfig;
    let opts: ResourceValidationArgs['opts'] | undefined;
    for (const p of policies) {
      let level = config[p.name]?.enforcementLevel || p.enforcementLevel || packEnforcement;
      if (level === 'disabled' || !sdk.isResourcePolicy(p)) continue;
      const validateResource = (p as ResourceValidationPolicy).validateResource;
      if (!validateResource) {
        skip(p.name, 'Policy does not implement validateResource');
        continue;
      }
      if (level === 'remediate') level = 'mandatory';
      if (!Array.isArray(validateResource)) {
        const pulumiType = sdk.getPulumiType(validateResource);
        if (pulumiType && type !== pulumiType) {
          skip(p.name, `Policy only applies to resources of type '${pulumiType}'`);
          continue;
        }
      }
      const report = reporter(p, packName, packVersion, level, ds);
      for (const validation of Array.isArray(validateResource) ? validateResource : [validateResource]) {
        try {
          opts ??= resourceOptions(req);
          const args = new PolicyArgs(state, req, type, opts, p.name) as unknown as ResourceValidationArgs;
          const result = validation(args, report);
          if (result && typeof (result as Promise<void>).then === 'function') await result;
        } catch (e) {
          const from = `policy '${p.name}' from policy pack ${pack}`;
          if (e instanceof sdk.UnknownValueError) {
            const { validateResource: _v, name, ...rest } = p as ResourceValidationPolicy;
            ds.push({
              policyName: name,
              policyPackName: packName,
              policyPackVersion: packVersion,
              message: `can't run ${from} during preview: ${e.message}`,
              ...rest,
              enforcementLevel: 'advisory',
            } as Diagnostic);
          } else if (e instanceof NotApplicable) {
            skip(p.name, e.reason);
          } else {
            throw sdk.asGrpcError(e, `Error validating resource with ${from}`);
          }
        }
      }
    }
    return sdk.makeAnalyzeResponse(ds, notApplicable);
  };

  return {
    analyze: (call, callback) => {
      run(call.request).then(
        (response) => callback(undefined, response),
        (err) => callback(err, undefined),
      );
    },
    configure(request) {
      const config: PolicyPackConfig = {};
      for (const [name, v] of request.getPolicyconfigMap().entries()) {
        const props = (v.getProperties()?.toJavaScript() ?? {}) as PolicyPackConfig[string];
        props.enforcementLevel = sdk.convertEnforcementLevel(v.getEnforcementlevel());
        config[name] = props;
      }
      packConfig = config;
    },
    configureStack(request) {
      const map = new Map<string, string>();
      request.getTagsMap().forEach((value, key) => {
        map.set(key, value);
      });
      tags = map;
    },
  };
}

/** What every policy's args read besides the request. */
interface ArgsState {
  sdk: Sdk;
  config(): PolicyPackConfig;
  stackTags(): ReadonlyMap<string, string>;
}

/** The SDK's `makeReportViolationFun`. */
function reporter(
  p: Policy,
  packName: string,
  packVersion: string,
  enforcementLevel: EnforcementLevel,
  ds: Diagnostic[],
) {
  const { name, description, severity } = p;
  return (message?: unknown, urn?: string) => {
    if (typeof message === 'object' && message !== null) {
      const v = message as Partial<Diagnostic> & { name?: string };
      ds.push({
        policyName: v.name || name,
        policyPackName: packName,
        policyPackVersion: packVersion,
        message: v.message || v.description || description || '',
        urn: v.urn,
        description: v.description || description,
        enforcementLevel: v.enforcementLevel || enforcementLevel,
        severity: v.severity || severity,
      });
    } else {
      ds.push({
        policyName: name,
        policyPackName: packName,
        policyPackVersion: packVersion,
        message: message ? `${description}\n${message}` : (description as string),
        urn,
        description,
        enforcementLevel,
        severity,
      });
    }
  };
}

/**
 * One policy's validation args. `props` and `provider` are deserialized when first read, as the
 * SDK would have deserialized them for this policy; `opts` is shared by the request's policies.
 * A class, so that the 50 policies of a request cost one small object each.
 */
class PolicyArgs {
  #props: Record<string, unknown> | undefined;
  #provider: ResourceValidationArgs['provider'] | undefined;
  readonly urn: string;
  readonly name: string;
  readonly stackTags: ReadonlyMap<string, string>;

  constructor(
    private readonly state: ArgsState,
    private readonly req: AnalyzeRequest,
    readonly type: string,
    readonly opts: ResourceValidationArgs['opts'],
    private readonly policyName: string,
  ) {
    this.urn = req.getUrn();
    this.name = req.getName();
    this.stackTags = state.stackTags();
  }

  get props(): Record<string, unknown> {
    this.#props ??= this.state.sdk.unknownCheckingProxy(
      this.state.sdk.deserializeProperties(this.req.getProperties(), false),
    );
    return this.#props;
  }

  get provider(): ResourceValidationArgs['provider'] {
    const provider = this.req.getProvider();
    if (!provider) return undefined;
    this.#provider ??= {
      type: provider.getType(),
      props: this.state.sdk.unknownCheckingProxy(
        this.state.sdk.deserializeProperties(provider.getProperties(), false),
      ),
      urn: provider.getUrn(),
      name: provider.getName(),
    };
    return this.#provider;
  }

  isType(cls: { isInstance?: unknown }): boolean {
    return isTypeOf(this.state.sdk, this.type, cls);
  }

  asType(cls: { isInstance?: unknown }): Record<string, unknown> | undefined {
    return this.isType(cls) ? this.props : undefined;
  }

  getConfig(): Record<string, unknown> {
    const c = this.state.config()[this.policyName];
    if (!c) return {};
    const { enforcementLevel: _e, ...rest } = c;
    return rest;
  }

  notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
  }
}

/** The SDK's `isTypeOf`. */
function isTypeOf(sdk: Sdk, type: string, cls: { isInstance?: unknown }): boolean {
  const pulumiType = sdk.getPulumiType(cls);
  if (pulumiType) return type === pulumiType;
  const isInstance = cls.isInstance as ((o: unknown) => boolean) | undefined;
  return typeof isInstance === 'function' && isInstance({ __pulumiType: type }) === true;
}
