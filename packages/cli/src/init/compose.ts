import path from 'node:path';
import {
  ComponentArgsError,
  type ComponentException,
  computeContainerArgs,
  type HardenedContainerArgs,
  type HealthcheckArg,
  type PortArg,
} from '@bulkhead/components';
import { type ContainerSpec, catalog, fromCompose, InputError, isKnown } from '@bulkhead/core';
import { isMap, isScalar, LineCounter, type Node, parseDocument, stringify, type YAMLMap } from 'yaml';
import { UserError } from '../lib/exit.js';
import { readInputTextSync } from '../lib/files.js';
import { loadTemplate } from './scaffold.js';
import { DESCRIPTION_PLACEHOLDER, PROJECT_PLACEHOLDER, type TemplateFile } from './templates.js';

/** One line of the conversion report. */
export interface ReportItem {
  service: string;
  /** The compose setting, as `services.<name>.<key>`. */
  setting: string;
  /** What happened to it. */
  detail: string;
  /** Line in the compose file, when known. */
  line?: number;
}

/** What `init --from-compose` did with each setting. */
export interface ConversionReport {
  /** Settings made stricter (or secure defaults added where compose said nothing). */
  hardened: ReportItem[];
  /** Settings kept as they were, each behind an exception whose reason says the converter kept it. */
  exceptions: ReportItem[];
  /** Settings the program does not carry over, each with a TODO in index.ts. */
  notCarried: ReportItem[];
}

/** The generated project and its report. */
export interface Conversion {
  files: TemplateFile[];
  description: string;
  report: ConversionReport;
}

/** A piece of TypeScript emitted as is (a config lookup, a variable). */
class Code {
  constructor(readonly code: string) {}
}

/** The compose keys the converter understands; any other key is reported as not carried over. */
const HANDLED = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'tmpfs',
  'networks',
  'network_mode',
  'depends_on',
  'healthcheck',
  'deploy',
  'mem_limit',
  'memswap_limit',
  'cpus',
  'user',
  'cap_add',
  'cap_drop',
  'read_only',
  'security_opt',
  'privileged',
  'pid',
  'ipc',
  'restart',
  'logging',
  'working_dir',
  'hostname',
  'container_name',
  'labels',
  'init',
  'sysctls',
  'pids_limit',
]);

/** A parsed compose file with positions. */
interface ComposeSource {
  file: string;
  dir: string;
  lines: LineCounter;
  services: [string, YAMLMap][];
  /** Core's normalized view of each service (units converted, links from depends_on, lines). */
  specs: Map<string, ContainerSpec>;
}

/**
 * Reads a compose file and keeps node positions for the report.
 * @throws {@link UserError} naming `file:line` and the problem.
 */
