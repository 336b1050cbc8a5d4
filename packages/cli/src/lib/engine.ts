import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { EXIT, UserError } from './exit.js';

/**
 * Most bytes read from the engine on one connection (one request and its answer: the agents
 * below do not keep connections alive). docker-modem buffers a whole answer before parsing it,
 * so without a cap an engine answering for ever fills the memory. A container list of 10,000
 * containers is about 20 MB; an inspect, tens of kB.
 */
export const ENGINE_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The error a connection is destroyed with when the engine sends more than the cap. */
const TOO_LARGE = 'EBULKHEAD_ENGINE_TOO_LARGE';

/**
 * Fails `stream` once it has delivered more than `maxBytes`, with a {@link TOO_LARGE} error. A
 * socket is destroyed with the error; an ssh2 channel's `destroy()` drops its argument (it only
 * closes the channel, and the answer would then end as if complete), so the error is emitted
 * first.
 */
function capStream(stream: Duplex, maxBytes: number): Duplex {
  let received = 0;
  let over = false;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBytes || over) return;
    over = true;
    const error = Object.assign(new Error(`answer larger than ${maxBytes} bytes`), {
      code: TOO_LARGE,
      maxBytes,
    });
    if (stream instanceof net.Socket) stream.destroy(error);
    else {
      stream.emit('error', error);
      stream.destroy();
    }
  });
  return stream;
}

type CreateConnection = (
  options: unknown,
  done?: (err: Error | null, stream?: Duplex) => void,
) => Duplex | undefined;

/**
 * Caps every connection `agent` makes at `maxBytes`, whether its `createConnection` returns the
 * connection (http, https) or hands it to the callback later (docker-modem's ssh agent, once
 * `docker system dial-stdio` runs on the host).
 */
function capAgent<A extends http.Agent>(agent: A, maxBytes: number): A {
  const a = agent as unknown as { createConnection: CreateConnection };
  const create = a.createConnection.bind(agent);
  a.createConnection = (options, done) => {
    const made = create(
      options,
      done && ((err, stream) => done(err, stream && stream !== made ? capStream(stream, maxBytes) : stream)),
    );
    return made ? capStream(made, maxBytes) : made;
  };
  return agent;
}

/**
 * An agent (http or https, as the engine address wants) whose connections are destroyed once
 * the engine has sent more than `maxBytes` on one of them; the request then fails with
 * {@link TOO_LARGE}.
 */
export function cappedAgent(protocol: 'http' | 'https', maxBytes: number): http.Agent {
  const Base = protocol === 'https' ? https.Agent : http.Agent;
  return capAgent(new Base({ keepAlive: false }), maxBytes);
}

/**
 * Caps every answer of `docker`'s engine at {@link ENGINE_MAX_RESPONSE_BYTES}: unix sockets, tcp
 * and TLS through a capped agent; ssh:// through docker-modem's own agent, which it makes afresh
 * for every request (`buildRequest` assigns it to the request's options) and which is capped as it
 * is assigned. `test/engine-deadline.test.ts` and `test/cli-audit-ssh.test.ts` flood each kind.
 */
export function capResponses(docker: Dockerode): void {
  const modem = docker.modem as unknown as {
    protocol?: string;
    agent?: http.Agent;
    buildRequest: (options: Record<string, unknown>, ...rest: unknown[]) => unknown;
  };
  if (modem.protocol !== 'ssh') {
    modem.agent = cappedAgent(modem.protocol === 'https' ? 'https' : 'http', ENGINE_MAX_RESPONSE_BYTES);
    return;
  }
  const build = modem.buildRequest.bind(modem);
  modem.buildRequest = (options, ...rest) => {
    let agent: unknown;
    Object.defineProperty(options, 'agent', {
      configurable: true,
      enumerable: true,
      get: () => agent,
      set: (a: unknown) => {
        agent = a instanceof http.Agent ? capAgent(a, ENGINE_MAX_RESPONSE_BYTES) : a;
      },
    });
    return build(options, ...rest);
  };
}

