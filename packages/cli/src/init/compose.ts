/**
 * `bulkhead init --from-compose`: a compose file, as core's compose adapter reads it (the same
 * reading `bulkhead validate` judges), becomes a hardened Pulumi program built on
 * `SegmentedStack`. Nothing here parses compose: ports, mounts, environment, networks, links,
 * limits and users come from core's normalized {@link ContainerSpec}; the few settings the model
 * does not hold (`build`, `entrypoint`, `working_dir`, `expose`…) from the service mapping core
 * resolved (`source.settings`).
 *
 * Every value taken from the file reaches the generated TypeScript through `JSON.stringify`
 * (string literals, quoted keys) or {@link oneLine} (comments), and the YAML through the `yaml`
 * library; the result is type-checked before it is written (see `check.ts`).
 */
import path from 'node:path';
import {
  ComponentArgsError,
  type ComponentException,
  computeContainerArgs,
  type HardenedContainerArgs,
  type HealthcheckArg,
  type PortArg,
} from '@bulkhead/components';
import {
  type ContainerSpec,
  catalog,
  fromCompose,
  InputError,
  isKnown,
  type MountSpec,
  nodeComposeFiles,
  type ResourceSet,
  SECURE,
  type Val,
} from '@bulkhead/core';
import { stringify } from 'yaml';
import { UserError } from '../lib/exit.js';
import { loadTemplate } from './scaffold.js';
import { DESCRIPTION_PLACEHOLDER, oneLine, PROJECT_PLACEHOLDER, type TemplateFile } from './templates.js';

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
  /** Settings kept as they were, each behind an exception whose reason the user must write. */
  exceptions: ReportItem[];
  /** Settings the program does not carry over, each with a TODO in index.ts. */
  notCarried: ReportItem[];
  /** Links declared so that services that could reach each other in compose still can, and why. */
  linked: ReportItem[];
  /** Names the program could not take from the file as they are, and what it uses instead. */
  renamed: ReportItem[];
}

/** The generated project and its report. */
export interface Conversion {
  files: TemplateFile[];
  description: string;
  report: ConversionReport;
}

/** Options of {@link convertCompose}. */
export interface ConvertOptions {
  /** Pulumi project name (already validated). */
  project: string;
  /** Directory the project is written to: relative bind paths are kept relative to it. */
  outDir: string;
}

/**
 * The reason written on every exception the converter adds. It starts with `TODO` on purpose:
 * it states that the converter kept the compose file's setting, not why the service needs it, so
 * `bulkhead validate` and the policy pack treat it as a placeholder until a person replaces it.
 */
export function keptReason(service: string): string {
  return `TODO: bulkhead init kept this setting from the compose file; write why ${service} needs it, or remove it`;
}

/**
 * The reason the converter's own probe of the components' checks uses (never written anywhere):
 * a written reason, so the probe sees only the rules a setting weakens, not the placeholder.
 */
const PROBE_REASON = 'bulkhead init probes which rules the settings kept from the compose file weaken';

/** A piece of TypeScript emitted as is: built only from fixed text and encoded values. */
class Code {
  constructor(readonly code: string) {}
}

/** The compose keys the converter carries over; any other key is reported as not carried over. */
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
  'links',
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
  'stop_grace_period',
]);

/** Compose's own rule for service names (the Compose Specification's schema). */
const COMPOSE_SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;
/** What `SegmentedStack` accepts as a service name. */
const STACK_SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]*$/i;
/** Above this many link networks, Docker's default address pools (about 30 bridge networks) run out. */
const LINK_NETWORKS_WARN = 24;

/** Hands out names unique in one namespace (compared without case when `fold` is set). */
class Names {
  private readonly used = new Set<string>();
  constructor(private readonly fold: boolean) {}
  take(base: string): string {
    const norm = (n: string) => (this.fold ? n.toLowerCase() : n);
    let name = base;
    for (let i = 2; this.used.has(norm(name)); i++) name = `${base}${i}`;
    this.used.add(norm(name));
    return name;
  }
}

/** `a-b`, `a_b`, `a.b` → `aB`: a readable base for a config key (uniqueness is {@link Names}'). */
function camel(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const out = words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
  if (out === '') return 'service';
  return /^[0-9]/.test(out) ? `s${out}` : out;
}

/** One service as the converter sees it. */
interface Service {
  /** Name in the compose file. */
  name: string;
  /** Name in the program (the compose name unless it cannot be one). */
  key: string;
  spec: ContainerSpec;
  settings: Readonly<Record<string, unknown>>;
}