function readCompose(file: string): ComposeSource {
  // The bounded reader every file-taking flag uses: regular files only, 32 MiB at most.
  const text = readInputTextSync(file, 'compose file');
  // Core's compose adapter is the parser of record: its errors name file:line and the fix.
  const specs = new Map<string, ContainerSpec>();
  try {
    for (const spec of fromCompose(text, file).containers) specs.set(spec.source.name, spec);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(error.message);
    throw error;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const err = doc.errors[0];
  if (err) {
    const line = lines.linePos(err.pos[0]).line;
    throw new UserError(`${file}:${line}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const at = (node: Node | null | undefined): string =>
    node?.range ? `${file}:${lines.linePos(node.range[0]).line}` : file;
  const root = doc.contents;
  if (!isMap(root)) throw new UserError(`${at(root)}: a compose file must be a mapping with a services: key`);
  const services = root.get('services', true);
  if (!isMap(services) || services.items.length === 0) {
    throw new UserError(
      `${at((services as Node | undefined) ?? root)}: services must map each service name to its settings`,
    );
  }
  const out: [string, YAMLMap][] = [];
  for (const pair of services.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name)) {
      throw new UserError(
        `${at(pair.key as Node)}: service name "${name}" must use letters, digits, "_", "." and "-"`,
      );
    }
    if (!isMap(pair.value))
      throw new UserError(`${at(pair.key as Node)}: services.${name} must be a mapping`);
    const image = pair.value.get('image');
    if (image === undefined && pair.value.get('build') === undefined) {
      throw new UserError(`${at(pair.key as Node)}: services.${name} needs an image: or a build: key`);
    }
    if (image !== undefined && typeof image !== 'string') {
      throw new UserError(
        `${at(pair.value.get('image', true) as Node)}: services.${name}.image must be a string`,
      );
    }
    out.push([name, pair.value]);
  }
  return { file, dir: path.dirname(file), lines, services: out, specs };
}

/** Everything the converter decided about one service. */
interface ServicePlan {
  name: string;
  configKey: string;
  imageDefault: string;
  args: Record<string, unknown>;
  exceptions: (ComponentException | Code)[];
  exposes: number[];
  dependsOn: string[];
  ports: PortArg[];
  namedVolumes: string[];
  secretConfig: { key: string; env: string }[];
  todos: string[];
}

/**
 * Converts a compose file into a hardened Pulumi TypeScript program built on `SegmentedStack`,
 * and reports every setting it hardened, kept behind a written exception, or could not carry
 * over. Which rules a kept setting weakens is derived from the components' own checks (core's
 * catalog), never listed here.
 * @throws {@link UserError} for an unreadable or invalid compose file (`file:line: problem`)
 */
export function convertCompose(file: string, project: string): Conversion {
  const src = readCompose(file);
  const report: ConversionReport = { hardened: [], exceptions: [], notCarried: [] };
  const plans = src.services.map(([name, node]) => planService(src, name, node, report));
  const known = new Set(plans.map((p) => p.name));

  const links: string[] = [];
  for (const p of plans) {
    for (const dep of p.dependsOn) {
      if (!known.has(dep)) {
        throw new UserError(
          `${src.file}: services.${p.name}.depends_on names "${dep}", which is not a service`,
        );
      }
      const target = plans.find((q) => q.name === dep)!;
      const port = target.exposes[0];
      links.push(port ? `${p.name}->${dep}:${port}` : `${p.name}->${dep}`);
    }
  }
  for (const p of plans) {
    const withLinks = plans.some((q) => q.dependsOn.includes(p.name)) || p.dependsOn.length > 0;
    report.hardened.push({
      service: p.name,
      setting: `services.${p.name}.networks`,
      detail: withLinks
        ? 'shared compose networks replaced by one internal network per depends_on link'
        : 'no network at all: nothing depends on it and it depends on nothing',
    });
  }

  deriveExceptions(plans, links, report);
  const files = renderProject(project, src, plans, links, report);
  const description = `Converted from ${path.basename(file)} by bulkhead init: ${plans.length} hardened service${plans.length === 1 ? '' : 's'}.`;
  return { files, description, report };
}

function lineOf(src: ComposeSource, node: unknown): number | undefined {
  const n = node as Node | undefined;
  return n?.range ? src.lines.linePos(n.range[0]).line : undefined;
}

function camel(s: string): string {
  return s
    .replace(/[-_.]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase())
    .replace(/^[A-Z]/, (c) => c.toLowerCase());
}

function planService(src: ComposeSource, name: string, node: YAMLMap, report: ConversionReport): ServicePlan {
  const raw = node.toJSON() as Record<string, unknown>;
  const spec = src.specs.get(name);
  const item = (key: string, detail: string): ReportItem => {
    const setting = `services.${name}.${key}`;
    const out: ReportItem = { service: name, setting, detail };
    const line =
      spec?.source.locations?.get(setting)?.line ??
      spec?.source.locations?.get(`services.${name}.${key.split('.')[0]}`)?.line ??
      lineOf(src, node.get(key.split('.')[0]!, true));
    if (line !== undefined) out.line = line;
    return out;
  };
  const hardened = (key: string, detail: string) => report.hardened.push(item(key, detail));
  const notCarried = (key: string, detail: string, todo: string) => {
    report.notCarried.push(item(key, detail));
    plan.todos.push(`TODO(${key}): ${todo}`);
  };
  const configKey = `${camel(name)}Image`;
  const plan: ServicePlan = {
    name,
    configKey,
    imageDefault: '',
    args: {},
    exceptions: [],
    exposes: [],
    dependsOn: [],
    ports: [],
    namedVolumes: [],
    secretConfig: [],
    todos: [],
  };
  const args = plan.args;

  // Image: pinned images are kept; others become a config value whose digest the user must set.
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  if (raw.build !== undefined) {
    notCarried(
      'build',
      `build: is not run by the program; build and push the image, then set config ${configKey} to name@sha256:…`,
      `build this image in CI, push it, and set \`pulumi config set ${configKey} <name>@sha256:<digest>\``,
    );
  }
  plan.imageDefault = image ?? `registry.example/${name}:latest`;
  if (image?.includes('${')) {
    notCarried(
      'image',
      'uses compose variable interpolation; the default keeps the text as written',
      `resolve the variable in config ${configKey}`,
    );
  }
  if (!/@sha256:[0-9a-f]{64}$/.test(plan.imageDefault)) {
    notCarried(
      'image',
      `not pinned by digest; config ${configKey} holds it until you set name@sha256:<digest>`,
      `pin by digest: \`pulumi config set ${configKey} ${plan.imageDefault.split('@')[0]}@sha256:<digest>\` (docker buildx imagetools inspect shows it); the exception below goes away by itself`,
    );
  }
  args.image = new Code(`images.${camel(name)}`);

  if (raw.command !== undefined) args.command = argv(raw.command);
  if (raw.entrypoint !== undefined) args.entrypoint = argv(raw.entrypoint);
  if (typeof raw.working_dir === 'string') args.workingDir = raw.working_dir;
  if (typeof raw.hostname === 'string') args.hostname = raw.hostname;
  if (typeof raw.container_name === 'string') args.containerName = raw.container_name;

  // Environment.
  const env = envOf(raw.environment);
  const envOut: Record<string, string | Code> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) {
      notCarried(`environment.${k}`, 'has no value in the file (taken from the shell)', `give ${k} a value`);
      continue;
    }
    if (v.includes('${')) {
      notCarried(
        `environment.${k}`,
        'uses compose variable interpolation, kept as written text',
        `replace the \${…} in ${k} with a value or a config lookup`,
      );
    }
    envOut[k] = v;
  }
  if (Object.keys(envOut).length > 0) args.env = envOut;
  if (raw.env_file !== undefined) {
    notCarried(
      'env_file',
      'env_file is not read; its variables are not in the program',
      'copy the variables the service needs into env (secrets into secret config)',
    );
  }

  // Ports: published only for this service, on 127.0.0.1 unless an interface was named.
  for (const p of portsOf(raw.ports)) {
    if (p.error) {
      notCarried('ports', p.error, 'publish this port by hand in ingress');
      continue;
    }
    const port: PortArg = { internal: p.internal! };
    if (p.external !== undefined) port.external = p.external;
    if (p.protocol && p.protocol !== 'tcp') port.protocol = p.protocol as 'udp' | 'sctp';
    if (p.ip && p.ip !== '0.0.0.0' && p.ip !== '::') port.ip = p.ip;
    else
      hardened(
        'ports',
        `${p.external ?? p.internal}->${p.internal} bound to 127.0.0.1 instead of every interface`,
      );
    plan.ports.push(port);
    plan.exposes.push(p.internal!);
  }
  for (const e of Array.isArray(raw.expose) ? raw.expose : []) {
    const n = Number.parseInt(String(e), 10);
    if (Number.isInteger(n)) plan.exposes.push(n);
  }

  // Volumes and tmpfs.
  const writable: Record<string, { size: string }> = {};
  for (const t of listOf(raw.tmpfs)) writable[String(t).split(':')[0]!] = { size: '64m' };
  const volumes: { source: Code; target: string; readOnly?: boolean }[] = [];
  const binds: { hostPath: string; target: string; readOnly?: boolean }[] = [];
  for (const v of volumesOf(raw.volumes)) {
    if (v.error) {
      notCarried('volumes', v.error, 'mount it by hand');
      continue;
    }
    if (v.type === 'volume' && v.source) {
      plan.namedVolumes.push(v.source);
      const vol: { source: Code; target: string; readOnly?: boolean } = {
        source: new Code(`volumes[${JSON.stringify(v.source)}]!.name`),
        target: v.target,
      };
      if (v.readOnly) vol.readOnly = true;
      volumes.push(vol);
    } else if (v.type === 'volume') {
      writable[v.target] = { size: '64m' };
      hardened('volumes', `anonymous volume ${v.target} became a size-limited noexec tmpfs`);
    } else if (v.type === 'bind' && v.source) {
      const hostPath = path.resolve(src.dir, v.source);
      binds.push(
        v.readOnly === undefined
          ? { hostPath, target: v.target }
          : { hostPath, target: v.target, readOnly: v.readOnly },
      );
      if (v.source !== hostPath) {
        hardened('volumes', `relative bind source ${v.source} resolved to the absolute path ${hostPath}`);
      }
    } else if (v.type === 'tmpfs') {
      writable[v.target] = { size: '64m' };
    }
  }
  if (volumes.length > 0) args.volumes = volumes;
  if (binds.length > 0) args.bindMounts = binds;

  // Read-only root with tmpfs for the writable paths.
  if (raw.read_only !== true) {
    hardened('read_only', 'read-only root filesystem, with a 16m noexec tmpfs on /tmp');
    writable['/tmp'] ??= { size: '16m' };
  }
  if (Object.keys(writable).length > 0) args.writablePaths = writable;

  // User.
  const user = raw.user === undefined ? undefined : String(raw.user);
  if (user === undefined || user === '0' || user === 'root' || /^0:/.test(user) || /^root:/.test(user)) {
    hardened(
      'user',
      user
        ? 'root replaced by a numeric uid of its own'
        : 'runs as a numeric non-root uid of its own (the image default may be root)',
    );
  } else if (/^\d+:\d+$/.test(user)) {
    args.user = user;
  } else if (/^\d+$/.test(user)) {
    args.user = `${user}:${user}`;
    hardened('user', `uid ${user} given the gid ${user} instead of the root group`);
  } else {
    notCarried(
      'user',
      `user name "${user}" cannot be checked for root before start; a numeric uid of its own is used`,
      `set user to the numeric uid:gid of "${user}" in the image`,
    );
  }

  // Capabilities and security options.
  hardened('cap_drop', 'every capability dropped (cap_drop: ALL)');
  const capAdd = listOf(raw.cap_add).map(String);
  if (capAdd.length > 0) args.capAdd = capAdd;
  hardened(
    'security_opt',
    "no-new-privileges, Bulkhead's default-deny seccomp profile and AppArmor docker-default",
  );
  for (const opt of listOf(raw.security_opt).map(String)) {
    if (/unconfined|label[:=]disable|systempaths/.test(opt)) {
      hardened(
        'security_opt',
        `"${opt.split(/[:=]/)[0]}" weakening dropped; if the service needs it, add it with an exception`,
      );
    }
  }
  if (raw.privileged === true)
    hardened(
      'privileged',
      'privileged mode dropped; add the one capability the service needs (cap_add) if it breaks',
    );
  if (raw.network_mode !== undefined) {
    const mode = String(raw.network_mode);
    if (mode === 'host') hardened('network_mode', "the host's network namespace is not shared");
    else
      notCarried(
        'network_mode',
        `network_mode ${mode} is not carried`,
        'declare the link the service needs instead',
      );
  }
  if (raw.pid === 'host') hardened('pid', "the host's PID namespace is not shared");
  if (raw.ipc === 'host') hardened('ipc', "the host's IPC namespace is not shared");

  // Limits.
  // Limits, in the units core normalized them to (bytes, nano-CPUs).
  const memory =
    isKnown(spec?.memory) && spec.memory > 0 ? Math.max(6, Math.round(spec.memory / 1024 / 1024)) : undefined;
  if (memory !== undefined) args.memoryMb = memory;
  else hardened('deploy.resources.limits.memory', 'memory limit 256 MB (no swap) added');
  if (isKnown(spec?.nanoCpus) && spec.nanoCpus > 0) args.cpus = String(spec.nanoCpus / 1e9);
  else hardened('deploy.resources.limits.cpus', 'CPU limit 0.5 added');
  const pids = isKnown(spec?.pidsLimit) ? spec.pidsLimit : Number.NaN;
  if (Number.isInteger(pids) && pids > 0) {
    args.maxProcesses = pids;
    hardened('pids_limit', `pids limit ${pids} carried as the nproc ulimit of the container's own uid`);
  } else {
    hardened('pids_limit', "process limit 256 added (nproc ulimit of the container's own uid)");
  }

  // Health check.
  const hc = raw.healthcheck as Record<string, unknown> | undefined;
  if (hc && hc.disable !== true && hc.test !== undefined) {
    const test = Array.isArray(hc.test) ? hc.test.map(String) : ['CMD-SHELL', String(hc.test)];
    if (test[0] === 'NONE') {
      notCarried('healthcheck', 'test: NONE disables the check', 'add a health check');
    } else {
      const h: HealthcheckArg = { test };
      for (const [from, to] of [
        ['interval', 'interval'],
        ['timeout', 'timeout'],
        ['start_period', 'startPeriod'],
      ] as const) {
        const d = duration(hc[from]);
        if (d) h[to] = d;
      }
      if (Number.isInteger(hc.retries)) h.retries = hc.retries as number;
      args.healthcheck = h;
    }
  }

  if (raw.restart !== undefined) hardened('restart', 'restart policy on-failure with at most 3 retries');
  else hardened('restart', 'restart policy on-failure with at most 3 retries added');
  if (raw.logging !== undefined) hardened('logging', 'json-file logs rotated at 10m × 3 files');
  if (raw.init === false) hardened('init', 'an init process reaps zombies');
  if (raw.sysctls && typeof raw.sysctls === 'object' && !Array.isArray(raw.sysctls)) {
    args.sysctls = Object.fromEntries(Object.entries(raw.sysctls).map(([k, v]) => [k, String(v)]));
  }
  const labels = labelsOf(raw.labels);
  if (Object.keys(labels).length > 0) args.labels = labels;

  // Links: core reads depends_on (list or mapping) and legacy links into `links`.
  const declared = spec?.links;
  if (isKnown(declared)) {
    plan.dependsOn = declared.filter((l): l is string => typeof l === 'string').map((l) => l.split(':')[0]!);
  } else if (declared !== undefined) {
    notCarried('depends_on', 'depends_on could not be read', 'declare the links by hand');
  }

  for (const key of Object.keys(raw)) {
    if (!HANDLED.has(key)) {
      notCarried(
        key,
        `${key} is not supported by the converter`,
        `carry ${key} over by hand if the service needs it`,
      );
    }
  }
  return plan;
}