/** Docker list filters accepted by `audit --filter`. */
const FILTER_KEYS = ['name', 'label', 'id', 'ancestor', 'network', 'status', 'health'] as const;

/** Parses `--filter key=value` flags into Docker's filter map. */
export function parseFilters(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq) : '';
    if (!(FILTER_KEYS as readonly string[]).includes(key) || eq === item.length - 1) {
      throw new UserError(
        `--filter ${item}: expected key=value with key one of ${FILTER_KEYS.join(', ')}`,
        EXIT.usage,
        ['--filter name=web- --filter label=com.example.team=payments'],
      );
    }
    const values = out[key] ?? [];
    values.push(item.slice(eq + 1));
    out[key] = values;
  }
  return out;
}

/** Where the engine is, for messages. */
export function engineAddress(): string {
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** Connects to the engine named by `DOCKER_HOST` (or the local socket) and checks it answers. */
export async function connect(timeoutMs: number): Promise<Dockerode> {
  const { default: Docker } = await import('dockerode');
  let docker: Dockerode;
  try {
    docker = new Docker({ timeout: timeoutMs });
    capResponses(docker);
  } catch (error) {
    throw new UserError(
      `cannot use DOCKER_HOST=${process.env.DOCKER_HOST}: ${(error as Error).message}`,
      EXIT.environment,
    );
  }
  await ping(docker, timeoutMs, engineAddress());
  return docker;
}

/** Checks that the engine answers `/_ping` within `timeoutMs` (errors name `where`). */
export async function ping(docker: Dockerode, timeoutMs: number, where: string): Promise<void> {
  // dockerode's typings omit ping's options; it passes abortSignal on (lib/docker.js).
  const call = docker.ping.bind(docker) as unknown as (o: { abortSignal: AbortSignal }) => Promise<unknown>;
  await engineCall(() => withDeadline(timeoutMs, (abortSignal) => call({ abortSignal })), where);
}

/**
 * Runs one engine request under a total deadline. dockerode's `timeout` is an idle timeout: an
 * engine that trickles a byte now and then would keep a request alive for ever. When the deadline
 * passes, the request is aborted (where dockerode passes the signal on) and the call fails with
 * ETIMEDOUT, which {@link engineCall} reports as an engine that did not answer in time.
 */
async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs an engine call, turning connection failures into exit-3 errors with one clear line. */
export async function engineCall<T>(call: () => Promise<T>, where = engineAddress()): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw engineError(error, where);
  }
}

function engineError(error: unknown, where: string): UserError {
  const e = error as NodeJS.ErrnoException & { statusCode?: number; reason?: string };
  const hint = ['start the Docker engine, or set DOCKER_HOST to a reachable one'];
  switch (e.code) {
    case TOO_LARGE:
      return new UserError(
        `the Docker engine at ${where} sent more than ${(e as { maxBytes?: number }).maxBytes! / 1024 / 1024} MiB for one request; bulkhead stopped reading (is DOCKER_HOST an engine?)`,
        EXIT.environment,
        hint,
      );
    case 'ENOENT':
    case 'ECONNREFUSED':
      return new UserError(
        `cannot reach the Docker engine at ${where}: connection refused`,
        EXIT.environment,
        hint,
      );
    case 'EACCES':
    case 'EPERM':
      return new UserError(
        `cannot reach the Docker engine at ${where}: permission denied`,
        EXIT.environment,
        ['run as a user in the docker group, or point DOCKER_HOST at an engine you may use'],
      );
    case 'ECONNRESET':
      return new UserError(
        `the Docker engine at ${where} closed the connection or did not answer within --timeout`,
        EXIT.environment,
        hint,
      );
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return new UserError(`the Docker engine at ${where} did not answer in time`, EXIT.environment, hint);
    default:
      break;
  }
  if (/timeout/i.test(e.message ?? '')) {
    return new UserError(`the Docker engine at ${where} did not answer in time`, EXIT.environment, hint);
  }
  const status = e.statusCode ? ` (HTTP ${e.statusCode})` : '';
  return new UserError(
    `the Docker engine at ${where} failed${status}: ${(e.reason ?? e.message ?? String(error)).split('\n')[0]}`,
    EXIT.environment,
  );
}

