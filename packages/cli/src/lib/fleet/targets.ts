import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT, firstLine, UserError } from '../exit.js';
import { readDataFile, readInputTextSync } from '../files.js';

/** TLS material of a `tcp://` engine: file paths, read when the engine is connected. */
export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * One Docker engine of a fleet: a name for the report, its address, and how to reach it. `where`
 * says where it was named (`--host`, `--context web`, `hosts.yaml: hosts[3]`) for messages.
 */
export interface EngineTarget {
  name: string;
  url: string;
  where: string;
  tls?: TlsFiles;
  /** ssh:// only: a private key file (else the agent at SSH_AUTH_SOCK). */
  identityFile?: string;
  /** ssh:// only: the known_hosts file the host key must be in (default ~/.ssh/known_hosts). */
  knownHosts?: string;
}

const SCHEMES = ['unix:', 'tcp:', 'ssh:'] as const;

/** Checks an engine address: unix:///path, tcp://host:port or ssh://[user@]host[:port]. */
export function parseEngineUrl(text: string, where: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const fix = ['unix:///var/run/docker.sock, tcp://10.0.0.5:2376 or ssh://deploy@10.0.0.5'];
  if (!url || !(SCHEMES as readonly string[]).includes(url.protocol)) {
    throw new UserError(
      `${where} ${text}: expected an engine address (unix://, tcp:// or ssh://)`,
      EXIT.usage,
      fix,
    );
  }
  if (url.protocol === 'unix:' && (url.host !== '' || url.pathname === '' || url.pathname === '/')) {
    throw new UserError(
      `${where} ${text}: a unix:// address names a socket path (three slashes)`,
      EXIT.usage,
      fix,
    );
  }
  if (url.protocol !== 'unix:' && url.hostname === '') {
    throw new UserError(`${where} ${text}: the address has no host`, EXIT.usage, fix);
  }
  if (url.protocol === 'tcp:' && url.port === '') {
    throw new UserError(
      `${where} ${text}: a tcp:// address needs a port (2375 plain, 2376 TLS)`,
      EXIT.usage,
      fix,
    );
  }
  if (url.password !== '') {
    throw new UserError(
      `${where}: the address carries a password; use an ssh agent or identityFile`,
      EXIT.usage,
    );
  }
  return url;
}

/**
 * TLS material for `--host tcp://…`, as the Docker CLI takes it: DOCKER_CERT_PATH (ca.pem,
 * cert.pem, key.pem) when DOCKER_TLS_VERIFY is set or the port is 2376.
 */