/** Everything the converter decided about one service. */
interface ServicePlan extends Service {
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

/** Program-wide things the services need. */
interface ProgramNeeds {
  configKeys: Names;
  /** Config keys for compose variables in bind sources: variable → key, default. */
  variables: Map<string, { key: string; default?: string }>;
  binds: boolean;
  composeDirFromProgram: string;
}

/**
 * Converts a compose file into a hardened Pulumi TypeScript program built on `SegmentedStack`,
 * and reports every setting it hardened, kept behind an exception, could not carry over, every
 * link it declared and every name it changed. Which rules a kept setting weakens is derived from
 * the components' own checks (core's catalog), never listed here.
 * @throws {@link UserError} for an invalid compose file (`file:line: problem`)
 */
export function convertCompose(text: string, file: string, options: ConvertOptions): Conversion {
  let resources: ResourceSet;
  try {
    // Core's compose adapter is the reader of record; its errors name file:line and the fix.
    resources = readCompose(text, file);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(error.message);
    throw error;
  }
  if (resources.containers.length === 0) {
    throw new UserError(`${oneLine(file)}: services: names no service; there is nothing to convert`);
  }
  const report: ConversionReport = { hardened: [], exceptions: [], notCarried: [], linked: [], renamed: [] };
  const services = nameServices(resources, file, report);
  const composeDir = path.dirname(path.resolve(file));
  const rel = path.relative(path.resolve(options.outDir), composeDir).split(path.sep).join('/');
  const needs: ProgramNeeds = {
    configKeys: new Names(true),
    variables: new Map(),
    binds: false,
    composeDirFromProgram: rel === '' ? '.' : rel,
  };
  const templates = readTemplates(text, file, resources);
  const plans = services.map((s) => planService(s, needs, report, templates));
  const links = planLinks(plans, resources, report);
  deriveExceptions(plans, links, report, needs);
  const files = renderProject(options.project, file, plans, links, needs, report);
  const n = plans.length;
  const description = `Converted from a compose file by bulkhead init: ${n} hardened service${n === 1 ? '' : 's'}.`;
  return { files, description, report };
}

/**
 * Core's compose loader, as `validate` runs it: the process environment and the project's `.env`
 * for interpolation, and the files `extends` and `include` name.
 */
function readCompose(
  text: string,
  file: string,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): ResourceSet {
  // env_file stays unread: its values do not belong in the generated program (reported instead).
  return fromCompose(text, file, { environment, readFile: nodeComposeFiles(), serviceEnvFiles: false });
}

/** Values built from compose variables, with the variables marked: bind mounts, env values, images. */
interface Templates {
  /** Bind mounts by origin (`services.web.volumes[1]`). */
  mounts: Map<string, MountSpec>;
  /** Strings by source path (`services.web.image`, `services.web.environment.URL`). */
  values: Map<string, string>;
}

/**
 * Values built from compose variables (bind mounts, env values, images), read a second time with every
 * variable standing for itself (marked), by origin (`services.web.volumes[1]`). Core resolves
 * variables (an unset one makes the value unknown); the program takes them from Pulumi config.
 */
function readTemplates(text: string, file: string, resources: ResourceSet): Templates {
  const out: Templates = { mounts: new Map(), values: new Map() };
  if (!text.includes('$')) return out;
  const marked = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, name) =>
      typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
        ? undefined
        : name.startsWith('COMPOSE_') // compose's own settings (the project name) are not values of the file
          ? process.env[name]
          : `${MARK}${name}${MARK}`,
  });
  let again: ResourceSet;
  try {
    again = readCompose(text, file, marked);
  } catch {
    return out; // the first reading succeeded: keep what it read
  }
  const known = new Set(resources.containers.map((c) => c.source.name));
  const templated = (v: unknown): v is string =>
    typeof v === 'string' && pieces(v).some((p) => 'variable' in p);
  for (const spec of again.containers) {
    if (!known.has(spec.source.name)) continue;
    const path = `services.${spec.source.name}`;
    if (templated(spec.image)) out.values.set(`${path}.image`, spec.image);
    for (const m of isKnown(spec.mounts) ? spec.mounts : []) {
      if (m.type === 'bind' && templated(m.source) && m.origin) out.mounts.set(m.origin, m);
    }
    for (const e of isKnown(spec.env) ? spec.env : []) {
      if (templated(e.value) && e.origin) out.values.set(e.origin, e.value);
    }
  }
  return out;
}

/** Checks every service name as compose would, and gives each a program name. */
function nameServices(resources: ResourceSet, file: string, report: ConversionReport): Service[] {
  const taken = new Names(false);
  const valid = resources.containers.filter((spec) => {
    const name = spec.source.name;
    if (!COMPOSE_SERVICE_NAME.test(name)) {
      const line = spec.source.location?.line;
      throw new UserError(
        `${oneLine(file)}${line ? `:${line}` : ''}: service name ${oneLine(lit(name))} is not valid in compose: ` +
          'use letters, digits, ".", "_" and "-"',
      );
    }
    return true;
  });
  // Names that are already valid keep priority over renamed ones.
  for (const spec of valid) {
    const name = spec.source.name;
    if (STACK_SERVICE_NAME.test(name) && name !== '__proto__') taken.take(name);
  }
  return valid.map((spec) => {
    const name = spec.source.name;
    let key = name;
    if (!STACK_SERVICE_NAME.test(name) || name === '__proto__') {
      key = taken.take(`svc${name.replace(/^[^A-Za-z0-9]+/, '-')}`.replace(/^svc-$/, 'svc'));
      const item: ReportItem = {
        service: name,
        setting: `services.${name}`,
        detail: `named ${key} in the program (a stack service name starts with a letter or digit, and is not __proto__); other services reach it as ${key}`,
      };
      const line = spec.source.location?.line;
      if (line !== undefined) item.line = line;
      report.renamed.push(item);
    }
    return { name, key, spec, settings: spec.source.settings ?? {} };
  });
}