/**
 * Finds, for each service, which core rules its kept settings weaken, by asking the components'
 * own check (`computeContainerArgs`), and adds one exception per rule with a TODO reason. Secret
 * env values the same check flags are moved out of the program into secret config.
 */
function deriveExceptions(plans: ServicePlan[], links: string[], report: ConversionReport): void {
  for (const p of plans) {
    const outgoing = links.filter((l) => l.startsWith(`${p.name}->`)).map((l) => l.slice(p.name.length + 2));
    const networks = links.filter((l) => l.split(/->|:/).slice(0, 2).includes(p.name)).map((l) => `net-${l}`);
    const probe = (exceptions: ComponentException[]) => {
      const a = staticArgs(p) as unknown as HardenedContainerArgs;
      if (networks.length > 0) a.networks = networks;
      if (outgoing.length > 0) a.links = outgoing;
      if (p.ports.length > 0) {
        a.ports = p.ports;
        a.role = 'ingress';
      }
      if (exceptions.length > 0) a.exceptions = exceptions;
      return computeContainerArgs(p.name, a);
    };
    const found: ComponentException[] = [];
    let imageRule: string | undefined;
    for (let round = 0; round < 3; round++) {
      try {
        const computed = probe(found);
        moveSecrets(p, computed.secretEnvKeys, report);
        break;
      } catch (error) {
        if (!(error instanceof ComponentArgsError)) throw error;
        const fresh = new Map<string, string>();
        const other: string[] = [];
        for (const issue of error.issues) {
          const rule = /\(rule ([a-z0-9-]+)\)/.exec(issue.message)?.[1];
          if (rule && catalog.has(rule)) {
            if (!found.some((e) => e.rule === rule) && !fresh.has(rule)) fresh.set(rule, issue.path);
          } else other.push(`${issue.path}: ${issue.message}`);
        }
        if (other.length > 0 || fresh.size === 0) {
          throw new UserError(
            `services.${p.name} cannot be converted:\n  ${[...other, error.message].join('\n  ')}`,
          );
        }
        for (const [rule, at] of fresh) {
          const title = catalog.get(rule)!.title;
          found.push({
            rule,
            reason: `kept by bulkhead init --from-compose: ${p.name} had this setting in the compose file; review why it needs an exception to "${title}", or fix it and remove this`,
          });
          // The image is reported under "could not carry over"; its exception lapses once pinned.
          if (at === 'args.image') {
            imageRule = rule;
            continue;
          }
          report.exceptions.push({
            service: p.name,
            setting: `services.${p.name}: ${at.replace(/^args\./, '')}`,
            detail: `kept; exception for rule ${rule} (${title}) — write the reason in index.ts`,
          });
        }
      }
    }
    p.exceptions = found.map((e) =>
      e.rule === imageRule
        ? new Code(
            `...untilPinned(images.${camel(p.name)}, ${JSON.stringify(p.configKey)}, ${JSON.stringify(e.rule)})`,
          )
        : e,
    );
  }
}

