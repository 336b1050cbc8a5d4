import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as analyzerrpc from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import * as analyzerproto from '@pulumi/pulumi/proto/analyzer_pb.js';
import * as emptyproto from 'google-protobuf/google/protobuf/empty_pb.js';
import * as structproto from 'google-protobuf/google/protobuf/struct_pb.js';
import { type ReconciledPolicyConfig, reconcileConfig } from './config.js';
import { type FakeEngine, startEngine } from './engine.js';
import type {
  AnalyzeResult,
  AnalyzerInfo,
  EnforcementLevel,
  LogEntry,
  NotApplicable,
  PolicyInfo,
  PolicyPackConfig,
  PolicySeverity,
  PreviewResult,
  RemediateResult,
  Remediation,
  ResourceInput,
  Violation,
} from './types.js';
import { makeUrn, STACK_TYPE, stackUrn } from './urn.js';
import { decodeValue, encodeValue } from './values.js';

/** Options of {@link startPolicyPack}. */
export interface StartOptions {
  /** Policy config, as in a `--policy-pack-config` file. Sent with Configure after reconciliation. */
  config?: PolicyPackConfig;
  /** The stack the "engine" runs: sent with ConfigureStack and as `PULUMI_*` variables. */
  stack?: {
    name?: string;
    project?: string;
    organization?: string;
    /** True for `pulumi preview` (default), false for `pulumi up`. */
    dryRun?: boolean;
    tags?: Record<string, string>;
    /** Stack config (`project:key` → value). */
    config?: Record<string, string>;
    configSecretKeys?: string[];
  };
  /** Extra environment variables for the pack process. */
  env?: Record<string, string>;
  /** Extra `node` arguments (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /**
   * Also point `PULUMI_NODEJS_ENGINE` at the fake engine so `@pulumi/pulumi`'s `log.*` calls from
   * policy code arrive through the Log RPC. The real CLI passes the address only as an argument,
   * which `run-policy-pack` ignores, so under the CLI those calls print to stdout. Default true.
   */
  logToEngine?: boolean;
  /** Time allowed for the pack to print its port. Default 60 s. */
  startTimeoutMs?: number;
  /** Deadline of each RPC. Default 60 s. */
  callTimeoutMs?: number;
}

/** The pack could not be started; the message carries the tail of its stderr. */
export class PolicyPackStartError extends Error {
  constructor(
    message: string,
    /** The last lines the pack wrote to stderr. */
    readonly stderrTail: string,
    readonly exitCode: number | null = null,
  ) {
    super(stderrTail ? `${message}\n--- policy pack stderr (tail) ---\n${stderrTail}` : message);
    this.name = 'PolicyPackStartError';
  }
}

/** An analyzer RPC failed (the pack threw, or its process died). */
export class PolicyPackRpcError extends Error {
  constructor(
    readonly method: string,
    /** gRPC status code. */
    readonly code: number,
    readonly details: string,
    readonly stderrTail: string,
  ) {
    super(
      `${method} failed (${grpc.status[code] ?? code}): ${details}` +
        (stderrTail ? `\n--- policy pack stderr (tail) ---\n${stderrTail}` : ''),
    );
    this.name = 'PolicyPackRpcError';
  }
}

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
  [analyzerproto.EnforcementLevel.ADVISORY]: 'advisory',
  [analyzerproto.EnforcementLevel.MANDATORY]: 'mandatory',
  [analyzerproto.EnforcementLevel.DISABLED]: 'disabled',
  [analyzerproto.EnforcementLevel.REMEDIATE]: 'remediate',
};
const LEVEL_CODES: Record<EnforcementLevel, analyzerproto.EnforcementLevel> = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};
const SEVERITY_NAMES: Record<number, PolicySeverity | undefined> = {
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_LOW]: 'low',
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_MEDIUM]: 'medium',
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_HIGH]: 'high',
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_CRITICAL]: 'critical',
};
const POLICY_TYPES: Record<number, PolicyInfo['type']> = {
  [analyzerproto.PolicyType.POLICY_TYPE_RESOURCE]: 'resource',
  [analyzerproto.PolicyType.POLICY_TYPE_STACK]: 'stack',
};

const STDERR_TAIL_BYTES = 8192;
const live = new Set<PolicyPackHandle>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave a pack process behind when the test process exits.
  process.on('exit', () => {
    for (const h of live) h.killNow();
  });
}