function planService(
  svc: Service,
  needs: ProgramNeeds,
  report: ConversionReport,
  templates: Templates,
): ServicePlan {
  const { name, spec, settings: raw } = svc;
  const item = (key: string, detail: string): ReportItem => {
    const setting = `services.${name}.${key}`;
    const out: ReportItem = { service: name, setting, detail };
    const top = key.split(/[.[]/)[0];
    const line =
      spec.source.locations?.get(setting)?.line ??
      spec.source.locations?.get(`services.${name}.${top}`)?.line;
    if (line !== undefined) out.line = line;
    return out;
  };
  const hardened = (key: string, detail: string) => report.hardened.push(item(key, detail));
  const notCarried = (key: string, detail: string, todo: string) => {
    report.notCarried.push(item(key, detail));
    plan.todos.push(`TODO(${key}): ${todo}`);
  };
  const base = camel(svc.key);
  const configKey = needs.configKeys.take(`${base}Image`);
  if (configKey !== `${base}Image`) {
    report.renamed.push(
      item(
        'image',
        `config key ${configKey} (${base}Image is taken by another service whose name spells the same)`,
      ),
    );
  }
  const plan: ServicePlan = {
    ...svc,
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
  // An image named through compose variables keeps them visible (`app:${TAG}`) until config is set.
  const imageTemplate = templates.values.get(`services.${name}.image`);
  const image =
    imageTemplate !== undefined
      ? shownSource(imageTemplate)
      : typeof spec.image === 'string'
        ? spec.image
        : undefined;
  if (raw.build !== undefined) {
    notCarried(
      'build',
      `build: is not run by the program; build and push the image, then set config ${configKey} to name@sha256:…`,
      `build this image in CI, push it, and set config ${configKey} to <name>@sha256:<digest>`,
    );
  }
  if (spec.image !== undefined && image === undefined) {
    notCarried('image', 'image could not be read as text', `set config ${configKey}`);
  }
  plan.imageDefault = image ?? `registry.example/${svc.key}:latest`;
  if (plan.imageDefault.includes('$')) {
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
      `pin by digest: set config ${configKey} to <name>@sha256:<digest> (docker buildx imagetools inspect shows it); the exception below goes away by itself`,
    );
  }
  args.image = new Code(`images[${lit(svc.key)}]`);

  if (raw.command !== undefined && raw.command !== null) args.command = argv(raw.command);
  if (raw.entrypoint !== undefined && raw.entrypoint !== null) args.entrypoint = argv(raw.entrypoint);
  if (typeof raw.working_dir === 'string') args.workingDir = raw.working_dir;
  if (typeof raw.hostname === 'string') args.hostname = raw.hostname;
  if (typeof raw.container_name === 'string') args.containerName = raw.container_name;

  // Environment, as core read it (list or mapping; a bare key takes its value from the shell).
  const envOut = new Map<string, string | Code>();
  if (spec.env !== undefined && !isKnown(spec.env)) {
    notCarried('environment', 'could not be read', 'carry the environment over by hand');
  }
  for (const e of isKnown(spec.env) ? spec.env : []) {
    if (!isKnown(e.name) || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(e.name)) {
      notCarried(
        e.origin?.replace(`services.${name}.`, '') ?? 'environment',
        'variable name could not be carried',
        'set it by hand',
      );
      continue;
    }
    const k = e.name;
    // A value built from compose variables is kept as written (`${VAR}`), never as this
    // machine's value of the variable (which may be a secret).
    const template = e.origin ? templates.values.get(e.origin) : undefined;
    if (template !== undefined) {
      notCarried(
        `environment.${k}`,
        'uses compose variable interpolation, kept as written text',
        `replace the variable in ${k} with a value or a config lookup`,
      );
      envOut.set(k, shownSource(template));
      continue;
    }
    if (typeof e.value !== 'string') {
      notCarried(`environment.${k}`, 'has no value in the file (taken from the shell)', `give ${k} a value`);
      continue;
    }
    if (e.value.includes('$')) {
      notCarried(
        `environment.${k}`,
        'uses compose variable interpolation, kept as written text',
        `replace the variable in ${k} with a value or a config lookup`,
      );
    }
    envOut.set(k, e.value);
  }
  if (envOut.size > 0) args.env = envOut;
  if (raw.env_file !== undefined) {
    notCarried(
      'env_file',
      'env_file is not read; its variables are not in the program',
      'copy the variables the service needs into env (secrets into secret config)',
    );
  }

  // Ports, as core read them (ranges expanded): published only for this service, on 127.0.0.1
  // unless an interface was named.
  if (spec.ports !== undefined && !isKnown(spec.ports)) {
    notCarried('ports', 'could not be read', 'publish the ports by hand in ingress');
  }
  for (const p of isKnown(spec.ports) ? spec.ports : []) {
    const at = p.origin?.replace(`services.${name}.`, '') ?? 'ports';
    const known = <T>(v: Val<T> | undefined): v is T | undefined => v === undefined || isKnown(v);
    if (
      !isKnown(p.containerPort) ||
      !known(p.hostPort) ||
      !known(p.hostIp) ||
      !known(p.protocol) ||
      !['tcp', 'udp', 'sctp', undefined].includes(p.protocol?.toLowerCase())
    ) {
      notCarried(at, 'port could not be read', 'publish this port by hand in ingress');
      continue;
    }
    const port: PortArg = { internal: p.containerPort };
    if (p.hostPort !== undefined && p.hostPort !== 0) port.external = p.hostPort;
    const protocol = p.protocol?.toLowerCase();
    if (protocol && protocol !== 'tcp') port.protocol = protocol as 'udp' | 'sctp';
    const ip = p.hostIp?.replace(/^\[(.*)\]$/, '$1');
    if (ip && ip !== '0.0.0.0' && ip !== '::') port.ip = ip;
    else
      hardened(
        at,
        `${port.external ?? 'any'}->${port.internal} bound to 127.0.0.1 instead of every interface`,
      );
    plan.ports.push(port);
    if (!plan.exposes.includes(port.internal)) plan.exposes.push(port.internal);
  }
  for (const e of Array.isArray(raw.expose) ? raw.expose : []) {
    const n = Number.parseInt(String(e), 10);
    if (Number.isInteger(n) && n > 0 && n < 65536 && !plan.exposes.includes(n)) plan.exposes.push(n);
  }

  // Mounts, as core read them.
  const writable = new Map<string, { size: string }>();
  if (spec.tmpfs !== undefined && !isKnown(spec.tmpfs))
    notCarried('tmpfs', 'could not be read', 'add writablePaths by hand');
  for (const [target, opts] of Object.entries(isKnown(spec.tmpfs) ? spec.tmpfs : {})) {
    const size = isKnown(opts) ? /(?:^|,)size=(\d+[kmg]?)\b/i.exec(opts)?.[1] : undefined;
    writable.set(target, { size: size ?? SECURE.tmpfsSize });
  }
  const volumes: { source: Code; target: string; readOnly?: boolean }[] = [];
  const binds: { hostPath: Code | string; target: string; readOnly?: boolean }[] = [];
  if (spec.mounts !== undefined && !isKnown(spec.mounts))
    notCarried('volumes', 'could not be read', 'mount them by hand');
  for (const read of isKnown(spec.mounts) ? spec.mounts : []) {
    const at = read.origin?.replace(`services.${name}.`, '') ?? 'volumes';
    // A source built from compose variables: the mount as read with the variables marked.
    const templated = read.origin ? templates.mounts.get(read.origin) : undefined;
    const m = templated ?? read;
    if (
      !isKnown(m.type) ||
      !isKnown(m.target) ||
      !m.target.startsWith('/') ||
      (m.source !== undefined && !isKnown(m.source))
    ) {
      notCarried(at, 'mount could not be read', 'mount it by hand');
      continue;
    }
    const readOnly = isKnown(m.readOnly) ? m.readOnly : undefined;
    if (m.type === 'volume' && typeof m.source === 'string' && m.source !== '') {
      if (!plan.namedVolumes.includes(m.source)) plan.namedVolumes.push(m.source);
      const vol: { source: Code; target: string; readOnly?: boolean } = {
        source: new Code(`volumes[${lit(m.source)}]!.name`),
        target: m.target,
      };
      if (readOnly) vol.readOnly = true;
      volumes.push(vol);
    } else if (m.type === 'volume') {
      writable.set(m.target, { size: SECURE.tmpfsSize });
      hardened(at, `anonymous volume ${m.target} became a size-limited noexec tmpfs`);
    } else if (m.type === 'bind' && typeof m.source === 'string' && m.source !== '') {
      const hostPath = bindSource(m.source, typeof read.source === 'string' ? read.source : undefined, needs);
      const vars = pieces(m.source).flatMap((p) =>
        'variable' in p ? [needs.variables.get(p.variable)!.key] : [],
      );
      if (vars.length > 0) {
        hardened(at, `bind source ${shownSource(m.source)} taken from Pulumi config (${vars.join(', ')})`);
      } else if (hostPath instanceof Code) {
        hardened(
          at,
          `relative bind source ${m.source} kept relative to the compose file's directory (${needs.composeDirFromProgram} from the program)`,
        );
      }
      binds.push({ hostPath, target: m.target, readOnly: readOnly ?? false });
    } else if (m.type === 'tmpfs') {
      writable.set(m.target, { size: SECURE.tmpfsSize });
    } else {
      notCarried(at, `mount of type ${m.type} is not carried`, 'mount it by hand');
    }
  }
  if (volumes.length > 0) args.volumes = volumes;
  if (binds.length > 0) args.bindMounts = binds;

  // Read-only root with tmpfs for the writable paths.
  if (spec.readOnlyRootfs !== true) {
    hardened(
      'read_only',
      `read-only root filesystem, with a ${SECURE.tmpfsSize} noexec tmpfs on ${SECURE.tmpfsPath}`,
    );
    if (!writable.has(SECURE.tmpfsPath)) writable.set(SECURE.tmpfsPath, { size: SECURE.tmpfsSize });
  }
  if (writable.size > 0) args.writablePaths = writable;

  // User.
  const user = isKnown(spec.user) ? spec.user : undefined;
  if (spec.user !== undefined && user === undefined) {
    notCarried(
      'user',
      'could not be read; a numeric uid of its own is used',
      'set user to a numeric uid:gid',
    );
  } else if (user === undefined || user === '' || /^(0|root)(:|$)/.test(user)) {
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
      'a user name cannot be checked for root before start; a numeric uid of its own is used',
      'set user to the numeric uid:gid the image gives this user',
    );
  }

  // Capabilities and security options.
  hardened('cap_drop', 'every capability dropped (cap_drop: ALL)');
  const caps = isKnown(spec.capAdd) ? spec.capAdd.filter((c): c is string => isKnown(c)) : [];
  const capAdd = caps.filter((c) => /^(CAP_)?[A-Z_]+$/i.test(c));
  if (capAdd.length < caps.length || (spec.capAdd !== undefined && !isKnown(spec.capAdd))) {
    notCarried('cap_add', 'a capability could not be read', 'add the capability by hand, with an exception');
  }
  if (capAdd.length > 0) args.capAdd = capAdd;
  hardened(
    'security_opt',
    "no-new-privileges, Bulkhead's default-deny seccomp profile and AppArmor docker-default",
  );
  for (const opt of isKnown(spec.securityOpt) ? spec.securityOpt : []) {
    if (typeof opt === 'string' && /unconfined|label[:=]disable|systempaths/.test(opt)) {
      hardened(
        'security_opt',
        `"${opt.split(/[:=]/)[0]}" weakening dropped; if the service needs it, add it with an exception`,
      );
    }
  }
  if (spec.privileged === true) {
    hardened(
      'privileged',
      'privileged mode dropped; add the one capability the service needs (cap_add) if it breaks',
    );
  }
  const mode = isKnown(spec.networkMode) ? spec.networkMode : undefined;
  if (mode === 'host') hardened('network_mode', "the host's network namespace is not shared");
  else if (spec.networkMode !== undefined) {
    notCarried(
      'network_mode',
      'this network_mode is not carried',
      'declare the links the service needs instead',
    );
  }
  if (spec.pidMode === 'host') hardened('pid', "the host's PID namespace is not shared");
  if (spec.ipcMode === 'host') hardened('ipc', "the host's IPC namespace is not shared");

  // Limits, in the units core normalized them to (bytes, nano-CPUs).
  const memory =
    isKnown(spec.memory) && spec.memory > 0 ? Math.max(6, Math.round(spec.memory / 1024 / 1024)) : undefined;
  if (memory !== undefined) args.memoryMb = memory;
  else hardened('deploy.resources.limits.memory', 'memory limit 256 MB (no swap) added');
  if (isKnown(spec.nanoCpus) && spec.nanoCpus > 0) args.cpus = String(spec.nanoCpus / 1e9);
  else hardened('deploy.resources.limits.cpus', 'CPU limit 0.5 added');
  const pids = isKnown(spec.pidsLimit) ? spec.pidsLimit : Number.NaN;
  if (Number.isInteger(pids) && pids > 0) {
    args.maxProcesses = pids;
    hardened('pids_limit', `pids limit ${pids} carried as the nproc ulimit of the container's own uid`);
  } else {
    hardened('pids_limit', "process limit 256 added (nproc ulimit of the container's own uid)");
  }

  // Health check: the test as core read it, the timings from the service mapping.
  const hc = isKnown(spec.healthcheck) ? spec.healthcheck : undefined;
  if (hc && (hc.disabled === true || (isKnown(hc.test) && hc.test[0] === 'NONE'))) {
    notCarried('healthcheck', 'the health check is disabled', 'add a health check');
  } else if (hc && isKnown(hc.test) && hc.test.length > 0 && hc.test.every((t) => isKnown(t))) {
    const h: HealthcheckArg = { test: hc.test as string[] };
    const timings = (raw.healthcheck ?? {}) as Record<string, unknown>;
    for (const [from, to] of [
      ['interval', 'interval'],
      ['timeout', 'timeout'],
      ['start_period', 'startPeriod'],
    ] as const) {
      const d = duration(timings[from]);
      if (d) h[to] = d;
    }
    if (Number.isInteger(timings.retries) && (timings.retries as number) >= 0)
      h.retries = timings.retries as number;
    args.healthcheck = h;
  } else if (spec.healthcheck !== undefined) {
    notCarried('healthcheck', 'could not be read', 'add a health check');
  }

  hardened(
    'restart',
    `restart policy on-failure with at most 3 retries${raw.restart === undefined ? ' added' : ''}`,
  );
  if (raw.logging !== undefined) hardened('logging', 'json-file logs rotated at 10m × 3 files');
  if (spec.init === false) hardened('init', 'an init process reaps zombies');
  if (isKnown(spec.sysctls)) {
    const entries = Object.entries(spec.sysctls).filter((e): e is [string, string] => isKnown(e[1]));
    if (entries.length > 0) args.sysctls = new Map(entries);
  }
  if (isKnown(spec.labels)) {
    const entries = Object.entries(spec.labels).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && !e[0].startsWith('dev.bulkhead.'),
    );
    if (entries.length > 0) args.labels = new Map(entries);
  }

  // Links: core reads depends_on (list or mapping) and legacy links into `links`.
  const declared = spec.links;
  if (isKnown(declared)) {
    plan.dependsOn = declared.filter((l): l is string => isKnown(l)).map((l) => l.split(':')[0]!);
  } else if (declared !== undefined) {
    notCarried('depends_on', 'depends_on could not be read', 'declare the links by hand');
  }
  if (isKnown(spec.networks)) {
    for (const a of spec.networks) {
      if (a.aliases !== undefined) {
        notCarried(
          a.origin?.replace(`services.${name}.`, '') ?? 'networks',
          'network aliases are not carried: peers reach the service by its name',
          'add the alias names to the peers’ config, or rename the service',
        );
      }
    }
  }

  for (const key of Object.keys(raw)) {
    if (!HANDLED.has(key) && !key.startsWith('x-')) {
      notCarried(key, 'not supported by the converter', `carry ${key} over by hand if the service needs it`);
    }
  }
  return plan;
}

