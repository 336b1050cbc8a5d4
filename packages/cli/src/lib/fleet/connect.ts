import { createHmac } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { capResponses, inspectEngine, ping } from '../engine.js';
import { EXIT, UserError } from '../exit.js';
import { readInputBytes, readInputText } from '../files.js';
import type { EngineTarget } from './targets.js';

/** Largest TLS or key file read (a PEM chain is a few KiB). */
const MAX_PEM_BYTES = 256 * 1024;

/**
 * Reads one engine of a fleet: connects (answers capped, see `capResponses`), checks `/_ping`,
 * lists and inspects the matching containers and their networks, each call under `timeoutMs`.
 * The connection is closed after: the http(s) agent is destroyed; an ssh:// engine's connection
 * lives in a per-request agent docker-modem makes, and closes when its channel does.
 */
export async function inspectTarget(
  target: EngineTarget,
  options: { filters: Record<string, string[]>; all: boolean; timeoutMs: number; concurrency: number },
): Promise<{ containers: unknown[]; networks: unknown[] }> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker(await dockerOptions(target, options.timeoutMs));
  capResponses(docker);
  try {
    await ping(docker, options.timeoutMs, target.url);
    return await inspectEngine(docker, { ...options, where: target.url });
  } finally {
    (docker.modem as { agent?: { destroy?: () => void } }).agent?.destroy?.();
  }
}

/**
 * The dockerode options for one engine. Every address key is set (to undefined where unused):
 * docker-modem merges the options over what DOCKER_HOST says, and a host left over from the
 * environment would win over a socket path.
 */
export async function dockerOptions(
  target: EngineTarget,
  timeoutMs: number,
): Promise<Dockerode.DockerOptions> {
  const url = new URL(target.url);
  const base = {
    timeout: timeoutMs,
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
  } as Record<string, unknown>;
  if (url.protocol === 'unix:') return { ...base, socketPath: decodeURIComponent(url.pathname) };
  if (url.protocol === 'tcp:') {
    const tls = target.tls;
    const read = async (file: string | undefined, what: string) =>
      file
        ? await readInputBytes(file, { what: `${target.where}: TLS ${what}`, maxBytes: MAX_PEM_BYTES })
        : undefined;
    const ca = await read(tls?.ca, 'CA');
    const cert = await read(tls?.cert, 'certificate');
    const key = await read(tls?.key, 'key');
    if (tls && !ca) {
      throw new UserError(`${target.where}: TLS without a CA cannot authenticate the engine`, EXIT.usage, [
        'give tls.ca (or ca.pem in DOCKER_CERT_PATH)',
      ]);
    }
    return {
      ...base,
      host: url.hostname,
      port: url.port,
      protocol: tls ? 'https' : 'http',
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    };
  }
  // ssh://: docker-modem runs `docker system dial-stdio` on the host over ssh2.
  const port = url.port ? Number(url.port) : 22;
  const hostKeys = await knownHostKeys(target, url.hostname, port);
  const privateKey = target.identityFile
    ? await readInputBytes(target.identityFile, {
        what: `${target.where}: identityFile`,
        maxBytes: MAX_PEM_BYTES,
      })
    : undefined;
  // docker-modem formats an ssh engine's request URL with the legacy url API, which makes Node
  // print a DEP0170 warning on every run: not Bulkhead's to show, and it would break one-line output.
  process.noDeprecation = true;
  return {
    ...base,
    // No idle timeout: Node's http would call setTimeout on the ssh2 channel, which has none (the
    // total deadline of every call still holds, see withDeadline).
    timeout: undefined,
    protocol: 'ssh',
    host: url.hostname,
    port: String(port),
    username: decodeURIComponent(url.username) || os.userInfo().username,
    sshOptions: {
      ...(privateKey ? { privateKey } : { agent: process.env.SSH_AUTH_SOCK }),
      readyTimeout: timeoutMs,
      // Fail closed: only a host key listed in known_hosts is accepted.
      hostVerifier: (key: Buffer) => hostKeys.has(key.toString('base64')),
    },
  } as Dockerode.DockerOptions;
}

/**
 * The host keys known_hosts lists for `host` (port 22) or `[host]:port`, plain or hashed
 * (`|1|salt|hmac`). Markers (`@cert-authority`, `@revoked`) are not followed: such lines are skipped.
 */
export async function knownHostKeys(target: EngineTarget, host: string, port: number): Promise<Set<string>> {
  const file = target.knownHosts ?? path.join(os.homedir(), '.ssh', 'known_hosts');
  let text: string;
  try {
    text = await readInputText(file, `${target.where}: known_hosts`, 4 * 1024 * 1024);
  } catch {
    throw new UserError(`${target.where}: cannot read known_hosts ${file}`, EXIT.usage, [
      'add the host key with `ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts` after checking it',
    ]);
  }
  const name = port === 22 ? host : `[${host}]:${port}`;
  const keys = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, , key] = line.split(/\s+/);
    if (!hosts || !key) continue;
    const match = hosts.split(',').some((h) => {
      if (h.startsWith('|1|')) {
        const [, , salt, hash] = h.split('|');
        if (!salt || !hash) return false;
        return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
      }
      return h === name;
    });
    if (match) keys.add(key);
  }
  if (keys.size === 0) {
    throw new UserError(`${target.where}: ${name} is not in ${file}`, EXIT.usage, [
      'add the host key with `ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts` after checking it',
    ]);
  }
  return keys;
}
