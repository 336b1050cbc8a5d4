/**
 * Run a Pulumi program in-process under `pulumi.runtime.setMocks` and get back every resource it
 * registered, with the inputs the engine would have received.
 *
 * How values arrive in {@link RegisteredResource.inputs} (exactly as Pulumi's mock monitor
 * deserializes them; Bulkhead's adapters read all of these):
 * - secrets: `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`
 *   wrappers. A list holding a secret is wrapped as a whole.
 * - unknowns (outputs of other resources during a preview, `preview: true`): Pulumi's
 *   `Unknown` object, which has `__pulumiUnknown: true`. Outside a preview they are absent.
 * - resource references: the referenced resource's URN string.
 *
 * Limitations: one program runs at a time per process (the Pulumi runtime state is global; calls
 * are queued). Each call resets the runtime's options, mocks and config. A program given as a
 * module path is re-`require`d fresh under plain Node (its own module only: modules it imports
 * stay cached). Under jest, whose module registry ignores `require.cache`, a path runs only the
 * first time: pass `() => jest.isolateModules(() => require(path))` to run it again.
 * @packageDocumentation
 */
import { type EvaluateOptions, evaluate, fromPulumiResources, type Report } from '@bulkhead/core';
import * as pulumi from '@pulumi/pulumi';

/** One resource the program registered. */
export interface RegisteredResource {
  /** Type token, e.g. `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  urn: string;
  /** URN of the parent resource (the component that created it), when it has one. */
  parent?: string;
  /** False for component resources. */
  custom: boolean;
  /** Inputs as the engine would receive them (secrets and unknowns kept as they arrive). */
  inputs: Record<string, unknown>;
  /** The id the mock gave it; absent for components and in a preview. */
  id?: string;
  /** The state the mock returned: the inputs plus {@link MockRunOptions.outputs}, as the program sees them. */
  state?: Record<string, unknown>;
}

/** Options of {@link runProgramUnderMocks}. */
export interface MockRunOptions {
  /** Default `project`. */
  project?: string;
  /** Default `stack`. */
  stack?: string;
  /** Run as a preview: outputs of resources stay unknown. Default false. */
  preview?: boolean;
  /** Stack config; keys without a namespace get the project's (`port` → `project:port`). */
  config?: Record<string, string>;
  /** Config keys whose values are secret. */
  secretConfigKeys?: string[];
  /**
   * Outputs a mocked resource reports beyond echoing its inputs. By default a custom resource
   * gets the id `<name>-id` and, when it has no `name` input, the name `<name>-mock`; in a preview
   * neither is known.
   */
  outputs?: (r: RegisteredResource) => Record<string, unknown> | undefined;
}

/** A program: a function (loaded after the mocks are set) or the path of a module to `require`. */
export type MockProgram = (() => unknown) | string;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Sets `pulumi.runtime.setMocks`, runs `program`, waits for every registration to finish and
 * returns the registered resources in registration order.
 *
 * A program that throws (or whose returned promise rejects) rejects this call with the same error.
 * An error raised inside an output (for example a component's check of an image only known at
 * deployment time) reaches Pulumi's unhandled-rejection path, as in `pulumi up`: under plain Node
 * this call rejects with it once every registration has settled; under jest, which keeps
 * unhandled rejections to itself, jest fails the running test with it.
 */
export function runProgramUnderMocks(
  program: MockProgram,
  opts: MockRunOptions = {},
): Promise<RegisteredResource[]> {
  const run = queue.then(() => runOnce(program, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(program: MockProgram, opts: MockRunOptions): Promise<RegisteredResource[]> {
  const project = opts.project ?? 'project';
  const stack = opts.stack ?? 'stack';
  const preview = opts.preview ?? false;
  const registered: RegisteredResource[] = [];
  const failures: unknown[] = [];

  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.config ?? {})) config[k.includes(':') ? k : `${project}:${k}`] = v;
  const secretKeys = (opts.secretConfigKeys ?? []).map((k) => (k.includes(':') ? k : `${project}:${k}`));
  pulumi.runtime.setAllConfig(config, secretKeys);

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const r: RegisteredResource = {
          type: args.type,
          name: args.name,
          urn: '',
          custom: args.custom ?? true,
          inputs: args.inputs as Record<string, unknown>,
        };
        registered.push(r);
        const state: Record<string, unknown> = { ...args.inputs, ...opts.outputs?.(r) };
        r.state = state;
        // As in a real preview, a new resource's id and computed outputs are not known yet.
        if (preview || !r.custom) return { id: undefined, state };
        if (state.name === undefined) state.name = `${args.name}-mock`;
        r.id = `${args.name}-id`;
        return { id: r.id, state };
      },
      call(args) {
        return args.inputs;
      },
    },
    project,
    stack,
    preview,
  );

  // The mock monitor does not hand the parent to `newResource`; read it (and the URN) from the
  // request. `newResource` runs synchronously at the start of the monitor's `registerResource`.
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
  if (monitor && typeof monitor.registerResource === 'function' && typeof monitor.newUrn === 'function') {
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      const before = registered.length;
      const result = original(req, callback);
      const r = registered[before];
      if (r) {
        const parent = req.getParent();
        if (parent) r.parent = parent;
        r.urn = monitor.newUrn(parent, req.getType(), req.getName());
      }
      return result;
    };
  }

  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const fn = typeof program === 'string' ? loadModule(program) : program;
    await fn();
    await waitForRegistrations();
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  for (const r of registered) {
    if (!r.urn) r.urn = mockUrn(stack, project, r);
  }
  if (failures.length > 0) throw failures[0];
  return registered;
}

interface MonitorLike {
  registerResource(
    req: { getParent(): string; getType(): string; getName(): string },
    callback: unknown,
  ): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

function loadModule(path: string): () => unknown {
  const resolved = require.resolve(path, { paths: [process.cwd()] });
  delete require.cache[resolved];
  return () => {
    const mod = require(resolved) as unknown;
    const fn = (mod as { default?: unknown }).default;
    return typeof fn === 'function' ? (fn as () => unknown)() : mod;
  };
}

async function waitForRegistrations(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  // Registrations chain promises onto each other; settle the microtask queue, then the RPC queue,
  // until no new work appears.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    if (runtime.waitForRPCs) await runtime.waitForRPCs();
  }
}

function mockUrn(stack: string, project: string, r: RegisteredResource): string {
  return `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;
}

/**
 * Core's report for the resources a program registered (containers and networks; other types are
 * ignored by the adapter). Component exception labels count as exemptions.
 */
export function findingsFor(resources: readonly RegisteredResource[], options: EvaluateOptions = {}): Report {
  const set = fromPulumiResources(
    resources.map((r) => {
      const out: {
        type: string;
        name: string;
        urn?: string;
        parent?: string;
        props: Record<string, unknown>;
      } = {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.inputs,
      };
      if (r.parent) out.parent = r.parent;
      return out;
    }),
  );
  return evaluate(set, { profile: 'restricted', ...options });
}