/**
 * Marks a compose variable in the templates read by {@link readTemplates}: no character compose
 * or core gives a meaning to (`:`, `/`, `$`, space) is in it.
 */
const MARK = '\u0001';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the marker is a control character on purpose
const MARKED = /\u0001([A-Za-z_][A-Za-z0-9_]*)\u0001/g;

/** One piece of a bind source: literal text, or a compose variable (with compose's default). */
type Piece = { text: string } | { variable: string; default?: string };

/** Splits a bind source into text and variables: marked ones, and `$VAR`/`${VAR…}` as written. */
function pieces(source: string): Piece[] {
  const out: Piece[] = [];
  const re =
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the marker is a control character on purpose
    /\u0001([A-Za-z_][A-Za-z0-9_]*)\u0001|\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let last = 0;
  for (const m of source.matchAll(re)) {
    if (m.index > last) out.push({ text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[0] === '$$') out.push({ text: '$' });
    else {
      const piece: Piece = { variable: (m[1] ?? m[2] ?? m[5])! };
      if ((m[3] === ':-' || m[3] === '-') && m[4] !== undefined && !m[4].includes('$')) piece.default = m[4];
      out.push(piece);
    }
  }
  if (last < source.length) out.push({ text: source.slice(last) });
  return out;
}

/**
 * The host path of a bind mount in the program: an absolute path as written; a relative or `~`
 * path resolved at run time against the compose file's directory (kept relative to the program,
 * never the absolute path of the machine that ran init); each compose variable as Pulumi config.
 * @param template the source with its variables still visible (marked or as written)
 * @param resolved the source as core resolved it, when it could: the default of a source that is
 *   one variable alone
 */
function bindSource(template: string, resolved: string | undefined, needs: ProgramNeeds): string | Code {
  const parts = pieces(template);
  const variables = parts.filter((p): p is { variable: string; default?: string } => 'variable' in p);
  if (variables.length === 0 && template.startsWith('/')) return template;
  needs.binds = true;
  const code = parts.map((p) => {
    if ('text' in p) return lit(p.text);
    let entry = needs.variables.get(p.variable);
    if (!entry) {
      entry = { key: needs.configKeys.take(camel(p.variable.toLowerCase().replace(/_/g, '-'))) };
      const fallback =
        p.default ??
        (parts.length === 1 && resolved !== undefined && !resolved.includes(MARK) ? resolved : undefined);
      if (fallback !== undefined) entry.default = fallback;
      needs.variables.set(p.variable, entry);
    }
    return `composeVariable(${lit(entry.key)})`;
  });
  return new Code(`bindPath(${code.length === 0 ? '""' : code.join(' + ')})`);
}

/** A bind source as the report shows it: variables as `${NAME}`. */
function shownSource(template: string): string {
  return template.replace(MARKED, (_m, name: string) => `\${${name}}`);
}

/**
 * Declared links, so that every pair of services that can reach each other in compose (they
 * share a network) still can: one link per pair, in the direction of `depends_on` where one is
 * given, and both ways when each depends on the other. `depends_on` between services that share
 * no network is start order only in compose, and gives no link.
 */
function planLinks(plans: ServicePlan[], resources: ResourceSet, report: ConversionReport): string[] {
  const byName = new Map(plans.map((p) => [p.name, p]));
  const members = new Map<string, ServicePlan[]>();
  const external = new Set(resources.networks.filter((n) => !isKnown(n.driver)).map((n) => n.source.name));
  // Attachments name a network as the engine does (`<project>_back`); the report speaks of the file's keys.
  const keyOf = new Map<unknown, string>(resources.networks.map((n) => [n.name, n.source.name]));
  for (const p of plans) {
    if (!isKnown(p.spec.networks)) continue;
    for (const a of p.spec.networks) {
      if (!isKnown(a.name)) continue;
      const key = keyOf.get(a.name) ?? a.name;
      const list = members.get(key) ?? [];
      list.push(p);
      members.set(key, list);
    }
  }
  for (const net of external) {
    if (!members.has(net)) continue;
    report.notCarried.push({
      service: members.get(net)![0]!.name,
      setting: `networks.${net}`,
      detail: 'external network: not joined; links stand in for it between the services of this file only',
    });
  }
  const links: string[] = [];
  // One entry per pair of services that share a network (a before b in file order), with the
  // networks they share: work and output grow with the pairs, never with pairs × services.
  const why = new Map<string, { a: ServicePlan; b: ServicePlan; nets: string[] }>();
  const pairKey = (a: ServicePlan, b: ServicePlan) => `${a.key}\u0000${b.key}`;
  const order = new Map(plans.map((p, i) => [p, i]));
  for (const [net, list] of members) {
    const sorted = [...new Set(list)].sort((x, y) => order.get(x)! - order.get(y)!);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const [a, b] = [sorted[i]!, sorted[j]!];
        const entry = why.get(pairKey(a, b));
        if (entry) entry.nets.push(net);
        else why.set(pairKey(a, b), { a, b, nets: [net] });
      }
    }
  }
  const port = (p: ServicePlan) => (p.exposes[0] !== undefined ? `:${p.exposes[0]}` : '');
  const linkCount = new Map<ServicePlan, number>();
  for (const { a, b, nets } of why.values()) {
    const aToB = a.dependsOn.includes(b.name);
    const bToA = b.dependsOn.includes(a.name);
    const shared = `they share the compose network${nets.length === 1 ? '' : 's'} ${nets.join(', ')}`;
    const add = (from: ServicePlan, to: ServicePlan, because: string) => {
      const link = `${from.key}->${to.key}${port(to)}`;
      links.push(link);
      for (const end of [from, to]) linkCount.set(end, (linkCount.get(end) ?? 0) + 1);
      report.linked.push({
        service: from.name,
        setting: `services.${from.name}.networks`,
        detail: `link ${link}: ${because}`,
      });
    };
    if (aToB) add(a, b, `${a.name} depends_on ${b.name} and ${shared}`);
    if (bToA) add(b, a, `${b.name} depends_on ${a.name} and ${shared}`);
    if (!aToB && !bToA) {
      add(
        a,
        b,
        `${shared}, so each could reach the other; the link's network lets both connect (remove the link if they never talk)`,
      );
    }
  }
  for (const p of plans) {
    for (const dep of p.dependsOn) {
      const target = byName.get(dep);
      if (!target) {
        throw new UserError(
          `${oneLine(p.spec.source.location?.file ?? 'compose file')}: services.${p.name}.depends_on names ${oneLine(lit(dep))}, which is not a service`,
        );
      }
      if (!why.has(pairKey(p, target)) && !why.has(pairKey(target, p))) {
        report.notCarried.push({
          service: p.name,
          setting: `services.${p.name}.depends_on`,
          detail: `${dep} shares no network with ${p.name} in compose: depends_on is start order only there, so no link`,
        });
      }
    }
  }
  for (const p of plans) {
    const mine = linkCount.get(p) ?? 0;
    report.hardened.push({
      service: p.name,
      setting: `services.${p.name}.networks`,
      detail:
        mine > 0
          ? `compose networks replaced by one internal network per link (${mine}); no egress to the internet unless you grant it`
          : 'no network at all: it shares no network with another service in compose',
    });
  }
  // SegmentedStack names each network `<stack>-<from>-<to>` (and `<stack>-<svc>-ingress`): two
  // that spell the same would be one Pulumi resource twice.
  const networkNames = new Map<string, string>();
  const claim = (resource: string, what: string) => {
    const other = networkNames.get(resource);
    if (other !== undefined) {
      throw new UserError(
        `${other} and ${what} would both be the network ${lit(resource)} in the program; rename one of the services in the compose file`,
      );
    }
    networkNames.set(resource, what);
  };
  for (const l of links) {
    const [from, to] = l.replace(/:\d+$/, '').split('->') as [string, string];
    claim(`${from}-${to}`, `the link ${l}`);
  }
  for (const p of plans) if (p.ports.length > 0) claim(`${p.key}-ingress`, `the ingress network of ${p.key}`);
  if (links.length > LINK_NETWORKS_WARN) {
    report.notCarried.push({
      service: '*',
      setting: 'networks',
      detail: `${links.length} links make ${links.length} networks; Docker's default address pools hold about 30 bridge networks: remove the links services do not use, or widen default-address-pools in daemon.json`,
    });
  }
  return links;
}

