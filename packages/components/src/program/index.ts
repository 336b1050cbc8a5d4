/**
 * Run a Pulumi program in-process under `pulumi.runtime.setMocks` and get back every resource it
 * registered, with the inputs the engine would have received (`@bulkhead/components/program`).
 * `bulkhead validate` runs Pulumi projects through it; the test kit re-exports it for tests.
 *
 * How values arrive in {@link RegisteredResource.inputs} (exactly as Pulumi's mock monitor
 * deserializes them; Bulkhead's adapters read all of these):
 * - secrets: `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`
 *   wrappers. A list holding a secret is wrapped as a whole.
 * - unknowns (outputs of other resources during a preview, `preview: true`): Pulumi's
 *   `Unknown` object, which has `__pulumiUnknown: true`. Outside a preview they are absent.
 * - resource references: the referenced resource's URN string.
 *
 * Outside a preview, image resources report stand-in digest outputs (see `digestOutputs`); in a
 * preview they stay unknown, and core reads the container's `image` as pinned from the recorded
 * property dependencies. Each resource also records its dependencies and the program line that
 * constructed it ({@link RegisteredResource.location}).
 *
 * Limitations: one program runs at a time per process (the Pulumi runtime state is global; calls
 * are queued). Each call resets the runtime's options, mocks and config. A program given as a
 * module path is re-`require`d fresh under plain Node (its own module only: modules it imports
 * stay cached). Under jest, whose module registry ignores `require.cache`, a path runs only the
 * first time: pass `() => jest.isolateModules(() => require(path))` to run it again.
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIGEST_IMAGE_TYPES, type PulumiResourceInput } from '@bulkhead/core';
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
  /** URNs of the resources it depends on (`dependsOn` and every input's), as the engine is told. */
  dependencies?: string[];
  /** Input property → URNs of the resources its value came from. */
  propertyDependencies?: Record<string, string[]>;
  /**
   * Where the program constructed it: the first frame of the call stack the SDK records with the
   * registration that is neither inside `node_modules` nor inside Bulkhead's components (so a
   * `HardenedContainer`'s docker container points at the `new HardenedContainer(...)` line).
   * Mapped through {@link MockRunOptions.mapLocation} when given. Absent when no frame qualifies.
   */
  location?: SourceLocation;
}

/** A position in a program's source (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
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
  /**
   * Maps a position in the code that ran to the source it came from (a TypeScript file run through
   * a transpiler with source maps). Return the position unchanged when there is no map.
   */
  mapLocation?: (location: SourceLocation) => SourceLocation;
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
        const state: Record<string, unknown> = {
          ...args.inputs,
          ...(preview ? {} : digestOutputs(args.type, args.name, args.inputs as Record<string, unknown>)),
          ...opts.outputs?.(r),
        };
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
        recordRequest(r, req, opts.mapLocation);
      }
      return result;
    };
  }

  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  const restoreCallsites = readAnonymousFrames();
  try {
    const fn = typeof program === 'string' ? loadModule(program) : program;
    await fn();
    await waitForRegistrations();
  } finally {
    process.off('unhandledRejection', onRejection);
    restoreCallsites();
  }
  for (const r of registered) {
    if (!r.urn) r.urn = mockUrn(stack, project, r);
  }
  if (failures.length > 0) throw failures[0];
  return registered;
}

/** The parts of a `RegisterResourceRequest` read here (google-protobuf accessors). */
interface RegisterRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
  getDependenciesList?(): string[];
  getPropertydependenciesMap?(): { forEach(fn: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getStacktrace?(): { getFramesList(): { getPc(): SourcePositionMessage | undefined }[] } | undefined;
}

interface SourcePositionMessage {
  getUri(): string;
  getLine(): number;
  getColumn(): number;
}

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: unknown): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

/** A V8 stack frame: `at fn (file:line:col)` or, for an anonymous function, `at file:line:col`. */
const FRAME = /^\s*at (?:.*? \()?(?<file>[^()]+?):(?<line>\d+):(?<column>\d+)\)?$/;

/**
 * The SDK records the call stack of each registration from `Resource.callsites()`, which parses
 * `new Error().stack` but only frames written `at fn (file:line:col)` (`@pulumi/pulumi` 3.270): a
 * constructor called from an arrow function or a callback (`at file:line:col`) gets no position.
 * While a program runs here, `callsites` also reads those frames. Returns the restore function.
 */