function readRuntime(dir: string): string {
  const file = path.join(dir, 'PulumiPolicy.yaml');
  if (!existsSync(file)) {
    throw new PolicyPackStartError(`${dir} is not a policy pack: PulumiPolicy.yaml is missing`, '');
  }
  const text = readFileSync(file, 'utf8');
  const m = /^runtime:\s*(?:\n\s+name:\s*)?["']?([A-Za-z]+)/m.exec(text);
  if (!m) throw new PolicyPackStartError(`${file}: no runtime is declared (expected "runtime: nodejs")`, '');
  return m[1]!;
}

function resolveRunner(dir: string): string {
  try {
    const pkg = require.resolve('@pulumi/pulumi/package.json', { paths: [dir] });
    return path.join(path.dirname(pkg), 'cmd', 'run-policy-pack');
  } catch {
    throw new PolicyPackStartError(
      `it looks like the policy pack's dependencies are not installed; @pulumi/pulumi cannot be resolved ` +
        `from ${dir} (run npm install there)`,
      '',
    );
  }
}

/**
 * Starts the policy pack in `dir` the way `pulumi preview --policy-pack <dir>` does and speaks the
 * analyzer protocol to it: `node <@pulumi/pulumi>/cmd/run-policy-pack <engine> .` in the pack
 * directory, then Handshake → ConfigureStack → GetAnalyzerInfo → Configure.
 *
 * Always close the handle (`await pack.close()` in `finally`/`afterAll`, or `await using`).
 * @throws {@link PolicyPackStartError} with the pack's stderr tail when it does not start.
 */
export async function startPolicyPack(dir: string, options: StartOptions = {}): Promise<PolicyPackHandle> {
  const packDir = path.resolve(dir);
  const runtime = readRuntime(packDir);
  if (runtime.toLowerCase() !== 'nodejs') {
    throw new PolicyPackStartError(`${packDir}: runtime "${runtime}" is not supported (only nodejs)`, '');
  }
  const runner = resolveRunner(packDir);
  const stack = {
    name: options.stack?.name ?? 'dev',
    project: options.stack?.project ?? 'bulkhead-harness',
    organization: options.stack?.organization ?? 'organization',
    dryRun: options.stack?.dryRun ?? true,
    tags: options.stack?.tags ?? {},
    config: options.stack?.config ?? {},
    configSecretKeys: options.stack?.configSecretKeys ?? [],
  };
  const logs: LogEntry[] = [];
  const rootUrn = stackUrn(stack.name, stack.project);
  let onLog: (entry: LogEntry) => void = (entry) => logs.push(entry);
  const engine = await startEngine(rootUrn, (entry) => onLog(entry));

  const env: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_NODEJS_ORGANIZATION: stack.organization,
    PULUMI_NODEJS_PROJECT: stack.project,
    PULUMI_NODEJS_STACK: stack.name,
    PULUMI_NODEJS_DRY_RUN: String(stack.dryRun),
    PULUMI_ORGANIZATION: stack.organization,
    PULUMI_PROJECT: stack.project,
    PULUMI_STACK: stack.name,
    PULUMI_DRY_RUN: String(stack.dryRun),
    ...options.env,
  };
  if (Object.keys(stack.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(stack.config);
  if (options.logToEngine ?? true) env.PULUMI_NODEJS_ENGINE = engine.address;
  // Jest and other runners set these; a pack must not inherit a test runner's module hooks, and
  // colour codes would garble the stderr tail in error messages.
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  Object.assign(env, options.env);

  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), runner, engine.address, '.'], {
    cwd: packDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = new PolicyPackHandle(packDir, child, engine, logs, stack, rootUrn, options.callTimeoutMs);
  onLog = (entry) => handle.record(entry);
  live.add(handle);
  installExitHook();

  let port: number;
  try {
    port = await handle.waitForPort(options.startTimeoutMs ?? 60_000);
  } catch (e) {
    await handle.close();
    throw e;
  }
  handle.startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  try {
    await handle.connect(port, options.config);
  } catch (e) {
    await handle.close();
    if (e instanceof PolicyPackRpcError || e instanceof PolicyPackStartError) throw e;
    throw new PolicyPackStartError(
      `policy pack in ${packDir} started but could not be configured: ${(e as Error).message}`,
      handle.stderrTail(),
    );
  }
  return handle;
}

/** Runs `fn` against a started pack and always closes it. */
export async function withPolicyPack<T>(
  dir: string,
  options: StartOptions,
  fn: (pack: PolicyPackHandle) => Promise<T>,
): Promise<T> {
  const pack = await startPolicyPack(dir, options);
  try {
    return await fn(pack);
  } finally {
    await pack.close();
  }
}

type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  opts: Partial<grpc.CallOptions>,
  cb: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

/** A running policy pack. Created by {@link startPolicyPack}. */
export class PolicyPackHandle {
  /** Milliseconds from spawning the process until it printed its port. */
  startupMs = 0;
  /** Whether the pack implemented Handshake / ConfigureStack (older SDKs do not). */
  readonly protocol = { handshake: false, configureStack: false };
  /** The config sent with Configure, by policy name. */
  configured = new Map<string, ReconciledPolicyConfig>();

  #client: analyzerrpc.AnalyzerClient | undefined;
  #info: AnalyzerInfo | undefined;
  #stderr = '';
  #stdoutBuf = '';
  #stderrBuf = '';
  #exit: Promise<void>;
  #exitCode: number | null = null;
  #exited = false;
  #closing: Promise<void> | undefined;
  readonly #callTimeoutMs: number;

  /** @internal */
  constructor(
    /** Absolute pack directory. */
    readonly dir: string,
    readonly child: ChildProcess,
    readonly engine: FakeEngine,
    /** Everything the pack logged: Log RPCs and stdout/stderr lines after the port. */
    readonly logs: LogEntry[],
    readonly stack: { name: string; project: string; organization: string; dryRun: boolean },
    /** URN of the stack's root resource; the default parent of analyzed resources. */
    readonly rootUrn: string,
    callTimeoutMs = 60_000,
  ) {
    this.#callTimeoutMs = callTimeoutMs;
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exited = true;
        this.#exitCode = code ?? (signal ? 128 : null);
        resolve();
      });
      child.once('error', (err) => {
        this.#stderr += `\n${err.message}`;
        this.#exited = true;
        resolve();
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + stripAnsi(chunk)).slice(-STDERR_TAIL_BYTES * 4);
      this.#stderrBuf += chunk;
      let nl = this.#stderrBuf.indexOf('\n');
      while (nl >= 0) {
        const line = this.#stderrBuf.slice(0, nl);
        this.#stderrBuf = this.#stderrBuf.slice(nl + 1);
        if (line) this.logs.push({ source: 'stderr', severity: 'output', message: line });
        nl = this.#stderrBuf.indexOf('\n');
      }
    });
  }

  /** @internal Records a log entry; errors and warnings also go into the stderr transcript. */
  record(entry: LogEntry): void {
    this.logs.push(entry);
    if (entry.severity === 'error' || entry.severity === 'warning') {
      this.#stderr = `${this.#stderr}[engine log ${entry.severity}] ${stripAnsi(entry.message)}\n`.slice(
        -STDERR_TAIL_BYTES * 4,
      );
    }
  }

  /**
   * Waits until the pack logged an entry matching `predicate` (log calls reach the engine
   * asynchronously, often after the RPC that caused them has answered).
   */
  async waitForLog(predicate: (entry: LogEntry) => boolean, timeoutMs = 5000): Promise<LogEntry> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.logs.find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`the pack logged no matching entry within ${timeoutMs} ms`);
      await delay(20);
    }
  }

  /** The last few KB the pack wrote to stderr, with the errors and warnings it logged to the engine. */
  stderrTail(): string {
    return this.#stderr.slice(-STDERR_TAIL_BYTES).trimEnd();
  }

  /** Process id of the pack. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** @internal Resolves with the port the pack prints as its first stdout line. */
  waitForPort(timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | undefined, port?: number) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(port!);
      };
      const timer = setTimeout(
        () =>
          finish(
            new PolicyPackStartError(
              `policy pack in ${this.dir} did not print its port within ${timeoutMs} ms`,
              this.stderrTail(),
            ),
          ),
        timeoutMs,
      );
      const stdout = this.child.stdout!;
      stdout.setEncoding('utf8');
      let first: string | undefined;
      stdout.on('data', (chunk: string) => {
        this.#stdoutBuf += chunk;
        let nl = this.#stdoutBuf.indexOf('\n');
        while (nl >= 0) {
          const line = this.#stdoutBuf.slice(0, nl).trim();
          this.#stdoutBuf = this.#stdoutBuf.slice(nl + 1);
          if (first === undefined) {
            first = line;
            const port = Number(line);
            if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
              finish(
                new PolicyPackStartError(
                  `policy pack in ${this.dir} printed "${line.slice(0, 200)}" where the engine expects its port ` +
                    `as the first line of stdout (print nothing before the PolicyPack is constructed)`,
                  this.stderrTail(),
                ),
              );
            } else finish(undefined, port);
          } else if (line) {
            this.logs.push({ source: 'stdout', severity: 'output', message: line });
          }
          nl = this.#stdoutBuf.indexOf('\n');
        }
      });
      void this.#exit.then(() => {
        // Let stderr drain before reporting.
        setTimeout(
          () =>
            finish(
              new PolicyPackStartError(
                `policy pack in ${this.dir} exited (code ${this.#exitCode}) before printing its port`,
                this.stderrTail(),
                this.#exitCode,
              ),
            ),
          50,
        );
      });
    });
  }

  /** @internal Connects and runs the start-up sequence. */
  async connect(port: number, config: PolicyPackConfig | undefined): Promise<void> {
    this.#client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 400 * 1024 * 1024,
    });
    const client = this.#client;
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + this.#callTimeoutMs, (err) => (err ? reject(err) : resolve())),
    );

    const hs = new analyzerproto.AnalyzerHandshakeRequest()
      .setEngineAddress(this.engine.address)
      .setRootDirectory(this.dir)
      .setProgramDirectory(this.dir);
    this.protocol.handshake = await this.#optional('Handshake', client.handshake, hs);

    const cs = new analyzerproto.AnalyzerStackConfigureRequest()
      .setStack(this.stack.name)
      .setProject(this.stack.project)
      .setOrganization(this.stack.organization)
      .setDryRun(this.stack.dryRun);
    this.protocol.configureStack = await this.#optional('ConfigureStack', client.configureStack, cs);

    this.#info = decodeInfo(
      await this.#call('GetAnalyzerInfo', client.getAnalyzerInfo, new emptyproto.Empty()),
    );
    await this.configure(config);
  }

  /**
   * Reconciles `config` with the pack's defaults and sends Configure, as the CLI does at start.
   * Call again to reconfigure a running pack.
   */
  async configure(config: PolicyPackConfig | undefined): Promise<void> {
    const info = this.#info!;
    this.configured = reconcileConfig(info, config);
    if (this.configured.size === 0) return;
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of this.configured) {
      map.set(
        name,
        new analyzerproto.PolicyConfig()
          .setEnforcementlevel(LEVEL_CODES[c.enforcementLevel])
          .setProperties(structproto.Struct.fromJavaScript(toStructJs(c.properties))),
      );
    }
    await this.#call('Configure', this.#client!.configure, req);
  }

  /** The pack's self-description, as fetched at start-up. */
  async info(): Promise<AnalyzerInfo> {
    return this.#info!;
  }

  /** Analyzes one resource's inputs; returns its violations. */
  async analyze(resource: ResourceInput): Promise<Violation[]> {
    return (await this.analyzeDetailed(resource)).violations;
  }

  /** Analyzes one resource's inputs; returns violations and not-applicable policies. */
  async analyzeDetailed(resource: ResourceInput): Promise<AnalyzeResult> {
    const req = this.#analyzeRequest(resource, true);
    return decodeAnalyze(await this.#call('Analyze', this.#client!.analyze, req));
  }

  /** Runs the stack policies over every resource (parents and dependencies resolved by URN). */
  async analyzeStack(resources: readonly ResourceInput[]): Promise<Violation[]> {
    return (await this.analyzeStackDetailed(resources)).violations;
  }

  /** Like {@link analyzeStack}, with not-applicable policies. */
  async analyzeStackDetailed(resources: readonly ResourceInput[]): Promise<AnalyzeResult> {
    const req = new analyzerproto.AnalyzeStackRequest();
    for (const r of resources) {
      const ar = new analyzerproto.AnalyzerResource()
        .setType(r.type)
        .setName(r.name)
        .setUrn(this.urnOf(r))
        .setProperties(propsStruct(r.properties, true))
        .setOptions(resourceOptions(r, this.parentOf(r)))
        .setParent(this.parentOf(r))
        .setDependenciesList(r.dependencies ?? []);
      if (r.provider) ar.setProvider(this.#provider(r.provider));
      const deps = ar.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length > 0) deps.set(k, new analyzerproto.AnalyzerPropertyDependencies().setUrnsList(urns));
      }
      req.addResources(ar);
    }
    return decodeAnalyze(await this.#call('AnalyzeStack', this.#client!.analyzeStack, req));
  }

  /** Runs the `remediate`-level policies over one resource and returns the transformed properties. */
  async remediate(resource: ResourceInput): Promise<RemediateResult> {
    const req = this.#analyzeRequest(resource, false);
    const res = await this.#call('Remediate', this.#client!.remediate, req);
    let properties = resource.properties ?? {};
    const remediations: Remediation[] = res.getRemediationsList().map((r) => {
      const out: Remediation = {
        policyName: r.getPolicyname(),
        policyPackName: r.getPolicypackname(),
        policyPackVersion: r.getPolicypackversion(),
        description: r.getDescription(),
      };
      const props = r.getProperties();
      if (props) {
        out.properties = decodeValue(props.toJavaScript()) as Record<string, unknown>;
        properties = out.properties;
      }
      if (r.getDiagnostic()) out.diagnostic = r.getDiagnostic();
      return out;
    });
    return { remediations, notApplicable: decodeNotApplicable(res.getNotApplicableList()), properties };
  }

  /**
   * Does what the engine does for these resources in a preview: per resource Remediate, then
   * Analyze on the remediated inputs; then AnalyzeStack over all of them and the root stack.
   */
  async preview(resources: readonly ResourceInput[]): Promise<PreviewResult> {
    const violations: Violation[] = [];
    const remediations: Remediation[] = [];
    const properties = new Map<string, Record<string, unknown>>();
    const finals: ResourceInput[] = [
      { type: STACK_TYPE, name: `${this.stack.project}-${this.stack.name}`, urn: this.rootUrn, parent: '' },
    ];
    for (const r of resources) {
      const rem = await this.remediate(r);
      remediations.push(...rem.remediations);
      const final = { ...r, urn: this.urnOf(r), properties: rem.properties };
      properties.set(final.urn, rem.properties);
      violations.push(...(await this.analyze(final)));
      finals.push(final);
    }
    violations.push(...(await this.analyzeStack(finals)));
    return { violations, remediations, properties };
  }

  /** The URN a resource input gets (its own, or the one Pulumi would build). */
  urnOf(r: ResourceInput): string {
    return (
      r.urn ??
      makeUrn(r.type, r.name, {
        stack: this.stack.name,
        project: this.stack.project,
        parent: this.parentOf(r),
      })
    );
  }

  /** The parent URN a resource input gets (its own, or the stack root). */
  parentOf(r: ResourceInput): string {
    return r.parent ?? (r.type === STACK_TYPE ? '' : this.rootUrn);
  }

  #analyzeRequest(r: ResourceInput, skipInternalKeys: boolean): analyzerproto.AnalyzeRequest {
    const req = new analyzerproto.AnalyzeRequest()
      .setType(r.type)
      .setName(r.name)
      .setUrn(this.urnOf(r))
      .setProperties(propsStruct(r.properties, skipInternalKeys))
      .setOptions(resourceOptions(r, this.parentOf(r)));
    if (r.provider) req.setProvider(this.#provider(r.provider));
    return req;
  }

  #provider(p: NonNullable<ResourceInput['provider']>): analyzerproto.AnalyzerProviderResource {
    return new analyzerproto.AnalyzerProviderResource()
      .setType(p.type)
      .setName(p.name)
      .setUrn(p.urn ?? makeUrn(p.type, p.name, { stack: this.stack.name, project: this.stack.project }))
      .setProperties(propsStruct(p.properties, true));
  }

  async #optional<Req>(method: string, fn: Unary<Req, unknown>, req: Req): Promise<boolean> {
    try {
      await this.#call(method, fn, req);
      return true;
    } catch (e) {
      if (e instanceof PolicyPackRpcError && e.code === grpc.status.UNIMPLEMENTED) return false;
      throw e;
    }
  }

  #call<Req, Res>(method: string, fn: Unary<Req, Res>, req: Req): Promise<Res> {
    const client = this.#client;
    if (!client || this.#closing) {
      return Promise.reject(new Error(`${method}: the policy pack in ${this.dir} is closed`));
    }
    return new Promise<Res>((resolve, reject) => {
      fn.call(
        client,
        req,
        new grpc.Metadata(),
        { deadline: Date.now() + this.#callTimeoutMs },
        (err: grpc.ServiceError | null, res: Res) => {
          if (!err) return resolve(res);
          // When the process died, give stderr a moment to drain so the tail explains why.
          const wait = this.#exited ? Promise.resolve() : Promise.race([this.#exit, delay(100)]);
          void wait.then(() => {
            const exited = this.#exited ? ` (the pack exited with code ${this.#exitCode})` : '';
            reject(new PolicyPackRpcError(method, err.code, `${err.details}${exited}`, this.stderrTail()));
          });
        },
      );
    });
  }

  /** @internal Kills the process synchronously (process exit hook). */
  killNow(): void {
    if (!this.#exited) this.child.kill('SIGKILL');
  }

  /** Stops the pack process and the fake engine. Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#client?.close();
      if (!this.#exited) {
        this.child.kill('SIGTERM');
        await Promise.race([this.#exit, delay(2000)]);
        if (!this.#exited) {
          this.child.kill('SIGKILL');
          await this.#exit;
        }
      }
      await this.engine.close();
      live.delete(this);
    })();
    return this.#closing;
  }

  /** `await using pack = await startPolicyPack(dir)` closes the pack at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;

function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function toStructJs(props: Record<string, unknown> | undefined, skipInternalKeys = false) {
  const enc = encodeValue(props ?? {}, '', skipInternalKeys);
  return (enc ?? {}) as Parameters<typeof structproto.Struct.fromJavaScript>[0];
}

function propsStruct(props: Record<string, unknown> | undefined, skipInternalKeys: boolean) {
  return structproto.Struct.fromJavaScript(toStructJs(props, skipInternalKeys));
}

function resourceOptions(r: ResourceInput, parent: string): analyzerproto.AnalyzerResourceOptions {
  const o = r.options ?? {};
  const opts = new analyzerproto.AnalyzerResourceOptions()
    .setProtect(o.protect ?? false)
    .setIgnorechangesList(o.ignoreChanges ?? [])
    .setDeletebeforereplace(o.deleteBeforeReplace ?? false)
    .setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined)
    .setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? [])
    .setAliasesList(o.aliases ?? [])
    .setCustomtimeouts(
      new analyzerproto.AnalyzerResourceOptions.CustomTimeouts()
        .setCreate(o.customTimeouts?.create ?? 0)
        .setUpdate(o.customTimeouts?.update ?? 0)
        .setDelete(o.customTimeouts?.delete ?? 0),
    );
  if (parent) opts.setParent(parent);
  return opts;
}

function decodeNotApplicable(list: analyzerproto.PolicyNotApplicable[]): NotApplicable[] {
  return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

function decodeAnalyze(res: analyzerproto.AnalyzeResponse): AnalyzeResult {
  const violations = res.getDiagnosticsList().map((d) => {
    const v: Violation = {
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] ?? 'advisory',
    };
    const severity = SEVERITY_NAMES[d.getSeverity()];
    if (severity) v.severity = severity;
    if (d.getUrn()) v.urn = d.getUrn();
    return v;
  });
  return { violations, notApplicable: decodeNotApplicable(res.getNotApplicableList()) };
}

function decodeInfo(ai: analyzerproto.AnalyzerInfo): AnalyzerInfo {
  const policies = ai.getPoliciesList().map((p) => {
    const info: PolicyInfo = {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      message: p.getMessage(),
      enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()] ?? 'advisory',
      type: POLICY_TYPES[p.getPolicyType()] ?? 'unknown',
      tags: p.getTagsList(),
      remediationSteps: p.getRemediationSteps(),
      url: p.getUrl(),
    };
    const severity = SEVERITY_NAMES[p.getSeverity()];
    if (severity) info.severity = severity;
    const fw = p.getFramework();
    if (fw) {
      info.framework = {
        name: fw.getName(),
        version: fw.getVersion(),
        reference: fw.getReference(),
        specification: fw.getSpecification(),
      };
    }
    const schema = p.getConfigschema();
    if (schema) {
      info.configSchema = {
        properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        required: schema.getRequiredList(),
      };
    }
    return info;
  });
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const initialConfig: AnalyzerInfo['initialConfig'] = {};
  for (const [k, v] of ai.getInitialconfigMap().entries()) {
    initialConfig[k] = {
      enforcementLevel: LEVEL_NAMES[v.getEnforcementlevel()] ?? 'advisory',
      properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    };
  }
  return {
    name: ai.getName(),
    displayName: ai.getDisplayname(),
    version: ai.getVersion(),
    description: ai.getDescription(),
    supportsConfig: ai.getSupportsconfig(),
    policies,
    initialConfig,
  };
}
