/**
 * Engine half of the test kit: deploy the `docker.Container` and `docker.Network` resources a
 * mocked Pulumi program registered into a real Docker engine (through dockerode), probe them
 * from inside, and remove everything again — also when a test or the deployment itself failed.
 *
 * Arguments are translated as the kreuzwerker provider behind `@pulumi/docker` sends them (see
 * {@link planContainer} for the translation and the list of untranslated arguments).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';

// import-equals, not a default import: the emitted declarations then compile for users without
// esModuleInterop (Pulumi's TypeScript template has none).
import Dockerode = require('dockerode');

import {
  CONTAINER_TYPE,
  type ContainerPlan,
  type DeployableResource,
  NETWORK_TYPE,
  plainValue,
  planContainer,
  planNetwork,
  TestkitInputError,
} from './engine-args.js';

export {
  CONTAINER_TYPE,
  type ContainerPlan,
  type DeployableResource,
  LIFECYCLE_ONLY_CONTAINER_ARGS,
  NETWORK_TYPE,
  parseGoDuration,
  planContainer,
  planNetwork,
  TestkitInputError,
  type TranslateContext,
  UNSUPPORTED_CONTAINER_ARGS,
} from './engine-args.js';

/** Label carrying the run id on everything the kit creates; {@link sweepStale} filters on it. */
export const RUN_LABEL = 'dev.bulkhead.testkit.run';
/** Label carrying the Pulumi resource name on everything the kit creates. */
export const RESOURCE_LABEL = 'dev.bulkhead.testkit.resource';

/** Options of {@link deployToEngine}. */
export interface DeployOptions {
  /** Engine client (default: `new Dockerode()`, which honours `DOCKER_HOST`). */
  docker?: Dockerode;
  /** Prefix of every engine name (default `bhk-<run id>`). Must be unique per concurrent run. */
  prefix?: string;
  /** Rewrite each container's `image` before use (e.g. a registry digest → a local tag). */
  imageOverride?: (image: string) => string;
  /** `false`: never pull; a missing image is an error. Default: pull images that are missing. */
  pull?: false;
}