/** Moves env values the components flag as secrets into secret config declared in Pulumi.yaml. */
function moveSecrets(p: ServicePlan, keys: readonly string[], report: ConversionReport): void {
  const env = p.args.env as Record<string, string | Code> | undefined;
  if (!env) return;
  for (const k of keys) {
    const configKey = `${camel(p.name)}${k
      .toLowerCase()
      .split(/[_.-]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('')}`;
    env[k] = new Code(`secret(${JSON.stringify(configKey)})`);
    p.secretConfig.push({ key: configKey, env: k });
    report.hardened.push({
      service: p.name,
      setting: `services.${p.name}.environment.${k}`,
      detail: `value moved out of the program into secret config ${configKey} (pulumi config set --secret ${configKey} …)`,
    });
  }
}

/** The plan's args with code references replaced by plain stand-ins, for the components' check. */
function staticArgs(p: ServicePlan): Record<string, unknown> {
  const conv = (v: unknown): unknown => {
    if (v instanceof Code) {
      if (v.code.startsWith('images.')) return p.imageDefault;
      if (v.code.startsWith('volumes[')) return 'volume';
      return 'placeholder';
    }
    if (Array.isArray(v)) return v.map(conv);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
    return v;
  };
  return conv(p.args) as Record<string, unknown>;
}