function envTls(url: URL): TlsFiles | undefined {
  if (url.protocol !== 'tcp:') return undefined;
  const verify = process.env.DOCKER_TLS_VERIFY;
  const wanted = (verify !== undefined && verify !== '' && verify !== '0') || url.port === '2376';
  if (!wanted) return undefined;
  const dir = process.env.DOCKER_CERT_PATH || dockerConfigDir();
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

/** `--host URL`: named by its address. */
export function hostTarget(text: string): EngineTarget {
  const url = parseEngineUrl(text, '--host');
  const tls = envTls(url);
  return { name: text, url: text, where: '--host', ...(tls ? { tls } : {}) };
}

/** The Docker CLI's configuration directory: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(): string {
  return process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/**
 * `--context NAME`, read from the Docker CLI's context store as the CLI does: the metadata at
 * `contexts/meta/<sha256 of NAME>/meta.json`, TLS files under `contexts/tls/<same>/docker/`.
 * `default` is DOCKER_HOST or the local socket.
 */
export function contextTarget(name: string, where = '--context'): EngineTarget {
  if (name === 'default') {
    const url = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    parseEngineUrl(url, `${where} default (DOCKER_HOST)`);
    return { name, url, where: `${where} ${name}` };
  }
  const id = createHash('sha256').update(name).digest('hex');
  const root = path.join(dockerConfigDir(), 'contexts');
  const metaFile = path.join(root, 'meta', id, 'meta.json');
  // Through the bounded reader: a meta.json that is a FIFO, a device or huge is refused, not read.
  if (!existsSync(metaFile)) {
    throw new UserError(`${where} ${name}: no such Docker context in ${root}`, EXIT.usage, [
      'list contexts with `docker context ls`; set DOCKER_CONFIG if they live elsewhere',
    ]);
  }
  const text = readInputTextSync(metaFile, `${where} ${name}: context metadata`, MAX_META_BYTES);
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where} ${name}: ${metaFile} is not valid JSON: ${firstLine(error)}`, EXIT.usage, [
      'recreate the context with `docker context create`',
    ]);
  }
  const endpoint = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } })
    ?.Endpoints?.docker;
  if (typeof endpoint?.Host !== 'string') {
    throw new UserError(`${where} ${name}: ${metaFile} has no Endpoints.docker.Host`, EXIT.usage);
  }
  if (endpoint.SkipTLSVerify === true) {
    throw new UserError(
      `${where} ${name}: the context skips TLS verification; Bulkhead does not audit an engine it cannot authenticate`,
      EXIT.usage,
      ['give the context a CA (`docker context update --docker "ca=…"`)'],
    );
  }
  const url = parseEngineUrl(endpoint.Host, `${where} ${name}: Endpoints.docker.Host`);
  const tlsDir = path.join(root, 'tls', id, 'docker');
  const tls: TlsFiles = {};
  // Named when present (whatever it is): the engine connection reads it through the bounded
  // reader, which refuses a FIFO or a device in one line. Opening it here would block on a FIFO.
  for (const k of ['ca', 'cert', 'key'] as const) {
    const file = path.join(tlsDir, `${k}.pem`);
    if (existsSync(file)) tls[k] = file;
  }
  const hasTls = Object.keys(tls).length > 0;
  return { name, url: url.href.replace(/\/$/, ''), where: `${where} ${name}`, ...(hasTls ? { tls } : {}) };
}

/** Largest context meta.json read (the Docker CLI writes a few hundred bytes). */
const MAX_META_BYTES = 1024 * 1024;

const ENTRY_KEYS = ['name', 'host', 'context', 'tls', 'identityFile', 'knownHosts'];

/**
 * A hosts file (YAML or JSON): a list, or `{ hosts: [...] }`, of engine addresses or objects
 * `{ name?, host | context, tls?: { ca?, cert?, key? }, identityFile?, knownHosts? }`. Relative
 * paths are taken from the file's directory.
 */
export async function hostsFileTargets(file: string): Promise<EngineTarget[]> {
  const data = await readDataFile(file, 'hosts file');
  const list = Array.isArray(data) ? data : (data as { hosts?: unknown } | null)?.hosts;
  if (!Array.isArray(list)) {
    throw new UserError(`hosts file ${file}: expected a list of hosts, or { hosts: [...] }`, EXIT.usage, [
      '- unix:///var/run/docker.sock\n- { name: web-1, host: "ssh://deploy@10.0.0.5" }',
    ]);
  }
  const dir = path.dirname(path.resolve(file));
  const rel = (p: string) => path.resolve(dir, p);
  return list.map((entry, i): EngineTarget => {
    const at = `hosts file ${file}: hosts[${i}]`;
    if (typeof entry === 'string') {
      const url = parseEngineUrl(entry, at);
      const tls = envTls(url);
      return { name: entry, url: entry, where: at, ...(tls ? { tls } : {}) };
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new UserError(`${at}: expected an address or an object with host or context`, EXIT.usage);
    }
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!ENTRY_KEYS.includes(k)) {
        throw new UserError(`${at}.${k}: unknown key (expected one of ${ENTRY_KEYS.join(', ')})`, EXIT.usage);
      }
    }
    const str = (k: string): string | undefined => {
      const v = e[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v === '')
        throw new UserError(`${at}.${k}: expected a non-empty string`, EXIT.usage);
      return v;
    };
    const name = str('name');
    const host = str('host');
    const context = str('context');
    if ((host === undefined) === (context === undefined)) {
      throw new UserError(`${at}: give exactly one of host and context`, EXIT.usage);
    }
    let target: EngineTarget;
    if (context !== undefined) {
      target = contextTarget(context, `${at}.context`);
    } else {
      const url = parseEngineUrl(host!, `${at}.host`);
      const tls = envTls(url);
      target = { name: host!, url: host!, where: at, ...(tls ? { tls } : {}) };
    }
    if (e.tls !== undefined) {
      if (typeof e.tls !== 'object' || e.tls === null || Array.isArray(e.tls)) {
        throw new UserError(`${at}.tls: expected { ca, cert, key } file paths`, EXIT.usage);
      }
      const tls: TlsFiles = {};
      for (const [k, v] of Object.entries(e.tls)) {
        if (k !== 'ca' && k !== 'cert' && k !== 'key') {
          throw new UserError(`${at}.tls.${k}: unknown key (expected ca, cert, key)`, EXIT.usage);
        }
        if (typeof v !== 'string' || v === '')
          throw new UserError(`${at}.tls.${k}: expected a file path`, EXIT.usage);
        tls[k] = rel(v);
      }
      target.tls = tls;
    }
    const identityFile = str('identityFile');
    const knownHosts = str('knownHosts');
    if (identityFile) target.identityFile = rel(identityFile);
    if (knownHosts) target.knownHosts = rel(knownHosts);
    if (name) target.name = name;
    return target;
  });
}

/**
 * Every engine named by `--host`, `--context` and `--hosts-file`, in that order. Two entries with
 * the same name are refused: the report is grouped by name.
 */
export async function fleetTargets(flags: {
  host?: readonly string[] | undefined;
  context?: readonly string[] | undefined;
  'hosts-file'?: string | undefined;
}): Promise<EngineTarget[]> {
  const targets = [
    ...(flags.host ?? []).map(hostTarget),
    ...(flags.context ?? []).map((c) => contextTarget(c)),
    ...(flags['hosts-file'] ? await hostsFileTargets(flags['hosts-file']) : []),
  ];
  const seen = new Map<string, string>();
  for (const t of targets) {
    const before = seen.get(t.name);
    if (before !== undefined) {
      throw new UserError(`engine ${t.name} is named twice (${before} and ${t.where})`, EXIT.usage, [
        'give hosts-file entries distinct names',
      ]);
    }
    seen.set(t.name, t.where);
  }
  if (targets.length === 0) throw new UserError('no engine to audit', EXIT.usage);
  return targets;
}