/** Result of {@link Deployment.exec}. */
export interface ExecResult {
  /** Exit code, or `null` when the engine reported none (e.g. the container was killed). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link Deployment.exec}. */
export interface ExecOptions {
  /** Give up (and reject) after this long; default 10 s. The process is not killed by the engine. */
  timeoutMs?: number;
  /** Run as this user instead of the container's. */
  user?: string;
}

/** What {@link deployToEngine} created; every method takes Pulumi resource names. */
export interface Deployment {
  /** Run id (value of {@link RUN_LABEL}). */
  readonly runId: string;
  /** Prefix of the engine names. */
  readonly prefix: string;
  /** Pulumi resource name → engine container id. */
  readonly containers: Readonly<Record<string, string>>;
  /** Pulumi resource name → engine network id. */
  readonly networks: Readonly<Record<string, string>>;
  /** Run a command in a running container; stdout and stderr demultiplexed, bounded in time. */
  exec(name: string, cmd: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** `docker inspect` of a container. */
  inspect(name: string): Promise<Dockerode.ContainerInspectInfo>;
  /** The container's logs so far, demultiplexed. */
  logs(name: string): Promise<{ stdout: string; stderr: string }>;
  /** Wait (bounded) until the container is no longer running; returns its final inspect. */
  waitStopped(name: string, timeoutMs?: number): Promise<Dockerode.ContainerInspectInfo>;
  /** Force-remove everything created (containers with their anonymous volumes, then networks). Idempotent. */
  teardown(): Promise<void>;
}

const OUTPUT_CAP = 1024 * 1024;
/** The provider's `containerReadRefreshDelay`: time between start and the first state check. */
const START_SETTLE_MS = 100;

function engineSafe(s: string): string {
  const cleaned = s.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return /^[a-zA-Z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as { statusCode?: number }).statusCode : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Demultiplex a non-TTY engine stream buffer (8-byte frame headers) into stdout/stderr. */
export function demuxBuffer(buf: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const kind = buf[i];
    const size = buf.readUInt32BE(i + 4);
    const chunk = buf.subarray(i + 8, i + 8 + size);
    (kind === 2 ? err : out).push(chunk);
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function collector(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (c: Buffer) => {
    if (size < OUTPUT_CAP) chunks.push(c.subarray(0, OUTPUT_CAP - size));
    size += c.length;
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function ensureImage(docker: Dockerode, image: string, pull: boolean): Promise<string> {
  try {
    await docker.getImage(image).inspect();
    return image;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  // An imported image has no repo digest; `name@sha256:<image id>` names it by its id.
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
  if (digest) {
    try {
      const info = await docker.getImage(digest).inspect();
      if (info.Id === digest) return digest;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
  if (!pull) {
    throw new Error(
      `image "${image}" is not on the engine and pull is off. Load or import it first, or map it with imageOverride.`,
    );
  }
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
  );
  return image;
}

/** Containers ordered so that those referenced through `container:<x>` / `fromContainer` come first. */
function orderContainers(list: DeployableResource[]): DeployableResource[] {
  const byName = new Map(list.map((r) => [r.name, r]));
  const done = new Set<string>();
  const out: DeployableResource[] = [];
  const refs = (r: DeployableResource): string[] => {
    const found: string[] = [];
    const scan = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith('container:')) found.push(v.slice(10));
      else if (Array.isArray(v)) v.forEach(scan);
      else if (v && typeof v === 'object') {
        for (const [k, e] of Object.entries(v)) {
          if (k === 'fromContainer' && typeof e === 'string') found.push(e);
          else scan(e);
        }
      }
    };
    scan(r.inputs);
    return found.filter((n) => byName.has(n) && n !== r.name);
  };
  const visit = (r: DeployableResource, stack: Set<string>): void => {
    if (done.has(r.name) || stack.has(r.name)) return;
    stack.add(r.name);
    for (const dep of refs(r)) visit(byName.get(dep) as DeployableResource, stack);
    done.add(r.name);
    out.push(r);
  };
  for (const r of list) visit(r, new Set());
  return out;
}

function inputName(r: DeployableResource): string | undefined {
  const v = plainValue(r.inputs.name, `${r.type.split(':').pop()} "${r.name}"`, 'name');
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * Deploy the containers and networks among `resources` into a Docker engine. Other resource
 * types are ignored. Everything created carries {@link RUN_LABEL}; if any step fails, what was
 * created so far is removed before the error is rethrown.
 *
 * Images: a missing image is pulled unless `pull: false`; a `name@sha256:<digest>` reference whose
 * digest is a local image id (imported images have no repo digest) resolves to that image.
 * @throws TestkitInputError before touching the engine when an argument is unknown or unsupported.
 */
export async function deployToEngine(
  resources: readonly DeployableResource[],
  opts: DeployOptions = {},
): Promise<Deployment> {
  const docker = opts.docker ?? new Dockerode();
  const runId = randomBytes(4).toString('hex');
  const prefix = engineSafe(opts.prefix ?? `bhk-${runId}`);
  const labelsFor = (r: DeployableResource) => ({ [RUN_LABEL]: runId, [RESOURCE_LABEL]: r.name });

  const networkRes = resources.filter((r) => r.type === NETWORK_TYPE);
  const containerRes = orderContainers(resources.filter((r) => r.type === CONTAINER_TYPE));

  // Plan everything first: a bad input fails before the engine is touched.
  const networkEngineName = new Map<string, string>();
  const networkRefs = new Map<string, string>();
  for (const n of networkRes) {
    const engineName = engineSafe(`${prefix}-${inputName(n) ?? n.name}`);
    networkEngineName.set(n.name, engineName);
    const outName = n.outputs?.name;
    for (const ref of [n.name, inputName(n), n.id, typeof outName === 'string' ? outName : undefined]) {
      if (ref) networkRefs.set(ref, engineName);
    }
  }
  const containerEngineName = new Map<string, string>();
  const containerRefs = new Map<string, string>();
  for (const c of containerRes) {
    const engineName = engineSafe(`${prefix}-${inputName(c) ?? c.name}`);
    containerEngineName.set(c.name, engineName);
    for (const ref of [c.name, inputName(c), c.id]) if (ref) containerRefs.set(ref, engineName);
  }
  const networkPlans = networkRes.map((n) => ({
    res: n,
    plan: planNetwork(n, { engineName: networkEngineName.get(n.name) as string, extraLabels: labelsFor(n) }),
  }));
  const containerPlans = containerRes.map((c) => {
    const image = String(plainValue(c.inputs.image, `container "${c.name}"`, 'image') ?? '');
    return {
      res: c,
      plan: planContainer(c, {
        engineName: containerEngineName.get(c.name) as string,
        image: opts.imageOverride ? opts.imageOverride(image) : image,
        extraLabels: labelsFor(c),
        resolveNetwork: (ref) => networkRefs.get(ref) ?? ref,
        resolveContainer: (ref) => containerRefs.get(ref),
      }),
    };
  });

  const containers: Record<string, string> = {};
  const networks: Record<string, string> = {};
  const createdContainers: string[] = [];
  const createdNetworks: string[] = [];

  const container = (name: string): Dockerode.Container => {
    const id = containers[name];
    if (!id) {
      throw new Error(
        `no container "${name}" in this deployment (has: ${Object.keys(containers).join(', ') || 'none'})`,
      );
    }
    return docker.getContainer(id);
  };

  const teardown = async (): Promise<void> => {
    const problems: unknown[] = [];
    while (createdContainers.length) {
      const id = createdContainers.pop() as string;
      try {
        await docker.getContainer(id).remove({ force: true, v: true });
      } catch (err) {
        const code = statusOf(err);
        if (code !== 404 && code !== 409) problems.push(err);
      }
    }
    while (createdNetworks.length) {
      const id = createdNetworks.pop() as string;
      try {
        await docker.getNetwork(id).remove();
      } catch (err) {
        if (statusOf(err) !== 404) problems.push(err);
      }
    }
    if (problems.length)
      throw new AggregateError(problems, `teardown of ${prefix}: ${problems.length} removal(s) failed`);
  };

  const deployment: Deployment = {
    runId,
    prefix,
    containers,
    networks,
    teardown,
    inspect: (name) => container(name).inspect(),
    async logs(name) {
      const c = container(name);
      const tty = (await c.inspect()).Config.Tty;
      const buf = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
      return tty ? { stdout: buf.toString('utf8'), stderr: '' } : demuxBuffer(buf);
    },
    async waitStopped(name, timeoutMs = 30_000) {
      const c = container(name);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await c.inspect();
        if (!info.State.Running) return info;
        if (Date.now() > deadline) throw new Error(`container "${name}" still running after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async exec(name, cmd, execOpts = {}) {
      const timeoutMs = execOpts.timeoutMs ?? 10_000;
      const ex = await container(name).exec({
        Cmd: cmd,
        AttachStdout: true,
        AttachStderr: true,
        ...(execOpts.user !== undefined && { User: execOpts.user }),
      });
      const stream = await ex.start({ hijack: true, stdin: false });
      const out = collector();
      const err = collector();
      docker.modem.demuxStream(stream, out.stream, err.stream);
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => {
            stream.destroy();
            reject(new Error(`exec in "${name}" did not finish within ${timeoutMs} ms: ${cmd.join(' ')}`));
          }, timeoutMs);
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.on('error', reject);
        });
      } finally {
        clearTimeout(timer);
      }
      let info = await ex.inspect();
      for (let i = 0; info.Running && i < 50; i++) {
        await sleep(20);
        info = await ex.inspect();
      }
      return { exitCode: info.ExitCode ?? null, stdout: out.text(), stderr: err.text() };
    },
  };

  // A network reference that is neither in this deployment nor on the engine cannot be deployed.
  for (const { res, plan } of containerPlans) {
    const refs = [plan.create.HostConfig?.NetworkMode, ...plan.connect.map((c) => c.network)];
    for (const ref of refs) {
      if (!ref || ref.startsWith('container:') || [...networkRefs.values()].includes(ref)) continue;
      if (['bridge', 'host', 'none', 'default'].includes(ref)) continue;
      try {
        await docker.getNetwork(ref).inspect();
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        throw new TestkitInputError(
          `container "${res.name}"`,
          'networksAdvanced/networkMode',
          `refers to network "${ref}", which is neither among the deployed resources nor on the engine`,
          'Pass the docker.Network resource in the same list, give it a `name`, or create the network first.',
        );
      }
    }
  }

  try {
    const images = new Map<string, string>();
    for (const { plan } of containerPlans) {
      const image = plan.create.Image as string;
      if (!images.has(image)) images.set(image, await ensureImage(docker, image, opts.pull !== false));
      plan.create.Image = images.get(image) as string;
    }
    for (const { res, plan } of networkPlans) {
      const net = await docker.createNetwork(plan);
      createdNetworks.push(net.id);
      networks[res.name] = net.id;
    }
    for (const { res, plan } of containerPlans) {
      const c = await docker.createContainer(plan.create);
      createdContainers.push(c.id);
      containers[res.name] = c.id;
      for (const { network, endpoint } of plan.connect) {
        await docker.getNetwork(network).connect({ Container: c.id, EndpointConfig: endpoint });
      }
      if (plan.start) await startAndWait(res.name, c, plan);
    }
  } catch (err) {
    try {
      await teardown();
    } catch (cleanupErr) {
      throw new AggregateError(
        [err, cleanupErr],
        `deployment failed and its cleanup failed too: ${String(err)}`,
      );
    }
    throw err;
  }
  return deployment;
}

async function startAndWait(name: string, c: Dockerode.Container, plan: ContainerPlan): Promise<void> {
  await c.start();
  const deadline = Date.now() + plan.runningTimeoutMs;
  // Like the provider, look only after a short delay: a container that exits at once is caught.
  await sleep(START_SETTLE_MS);
  let info = await c.inspect();
  while (!info.State.Running && plan.mustRun && info.State.Status === 'created' && Date.now() < deadline) {
    await sleep(50);
    info = await c.inspect();
  }
  if (plan.mustRun && !info.State.Running) {
    const logs = demuxBuffer((await c.logs({ stdout: true, stderr: true, tail: 5 })) as unknown as Buffer);
    const tail = `${logs.stdout}${logs.stderr}`.trim().slice(-300);
    throw new Error(
      `container "${name}" is not running after start (status ${info.State.Status}, exit code ${info.State.ExitCode}` +
        `${info.State.OOMKilled ? ', OOM-killed' : ''}${info.State.Error ? `, ${info.State.Error}` : ''}). ` +
        'Give it a long-running command, or set mustRun: false for a container that is meant to exit.' +
        (tail ? ` Last output: ${tail}` : ''),
    );
  }
  if (plan.waitHealthyMs !== undefined) {
    const until = Date.now() + plan.waitHealthyMs;
    for (;;) {
      const health = (await c.inspect()).State.Health?.Status;
      if (health === 'healthy') break;
      if (health === undefined) throw new Error(`container "${name}" has wait: true but no health check`);
      if (Date.now() > until) {
        throw new Error(`container "${name}" not healthy within ${plan.waitHealthyMs} ms (${health})`);
      }
      await sleep(200);
    }
  }
}

/**
 * Deploy, run `fn`, and tear down in a `finally` — whatever `fn` does.
 * A teardown failure after `fn` failed does not hide `fn`'s error.
 */
export async function withDeployment<T>(
  resources: readonly DeployableResource[],
  fn: (d: Deployment) => Promise<T>,
  opts: DeployOptions = {},
): Promise<T> {
  const d = await deployToEngine(resources, opts);
  let result: T;
  try {
    result = await fn(d);
  } catch (err) {
    await d.teardown().catch(() => undefined);
    throw err;
  }
  await d.teardown();
  return result;
}

/**
 * Remove every container (forced, with anonymous volumes) and network carrying `label` — a key
 * (`dev.bulkhead.testkit.run`, the default: every kit run) or `key=value` (one run). Use it to
 * sweep what a crashed run left behind.
 */
export async function sweepStale(
  label: string = RUN_LABEL,
  opts: { docker?: Dockerode } = {},
): Promise<{ containers: number; networks: number }> {
  const docker = opts.docker ?? new Dockerode();
  const filters = JSON.stringify({ label: [label] });
  const list = await docker.listContainers({ all: true, filters });
  for (const c of list) {
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
    } catch (err) {
      if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
    }
  }
  const nets = await docker.listNetworks({ filters });
  for (const n of nets) {
    try {
      await docker.getNetwork(n.Id).remove();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
  return { containers: list.length, networks: nets.length };
}

/** Outcome of {@link checkEngineSync}. */
export type EngineCheck = { ok: true; version: string } | { ok: false; reason: string };

/**
 * Whether a Docker engine answers (synchronously, so a test file can choose `describe` or
 * `describe.skip` at load time). Runs a short child process pinging the engine dockerode would
 * use (honours `DOCKER_HOST`); gives up after `timeoutMs`.
 */
export function checkEngineSync(timeoutMs = 5000): EngineCheck {
  const script = `const D = require(${JSON.stringify(require.resolve('dockerode'))});
new D().version().then((v) => { process.stdout.write(String(v.Version)); }, (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: timeoutMs, encoding: 'utf8' });
  if (r.status === 0) return { ok: true, version: r.stdout.trim() };
  const reason = r.error ? r.error.message : r.stderr.trim() || `exit ${r.status ?? r.signal}`;
  return { ok: false, reason: `no Docker engine reachable (${reason})` };
}