// ---- reading compose values -------------------------------------------------------------------

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Splits a compose command string the way compose does (shell words, no shell). */
function argv(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter((s) => s.length > 0);
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of String(v).matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out.filter((s) => s.length > 0);
}

function envOf(v: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (Array.isArray(v)) {
    for (const e of v.map(String)) {
      const i = e.indexOf('=');
      if (i < 0) out[e] = undefined;
      else out[e.slice(0, i)] = e.slice(i + 1);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? undefined : String(x);
  }
  return out;
}

function labelsOf(v: unknown): Record<string, string> {
  const env = envOf(v);
  return Object.fromEntries(
    Object.entries(env).filter(([k, x]) => x !== undefined && !k.startsWith('dev.bulkhead.')) as [
      string,
      string,
    ][],
  );
}

interface ParsedPort {
  internal?: number;
  external?: number;
  ip?: string;
  protocol?: string;
  error?: string;
}

function portsOf(v: unknown): ParsedPort[] {
  return listOf(v).map((p): ParsedPort => {
    if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      const out: ParsedPort = { internal: Number(o.target) };
      if (o.published !== undefined) out.external = Number(o.published);
      if (o.host_ip !== undefined) out.ip = String(o.host_ip);
      if (o.protocol !== undefined) out.protocol = String(o.protocol);
      return Number.isInteger(out.internal) ? out : { error: 'port without a numeric target' };
    }
    const text = String(p);
    const [spec, protocol] = text.split('/') as [string, string | undefined];
    let ip: string | undefined;
    let rest = spec;
    const v6 = /^\[([0-9a-f:]+)\]:(.*)$/i.exec(spec);
    const v4 = /^(\d+\.\d+\.\d+\.\d+):(.*)$/.exec(spec);
    const hit = v6 ?? v4;
    if (hit) {
      ip = hit[1];
      rest = hit[2] ?? '';
    }
    const parts = rest.split(':');
    if (parts.length > 2 || parts.some((x) => !/^\d+$/.test(x))) {
      return { error: `port "${text}" (a range or unusual form)` };
    }
    const out: ParsedPort = { internal: Number(parts[parts.length - 1]) };
    if (parts.length === 2) out.external = Number(parts[0]);
    if (ip !== undefined) out.ip = ip;
    if (protocol !== undefined) out.protocol = protocol.toLowerCase();
    return out;
  });
}