/**
 * For each service key, in one pass over the links: the links it declares (`to[:port]`) and the
 * link networks it joins (`net-<link>`, both ends).
 */
function linkEnds(links: readonly string[]): Map<string, { outgoing: string[]; networks: string[] }> {
  const ends = new Map<string, { outgoing: string[]; networks: string[] }>();
  const of = (k: string) => {
    const e = ends.get(k) ?? { outgoing: [], networks: [] };
    ends.set(k, e);
    return e;
  };
  for (const l of links) {
    const arrow = l.indexOf('->');
    const from = l.slice(0, arrow);
    const target = l.slice(arrow + 2);
    const to = target.replace(/:\d+$/, '');
    of(from).outgoing.push(target);
    of(from).networks.push(`net-${l}`);
    if (to !== from) of(to).networks.push(`net-${l}`);
  }
  return ends;
}

/**
 * Finds, for each service, which core rules its kept settings weaken, by asking the components'
 * own check (`computeContainerArgs`), and adds one exception per rule with the {@link keptReason}
 * placeholder. Secret env values the same check flags move out of the program into secret config.
 * A setting the components refuse outright is dropped and reported as not carried over.
 */
function deriveExceptions(
  plans: ServicePlan[],
  links: string[],
  report: ConversionReport,
  needs: ProgramNeeds,
): void {
  const ends = linkEnds(links);
  for (const p of plans) {
    const { outgoing, networks } = ends.get(p.key) ?? { outgoing: [], networks: [] };
    const probe = (exceptions: ComponentException[]) => {
      const a = staticArgs(p) as unknown as HardenedContainerArgs;
      if (networks.length > 0) a.networks = networks;
      if (outgoing.length > 0) a.links = outgoing;
      if (p.ports.length > 0) {
        a.ports = p.ports;
        a.role = 'ingress';
      }
      if (exceptions.length > 0) a.exceptions = exceptions.map((e) => ({ ...e, reason: PROBE_REASON }));
      return computeContainerArgs(p.key, a);
    };
    const found: ComponentException[] = [];
    let imageRule: string | undefined;
    for (let round = 0; round < 12; round++) {
      try {
        const computed = probe(found);
        moveSecrets(p, computed.secretEnvKeys, report, needs);
        break;
      } catch (error) {
        if (!(error instanceof ComponentArgsError)) throw error;
        const fresh = new Map<string, string>();
        const refused = new Set<string>();
        for (const issue of error.issues) {
          const rule = /\(rule ([a-z0-9-]+)\)/.exec(issue.message)?.[1];
          if (rule && catalog.has(rule)) {
            if (!found.some((e) => e.rule === rule) && !fresh.has(rule)) fresh.set(rule, issue.path);
          } else {
            const arg = /^args\.([A-Za-z]+)/.exec(issue.path)?.[1];
            if (arg && arg !== 'image' && arg in p.args) refused.add(arg);
            else
              throw new UserError(`services.${p.name} cannot be converted: ${issue.path}: ${issue.message}`);
          }
        }
        for (const arg of refused) {
          delete p.args[arg];
          report.notCarried.push({
            service: p.name,
            setting: `services.${p.name}: ${arg}`,
            detail: 'the hardened container refuses this value; left out',
          });
          p.todos.push(`TODO(${arg}): the value in the compose file was refused; set it by hand`);
        }
        if (refused.size > 0) continue;
        for (const [rule, at] of fresh) {
          const title = catalog.get(rule)!.title;
          found.push({ rule, reason: keptReason(p.key) });
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
        if (round === 11)
          throw new UserError(`services.${p.name} cannot be converted: ${error.message.split('\n')[0]}`);
      }
    }
    p.exceptions = found.map((e) =>
      e.rule === imageRule
        ? new Code(
            `...untilPinned(images[${lit(p.key)}], ${lit(p.configKey)}, ${lit(e.rule)}, ${lit(e.reason)})`,
          )
        : e,
    );
  }
}

/** Moves env values the components flag as secrets into secret config declared in Pulumi.yaml. */
function moveSecrets(
  p: ServicePlan,
  keys: readonly string[],
  report: ConversionReport,
  needs: ProgramNeeds,
): void {
  const env = p.args.env as Map<string, string | Code> | undefined;
  if (!env) return;
  for (const k of keys) {
    if (!env.has(k) || env.get(k) instanceof Code) continue;
    const configKey = needs.configKeys.take(
      `${camel(p.key)}${camel(k.toLowerCase().replace(/_/g, '-')).replace(/^./, (c) => c.toUpperCase())}`,
    );
    env.set(k, new Code(`secret(${lit(configKey)})`));
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
      if (v.code.startsWith('images[')) return p.imageDefault;
      if (v.code.startsWith('volumes[')) return 'volume';
      if (v.code.startsWith('bindPath(')) return '/srv/bind-source';
      return 'placeholder';
    }
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, conv(x)]));
    if (Array.isArray(v)) return v.map(conv);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
    return v;
  };
  return conv(p.args) as Record<string, unknown>;
}