/** Maps over items with at most `limit` calls in flight, keeping order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Networks Docker creates itself; users cannot harden them, so `audit` does not judge them. */
const PREDEFINED_NETWORKS = new Set(['bridge', 'host', 'none']);

/**
 * Inspects the containers matching `filters` (running only unless `all`) and the user-defined
 * networks they are attached to, `concurrency` requests at a time.
 */
export async function inspectEngine(
  docker: Dockerode,
  options: {
    filters: Record<string, string[]>;
    all: boolean;
    concurrency: number;
    /** Total time each request may take (see {@link withDeadline}). */
    timeoutMs: number;
    progress?: (done: number, total: number) => void;
    /** The engine's address for messages (default: DOCKER_HOST). */
    where?: string;
  },
): Promise<{ containers: unknown[]; networks: unknown[] }> {
  const where = options.where ?? engineAddress();
  const malformed = (what: string) => malformedAnswer(what, where);
  const within = <T>(call: (abortSignal: AbortSignal) => Promise<T>) => withDeadline(options.timeoutMs, call);
  const answer: unknown = await engineCall(
    () =>
      within((abortSignal) =>
        docker.listContainers({ all: options.all, filters: options.filters, abortSignal }),
      ),
    where,
  );
  // An engine that answers with something else is broken or not an engine: never "0 containers, clean".
  if (!Array.isArray(answer)) throw malformed('the container list is not a list');
  const list = answer as { Id?: unknown }[];
  list.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.Id !== 'string' || c.Id === '') {
      throw malformed(`container list entry ${i} has no container id`);
    }
  });
  const containers = await engineCall(
    () =>
      mapBounded(
        list,
        options.concurrency,
        async (c, i) => {
          let inspected: unknown;
          try {
            inspected = await within((abortSignal) =>
              docker.getContainer(c.Id as string).inspect({ abortSignal }),
            );
          } catch (error) {
            // Removed between list and inspect: skip it.
            if ((error as { statusCode?: number }).statusCode === 404) return undefined;
            throw error;
          }
          if (!isInspect(inspected, ['Config', 'HostConfig'])) {
            throw malformed(`the inspect of container list entry ${i} is not a container inspect`);
          }
          return inspected as Dockerode.ContainerInspectInfo;
        },
        (done) => options.progress?.(done, list.length),
      ),
    where,
  );
  const present = containers.filter((c): c is NonNullable<typeof c> => c !== undefined);
  const names = new Set<string>();
  for (const c of present) {
    for (const n of Object.keys(c.NetworkSettings?.Networks ?? {}))
      if (!PREDEFINED_NETWORKS.has(n)) names.add(n);
  }
  const networks = await engineCall(
    () =>
      mapBounded([...names], options.concurrency, async (n, i) => {
        let inspected: unknown;
        try {
          // dockerode does not pass a signal on for networks: the deadline still ends the wait.
          inspected = await within(() => docker.getNetwork(n).inspect());
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return undefined;
          throw error;
        }
        if (!isInspect(inspected, []))
          throw malformed(`the inspect of network ${i + 1} is not a network inspect`);
        return inspected;
      }),
    where,
  );
  return { containers: present, networks: networks.filter((n) => n !== undefined) };
}

/**
 * True for an inspect answer: an object with a string `Id` and an object at each of `fields`
 * (a container's `Config` and `HostConfig`). `null`, a list or a string is not one.
 */
function isInspect(v: unknown, fields: readonly string[]): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.Id !== 'string' || o.Id === '') return false;
  return fields.every((f) => typeof o[f] === 'object' && o[f] !== null && !Array.isArray(o[f]));
}

/** The engine answered, but not with what the Docker API defines: an engine error (exit 3). */
function malformedAnswer(what: string, where: string): UserError {
  return new UserError(
    `the Docker engine at ${where} gave an answer Bulkhead cannot read: ${what}`,
    EXIT.environment,
    ['check that DOCKER_HOST points at a Docker engine (API 1.41 or later)'],
  );
}