interface ParsedVolume {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string;
  target: string;
  readOnly?: boolean;
  error?: string;
}

function volumesOf(v: unknown): ParsedVolume[] {
  return listOf(v).map((x): ParsedVolume => {
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const type = String(o.type ?? 'volume');
      const target = String(o.target ?? '');
      if (!['bind', 'volume', 'tmpfs'].includes(type) || !target.startsWith('/')) {
        return { type: 'volume', target, error: `volume of type ${type} to ${target || '(no target)'}` };
      }
      const out: ParsedVolume = { type: type as ParsedVolume['type'], target };
      if (o.source !== undefined) out.source = String(o.source);
      if (o.read_only === true) out.readOnly = true;
      return out;
    }
    const parts = String(x).split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0]! };
    const [source, target, mode] = parts as [string, string, string | undefined];
    if (!target?.startsWith('/'))
      return { type: 'volume', target: target ?? '', error: `volume "${String(x)}"` };
    const out: ParsedVolume = {
      type: /^[./~]/.test(source) ? 'bind' : 'volume',
      source,
      target,
    };
    if (mode?.split(',').includes('ro')) out.readOnly = true;
    else if (out.type === 'bind') out.readOnly = false;
    if (source.startsWith('~')) return { ...out, error: `bind source "${source}" under a home directory` };
    return out;
  });
}