function readAnonymousFrames(): () => void {
  const resource = pulumi.Resource as unknown as { callsites?: () => unknown[] };
  const original = resource.callsites;
  if (typeof original !== 'function') return () => undefined;
  resource.callsites = () => {
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.POSITIVE_INFINITY;
      const stack = new Error().stack ?? '';
      return stack
        .split('\n')
        .slice(1)
        .map((frame) => {
          const m = FRAME.exec(frame)?.groups;
          if (!m || m.file === undefined || m.file.startsWith('node:')) return {};
          let file = m.file;
          if (file.startsWith('file:')) {
            try {
              file = fileURLToPath(file);
            } catch {
              return {};
            }
          }
          return { file, line: Number(m.line), column: Number(m.column) };
        });
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  return () => {
    resource.callsites = original;
  };
}

/** Directories whose frames are never the program's: this package's own code. */
const OWN_DIRS = ['dist', 'src'].map((d) => path.join(path.resolve(__dirname, '..', '..'), d) + path.sep);

/** Dependencies and the constructor's call site, from the registration request. */
function recordRequest(
  r: RegisteredResource,
  req: RegisterRequest,
  mapLocation: MockRunOptions['mapLocation'],
): void {
  const deps = req.getDependenciesList?.() ?? [];
  if (deps.length > 0) r.dependencies = [...deps];
  const byProperty: Record<string, string[]> = {};
  let any = false;
  req.getPropertydependenciesMap?.().forEach((v, k) => {
    byProperty[k] = [...v.getUrnsList()];
    any = true;
  });
  if (any) r.propertyDependencies = byProperty;
  const location = callSite(req);
  if (location) r.location = mapLocation ? mapLocation(location) : location;
}

/** The first frame of the registration's stack that is the program's own code. */
function callSite(req: RegisterRequest): SourceLocation | undefined {
  const frames = req.getStacktrace?.()?.getFramesList() ?? [];
  for (const frame of frames) {
    const pc = frame.getPc();
    if (!pc) continue;
    const uri = pc.getUri();
    if (!uri.startsWith('file:')) continue;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      continue;
    }
    if (file.includes(`${path.sep}node_modules${path.sep}`) || OWN_DIRS.some((d) => file.startsWith(d)))
      continue;
    const line = pc.getLine();
    if (!(line > 0)) continue;
    return { file, line, column: pc.getColumn() };
  }
  return undefined;
}

/**
 * Digest outputs of image resources outside a preview: the mock cannot know the registry's
 * digest, so it reports a stand-in of the right form (`repo@sha256:<hash of the resource name>`),
 * which is what these outputs always look like. A program that rewrites the value is judged on
 * what it wrote. Only outputs the resource would have: a docker-build `Image` has a digest `ref`
 * only when it pushes (otherwise its `ref` is its first tag), a `docker.Image` only when it pushes.
 */
function digestOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const digest = `sha256:${createHash('sha256').update(`${type}::${name}`).digest('hex')}`;
  const repo = (ref: unknown) => (typeof ref === 'string' ? repository(ref) : undefined);
  if (type === DIGEST_IMAGE_TYPES.remoteImage) {
    const r = repo(inputs.name);
    return r
      ? {
          repoDigest: `${r}@${digest}`,
          imageId: `sha256:${createHash('sha256').update(digest).digest('hex')}`,
        }
      : {};
  }
  if (type === DIGEST_IMAGE_TYPES.image) {
    const r = repo(inputs.imageName);
    return r && inputs.skipPush !== true ? { repoDigest: `${r}@${digest}` } : {};
  }
  if (type === DIGEST_IMAGE_TYPES.buildImage) {
    const tags = Array.isArray(inputs.tags) ? inputs.tags : [];
    if (inputs.push !== true) return typeof tags[0] === 'string' ? { ref: tags[0] } : {};
    const r = repo(tags[0]);
    return r ? { digest, ref: `${r}@${digest}` } : { digest };
  }
  return {};
}

/** The repository of an image reference: without its tag and digest. */
function repository(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
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
 * A registered resource as core's Pulumi adapter reads it: inputs, parent, dependencies and, when
 * known, the program line that constructed it (`file` given: the path findings show for it).
 */
export function resourceInput(
  r: RegisteredResource,
  file?: (location: SourceLocation) => string,
): PulumiResourceInput {
  const out: PulumiResourceInput = { type: r.type, name: r.name, urn: r.urn, props: r.inputs };
  if (r.parent) out.parent = r.parent;
  if (r.dependencies) out.dependencies = r.dependencies;
  if (r.propertyDependencies) out.propertyDependencies = r.propertyDependencies;
  if (r.location)
    out.location = {
      file: file ? file(r.location) : r.location.file,
      line: r.location.line,
      column: r.location.column,
    };
  return out;
}