/** Splits a compose command string the way compose does (shell words, no shell). */
function argv(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter((s) => s.length > 0);
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of String(v).matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out.filter((s) => s.length > 0);
}

/** Compose durations (`1m30s`, `500ms`) → whole seconds or milliseconds. */
function duration(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(ms|us|s|m|h)/g;
  let matched = '';
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  for (const m of v.matchAll(re)) {
    matched += m[0];
    ms += Number(m[1]) * unit[m[2]!]!;
  }
  if (matched !== v || ms <= 0) return undefined;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.max(1, Math.round(ms))}ms`;
}

// ---- writing the program ------------------------------------------------------------------------

/**
 * A string literal as TypeScript source: JSON's escaping, plus U+2028 and U+2029 escaped so the
 * literal stays on one line whatever reads it.
 */
function lit(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An object key as TypeScript source: bare when it is an identifier, quoted otherwise. */
function key(k: string): string {
  if (k === '__proto__') return `[${lit(k)}]`; // a computed key makes an own property
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k);
}

/** A value as TypeScript source: every string through JSON.stringify, every key through {@link key}. */
function emit(v: unknown, indent: string): string {
  if (v instanceof Code) return v.code;
  if (v instanceof Map) return emit(Object.fromEntries(v), indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const flat = `[${v.map((x) => emit(x, indent)).join(', ')}]`;
    if (flat.length < 80 && !flat.includes('\n')) return flat;
    return `[\n${v.map((x) => `${indent}  ${emit(x, `${indent}  `)},`).join('\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const flat = `{ ${entries.map(([k, x]) => `${key(k)}: ${emit(x, indent)}`).join(', ')} }`;
    if (flat.length < 80 && !flat.includes('\n')) return flat;
    return `{\n${entries.map(([k, x]) => `${indent}  ${key(k)}: ${emit(x, `${indent}  `)},`).join('\n')}\n${indent}}`;
  }
  if (typeof v === 'string') return lit(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  throw new Error(`cannot emit a ${typeof v} into the program`);
}

/** An object literal whose entries are preceded by comment lines (each passed through {@link oneLine}). */
function emitWithComments(entries: [string, unknown, string[]][], indent: string): string {
  const lines = entries.map(([k, v, notes]) => [
    ...notes.map((n) => `${indent}  // ${oneLine(n)}`),
    `${indent}  ${key(k)}: ${emit(v, `${indent}  `)},`,
  ]);
  return `{\n${lines.flat().join('\n')}\n${indent}}`;
}

function renderProject(
  project: string,
  file: string,
  plans: ServicePlan[],
  links: string[],
  needs: ProgramNeeds,
  report: ConversionReport,
): TemplateFile[] {
  const base = loadTemplate('web-db').files.filter((f) =>
    ['package.json', 'tsconfig.json', 'jest.config.cjs', '.gitignore'].includes(f.path),
  );
  const volumeNames = [...new Set(plans.flatMap((p) => p.namedVolumes))];
  const ingress = new Map(plans.filter((p) => p.ports.length > 0).map((p) => [p.key, p.ports]));

  const services = plans.map((p): [string, unknown, string[]] => {
    const a: Record<string, unknown> = { ...p.args };
    if (p.exceptions.length > 0) a.exceptions = p.exceptions;
    const notes = p.name === p.key ? p.todos : [`compose service ${lit(p.name)}`, ...p.todos];
    return [p.key, a, notes];
  });

  const anyPinException = plans.some((p) => p.exceptions.some((e) => e instanceof Code));
  const anySecret = plans.some((p) => p.secretConfig.length > 0);
  const defaults = new Map(plans.map((p) => [p.configKey, p.imageDefault]));
  for (const v of needs.variables.values()) if (v.default !== undefined) defaults.set(v.key, v.default);
  const imports = ["import { type ComponentException, SegmentedStack } from '@bulkhead/components';"];
  if (!anyPinException) imports[0] = "import { SegmentedStack } from '@bulkhead/components';";
  if (needs.binds) imports.unshift("import * as os from 'node:os';", "import * as path from 'node:path';");
  if (volumeNames.length > 0) imports.push("import * as docker from '@pulumi/docker';");
  imports.push("import * as pulumi from '@pulumi/pulumi';");
  const lines = [
    `// Generated by \`bulkhead init --from-compose\` from ${oneLine(lit(path.basename(file)))}.`,
    '// Every service of the compose file is a hardened container of one SegmentedStack: its own',
    '// numeric non-root uid, every capability dropped, no-new-privileges, default-deny seccomp,',
    '// read-only root, limits, one internal network per link (services that shared a compose',
    '// network are linked), and published ports (on 127.0.0.1) only for services that had ports.',
    '// Search for TODO: each marks a setting kept behind an exception whose reason you must write,',
    '// or one that could not be carried over.',
    ...imports,
    '',
    '/** Config defaults; the same values are the defaults in Pulumi.yaml. */',
    `export const defaults = ${emit(defaults, '')};`,
    '',
    'const config = new pulumi.Config();',
    `const images = ${emit(new Map(plans.map((p) => [p.key, new Code(`config.get(${lit(p.configKey)}) ?? defaults[${lit(p.configKey)}]`)])), '')};`,
  ];
  if (needs.binds) {
    lines.push(
      '',
      "/** The compose file's directory, relative to this program: bind sources are resolved against it. */",
      `const composeDir = path.resolve(__dirname, ${lit(needs.composeDirFromProgram)});`,
      '/** A bind source as compose resolves it: `~` is the home directory, relative paths start at composeDir. */',
      'const bindPath = (source: string): string =>',
      "  path.resolve(composeDir, source === '~' || source.startsWith('~/') ? path.join(os.homedir(), source.slice(1)) : source);",
    );
  }
  if (needs.variables.size > 0) {
    lines.push(
      '',
      '/**',
      ' * A compose variable used in a bind source, as Pulumi config. Pulumi.yaml declares the keys',
      ' * without a default when compose had none, so `pulumi up` refuses to run until they are set;',
      ' * offline checks (tests, `bulkhead validate`) run with a placeholder path.',
      ' */',
      'const composeVariable = (key: string): string =>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: emitted TypeScript
      '  config.get(key) ?? (defaults as Record<string, string | undefined>)[key] ?? `/unset-config/${key}`;',
    );
  }
  if (anySecret) {
    lines.push(
      '',
      '// Secret config: Pulumi.yaml declares each key without a default, so `pulumi up` refuses to run',
      '// until it is set; offline checks (tests, `bulkhead validate`) run with a placeholder.',
      "const secret = (key: string) => config.getSecret(key) ?? pulumi.secret('offline-check-placeholder');",
    );
  }
  if (anyPinException) {
    lines.push(
      '',
      "/** An exception for the image-pinning rule while a service's image is not pinned by digest. */",
      'const untilPinned = (image: string, configKey: string, rule: string, reason: string): ComponentException[] =>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: emitted TypeScript
      '  /@sha256:[0-9a-f]{64}$/.test(image) ? [] : [{ rule, reason: `${reason} (pin by digest with config ${configKey})` }];',
    );
  }
  if (volumeNames.length > 0) {
    lines.push(
      '',
      `const volumes: Record<string, docker.Volume> = ${emit(new Map(volumeNames.map((v) => [v, new Code(`new docker.Volume(${lit(v)})`)])), '')};`,
    );
  }
  const stackArgs: string[] = [`  services: ${emitWithComments(services, '  ')},`];
  if (links.length > 0) stackArgs.push(`  links: ${emit(links, '  ')},`);
  if (ingress.size > 0) stackArgs.push(`  ingress: ${emit(ingress, '  ')},`);
  lines.push(
    '',
    `const stack = new SegmentedStack(${lit(project)}, {`,
    ...stackArgs,
    '});',
    '',
    'export const containers = Object.fromEntries(Object.entries(stack.containers).map(([k, c]) => [k, c.containerName]));',
    'export const networks = Object.fromEntries(Object.entries(stack.networks).map(([k, n]) => [k, n.name]));',
    '',
  );
  const index = lines.join('\n');

  return [
    ...base,
    { path: 'Pulumi.yaml', content: renderPulumiYaml(plans, needs) },
    { path: 'index.ts', content: index },
    { path: 'README.md', content: renderReadme(path.basename(file), plans, report) },
    { path: 'test/index.test.ts', content: COMPOSE_TEST },
  ].sort((a, b) => a.path.localeCompare(b.path));
}

function renderPulumiYaml(plans: ServicePlan[], needs: ProgramNeeds): string {
  const config = new Map<string, unknown>();
  const template = new Map<string, unknown>();
  for (const p of plans) {
    const description = `Image of ${p.name}, pinned by digest (name@sha256:<64 hex>).`;
    config.set(p.configKey, { type: 'string', default: p.imageDefault, description });
    template.set(p.configKey, { description, default: p.imageDefault });
    for (const s of p.secretConfig) {
      const d = `Value of ${s.env} for ${p.name} (secret; required by pulumi up).`;
      config.set(s.key, { type: 'string', secret: true, description: d });
      template.set(s.key, { description: d, secret: true });
    }
  }
  for (const [variable, v] of needs.variables) {
    const description = `Compose variable ${variable}, used in a bind mount source.`;
    config.set(
      v.key,
      v.default === undefined
        ? { type: 'string', description }
        : { type: 'string', default: v.default, description },
    );
    template.set(v.key, v.default === undefined ? { description } : { description, default: v.default });
  }
  return stringify(
    {
      name: PROJECT_PLACEHOLDER,
      runtime: { name: 'nodejs', options: { typescript: true } },
      description: DESCRIPTION_PLACEHOLDER,
      config: Object.fromEntries(config),
      template: {
        description: 'A hardened Pulumi program converted from a compose file.',
        config: Object.fromEntries(template),
      },
    },
    { lineWidth: 0 },
  );
}

/** Text from the compose file on one Markdown line, shown as code. */
function md(s: string): string {
  const flat = oneLine(s);
  const ticks = flat.includes('`') ? '`` ' : '`';
  return `${ticks}${flat}${ticks === '`` ' ? ' ``' : '`'}`;
}

function renderReadme(composeName: string, plans: ServicePlan[], report: ConversionReport): string {
  const list = (items: ReportItem[]) =>
    items.length === 0 ? ['- (none)'] : items.map((i) => `- ${md(i.setting)}: ${oneLine(i.detail)}`);
  return [
    `# ${PROJECT_PLACEHOLDER}`,
    '',
    `Converted from ${md(composeName)} by \`bulkhead init --from-compose\`: ${plans.map((p) => md(p.key)).join(', ')} as`,
    'hardened containers of one `SegmentedStack` (`@bulkhead/components`).',
    '',
    '## Before `pulumi up`',
    '',
    'Search `index.ts` for `TODO`. Every exception the converter wrote has a reason starting with',
    '`TODO`: it only says the setting was kept from the compose file. The components, the policy',
    'pack and `bulkhead validate` refuse such a reason until you replace it with why the service',
    'needs the setting (or remove the setting and its exception). Every image must be pinned by',
    'digest in config.',
    '',
    '## What the conversion did',
    '',
    '### Linked',
    '',
    ...list(report.linked),
    '',
    '### Hardened',
    '',
    ...list(report.hardened),
    '',
    '### Kept as exceptions',
    '',
    ...list(report.exceptions),
    '',
    '### Could not carry over',
    '',
    ...list(report.notCarried),
    '',
    '### Renamed',
    '',
    ...list(report.renamed),
    '',
    '## Check it',
    '',
    '```sh',
    'npm install',
    'npx tsc --noEmit',
    'npm test            # the program under Pulumi mocks: fails until every TODO reason is written',
    'bulkhead validate . # the same check from the CLI',
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
  it('has no findings under the restricted profile other than ones behind an exception', () => {
    // Exceptions bulkhead init kept carry a TODO reason: \`bulkhead validate\` reports them until
    // you write the reason, so this test accepts them and checks that nothing else fails.
    const kept = new Set<string>();
    for (const c of containers()) {
      for (const l of (c.inputs.labels ?? []) as { label: string; value: string }[]) {
        const rule = /^dev\\.bulkhead\\.exempt\\.(.+)$/.exec(l.label)?.[1];
        if (rule && l.value.startsWith(${lit('TODO: bulkhead init kept')})) kept.add(\`\${c.name} \${rule}\`);
      }
    }
    const report = findingsFor(resources, { profile: 'restricted' });
    const open = report.findings.filter((f) => f.status !== 'exempt' && !kept.has(\`\${f.resource.name} \${f.ruleId}\`));
    expect(open).toEqual([]);
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