/** Compose durations (`1m30s`, `500ms`) → whole seconds or milliseconds. */
function duration(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(ms|us|s|m|h)/g;
  let matched = '';
  for (const m of v.matchAll(re)) {
    matched += m[0];
    const n = Number(m[1]);
    ms +=
      m[2] === 'h'
        ? n * 3_600_000
        : m[2] === 'm'
          ? n * 60_000
          : m[2] === 's'
            ? n * 1000
            : m[2] === 'ms'
              ? n
              : n / 1000;
  }
  if (matched !== v || ms <= 0) return undefined;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

// ---- writing the program ------------------------------------------------------------------------

function emit(v: unknown, indent: string): string {
  if (v instanceof Code) return v.code;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const flat = `[${v.map((x) => emit(x, indent)).join(', ')}]`;
    if (flat.length < 80 && !flat.includes('\n')) return flat;
    return `[\n${v.map((x) => `${indent}  ${emit(x, `${indent}  `)},`).join('\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
    const flat = `{ ${entries.map(([k, x]) => `${key(k)}: ${emit(x, indent)}`).join(', ')} }`;
    if (flat.length < 80 && !flat.includes('\n')) return flat;
    return `{\n${entries.map(([k, x]) => `${indent}  ${key(k)}: ${emit(x, `${indent}  `)},`).join('\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

function renderProject(
  project: string,
  src: ComposeSource,
  plans: ServicePlan[],
  links: string[],
  report: ConversionReport,
): TemplateFile[] {
  const base = loadTemplate('web-db').files.filter((f) =>
    ['package.json', 'tsconfig.json', 'jest.config.cjs', '.gitignore'].includes(f.path),
  );
  const composeName = path.basename(src.file);
  const volumeNames = [...new Set(plans.flatMap((p) => p.namedVolumes))];
  const ingress = Object.fromEntries(plans.filter((p) => p.ports.length > 0).map((p) => [p.name, p.ports]));

  const services: Record<string, unknown> = {};
  const todoComments = new Map<string, string[]>();
  for (const p of plans) {
    const a: Record<string, unknown> = { ...p.args };
    if (p.exceptions.length > 0) a.exceptions = p.exceptions;
    services[p.name] = a;
    todoComments.set(p.name, p.todos);
  }
  let servicesCode = emit(services, '  ');
  // Put each service's TODOs as comments above it.
  for (const [svc, todos] of todoComments) {
    if (todos.length === 0) continue;
    const keyText = /^[A-Za-z_$][\w$]*$/.test(svc) ? svc : JSON.stringify(svc);
    servicesCode = servicesCode.replace(
      new RegExp(`\\n(\\s+)${escapeRe(keyText)}: \\{`),
      (_m, sp: string) => `\n${todos.map((t) => `${sp}// ${t}`).join('\n')}\n${sp}${keyText}: {`,
    );
  }

  const anyPinException = plans.some((p) => p.exceptions.some((e) => e instanceof Code));
  const anySecret = plans.some((p) => p.secretConfig.length > 0);
  const defaults = Object.fromEntries(plans.map((p) => [p.configKey, p.imageDefault]));
  const lines = [
    `// Generated by \`bulkhead init --from-compose ${composeName}\`. Every service of the compose file is`,
    '// a hardened container of one SegmentedStack: its own numeric non-root uid, every capability',
    '// dropped, no-new-privileges, default-deny seccomp, read-only root, limits, one internal network',
    '// per depends_on link, and published ports (on 127.0.0.1) only for services that had ports.',
    '// Search for TODO: each marks a setting kept behind an exception whose reason you must write,',
    '// or one that could not be carried over.',
    anyPinException
      ? "import { type ComponentException, SegmentedStack } from '@bulkhead/components';"
      : "import { SegmentedStack } from '@bulkhead/components';",
    ...(volumeNames.length > 0 ? ["import * as docker from '@pulumi/docker';"] : []),
    "import * as pulumi from '@pulumi/pulumi';",
    '',
    '/** Config defaults; the same values are the defaults in Pulumi.yaml. */',
    `export const defaults = ${emit(defaults, '')};`,
    '',
    'const config = new pulumi.Config();',
    `const images = ${emit(Object.fromEntries(plans.map((p) => [camel(p.name), new Code(`config.get(${JSON.stringify(p.configKey)}) ?? defaults.${p.configKey}`)])), '')};`,
  ];
  if (anySecret) {
    lines.push(
      '',
      '// Secret config: Pulumi.yaml declares each key without a default, so `pulumi up` refuses to run',
      '// until it is set; offline checks (tests, `bulkhead validate`) run with a placeholder.',
      'const secret = (key: string) => config.getSecret(key) ?? pulumi.secret(`offline-check-placeholder`);',
    );
  }
  if (anyPinException) {
    lines.push(
      '',
      "/** An exception for the image-pinning rule while a service's image is not pinned by digest. */",
      'const untilPinned = (image: string, configKey: string, rule: string): ComponentException[] =>',
      '  /@sha256:[0-9a-f]{64}$/.test(image)',
      '    ? []',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: emitted TypeScript
      '    : [{ rule, reason: `kept by bulkhead init --from-compose until the image is pinned by digest with config ${configKey}` }];',
    );
  }
  if (volumeNames.length > 0) {
    lines.push(
      '',
      `const volumes: Record<string, docker.Volume> = ${emit(Object.fromEntries(volumeNames.map((v) => [v, new Code(`new docker.Volume(${JSON.stringify(v)})`)])), '')};`,
    );
  }
  const stackArgs: string[] = [`  services: ${servicesCode},`];
  if (links.length > 0) stackArgs.push(`  links: ${emit(links, '  ')},`);
  if (Object.keys(ingress).length > 0) stackArgs.push(`  ingress: ${emit(ingress, '  ')},`);
  lines.push(
    '',
    `const stack = new SegmentedStack(${JSON.stringify(project)}, {`,
    ...stackArgs,
    '});',
    '',
    'export const containers = Object.fromEntries(Object.entries(stack.containers).map(([k, c]) => [k, c.containerName]));',
    'export const networks = Object.fromEntries(Object.entries(stack.networks).map(([k, n]) => [k, n.name]));',
    '',
  );
  const index = lines.join('\n');

  const pulumiYaml = renderPulumiYaml(plans);
  const readme = renderReadme(composeName, plans, report);
  return [
    ...base,
    { path: 'Pulumi.yaml', content: pulumiYaml },
    { path: 'index.ts', content: index },
    { path: 'README.md', content: readme },
    { path: 'test/index.test.ts', content: COMPOSE_TEST },
  ].sort((a, b) => a.path.localeCompare(b.path));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function renderPulumiYaml(plans: ServicePlan[]): string {
  const config: Record<string, unknown> = {};
  const template: Record<string, unknown> = {};
  for (const p of plans) {
    const description = `Image of ${p.name}, pinned by digest (name@sha256:<64 hex>).`;
    config[p.configKey] = { type: 'string', default: p.imageDefault, description };
    template[p.configKey] = { description, default: p.imageDefault };
    for (const s of p.secretConfig) {
      const d = `Value of ${s.env} for ${p.name} (secret; required by pulumi up).`;
      config[s.key] = { type: 'string', secret: true, description: d };
      template[s.key] = { description: d, secret: true };
    }
  }
  return stringify(
    {
      name: PROJECT_PLACEHOLDER,
      runtime: { name: 'nodejs', options: { typescript: true } },
      description: DESCRIPTION_PLACEHOLDER,
      config,
      template: { description: 'A hardened Pulumi program converted from a compose file.', config: template },
    },
    { lineWidth: 0 },
  );
}

function renderReadme(composeName: string, plans: ServicePlan[], report: ConversionReport): string {
  const list = (items: ReportItem[]) =>
    items.length === 0 ? ['- (none)'] : items.map((i) => `- \`${i.setting}\`: ${i.detail}`);
  return [
    `# ${PROJECT_PLACEHOLDER}`,
    '',
    `Converted from \`${composeName}\` by \`bulkhead init --from-compose\`: ${plans.map((p) => `\`${p.name}\``).join(', ')} as`,
    'hardened containers of one `SegmentedStack` (`@bulkhead/components`).',
    '',
    '## Before `pulumi up`',
    '',
    'Search `index.ts` for `TODO` and `kept by bulkhead init`. Every exception reason starting with',
    '`kept by bulkhead init` records that the converter kept the compose setting: replace it with why the',
    'service needs the setting (placeholder reasons such as `TODO` are invalid exemptions); every image must',
    'be pinned by digest in config.',
    '',
    '## What the conversion did',
    '',
    '### Hardened',
    '',
    ...list(report.hardened),
    '',
    '### Kept as written exceptions',
    '',
    ...list(report.exceptions),
    '',
    '### Could not carry over',
    '',
    ...list(report.notCarried),
    '',
    '## Check it',
    '',
    '```sh',
    'npm install',
    'npm test            # the program under Pulumi mocks: hardened wiring, no unexempted findings',
    'npx tsc --noEmit',
    'bulkhead validate .',
    '```',
    '',
  ].join('\n');
}

/** The generated project's test: the converted program under mocks. */
const COMPOSE_TEST = `import { findingsFor, type RegisteredResource, runProgramUnderMocks } from '@bulkhead/components/testkit';

let resources: RegisteredResource[];

beforeAll(async () => {
  // The mocks are in place before the program is required.
  resources = await runProgramUnderMocks(() => require('../index'));
});

const containers = () => resources.filter((r) => r.type === 'docker:index/container:Container');

describe('the converted program', () => {
  it('has no findings under the restricted profile other than written exceptions', () => {
    const report = findingsFor(resources, { profile: 'restricted' });
    expect(report.findings.filter((f) => f.status !== 'exempt')).toEqual([]);
  });

  it('runs every container as a numeric non-root user with every capability dropped and a read-only root', () => {
    expect(containers().length).toBeGreaterThan(0);
    for (const c of containers()) {
      expect(c.inputs.user).toMatch(/^[1-9]\\d*:[1-9]\\d*$/);
      expect((c.inputs.capabilities as { drops: string[] }).drops).toEqual(['ALL']);
      expect(c.inputs.readOnly).toBe(true);
    }
  });

  it('publishes ports only on the services marked ingress', () => {
    for (const c of containers()) {
      const labels = Object.fromEntries(
        ((c.inputs.labels ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]),
      );
      if (((c.inputs.ports ?? []) as unknown[]).length > 0) expect(labels['dev.bulkhead.role']).toBe('ingress');
    }
  });
});
`;
