/**
 * The compose loader: one file in, one project document out, as Docker Compose builds it before
 * it creates containers. In order, per file: YAML (aliases and merge keys expanded, bounded by
 * size), interpolation with the project's variables, top-level `include:` (each included project
 * loaded the same way, with its own `.env`), then `extends` (same file and `file:`), with the
 * Compose Specification's merge rules. Every value keeps the file and line it was written at.
 * @internal
 */
import * as path from 'node:path';
import { InputError } from '../../errors.js';
import { UNKNOWN } from '../../model/value.js';
import { InterpolationError, interpolate, type Lookup, parseEnvFile, unsetReason } from './interpolate.js';
import { applyTag, mergeService, resolveTags } from './merge.js';
import {
  get,
  type LEntry,
  type LMap,
  type LNode,
  type LScalar,
  parseComposeYaml,
  sameValue,
} from './tree.js';

/** How the loader reaches variables and other files. */
export interface ComposeLoadOptions {
  /**
   * Variables of the environment compose runs in (usually `process.env`). They win over env
   * files, as in Docker Compose. Default: none, so every variable comes from env files or is
   * unset.
   */
  environment?: Readonly<Record<string, string | undefined>>;
  /**
   * `--env-file` files, read in order (a later file wins). When given they replace the project's
   * `.env`, as `docker compose --env-file` does.
   */
  envFiles?: readonly string[];
  /**
   * Reads another file (`.env`, `extends: {file}`, `include:`) and returns its text, or
   * `undefined` when it does not exist. Default: none; then `.env` is not read and `extends:
   * {file}` or `include:` are input errors.
   */
  readFile?: (file: string) => string | undefined;
  /** Told about what is read differently from Docker Compose, or not read. */
  warn?: (message: string) => void;
  /**
   * Read each service's `env_file` into its `environment` (default: true, with `readFile`).
   * `false` leaves `env_file` in the service unread (`init --from-compose` keeps env files out
   * of the program it writes).
   */
  serviceEnvFiles?: boolean;
}

/** A loaded project document: its top-level mapping. */
export interface LoadedCompose {
  root: LMap;
  /** The project's variables as interpolation read them: the environment, then its env files. */
  lookup: Lookup;
  /** `file:line:col` for a location. */
  at(loc: { file: string; line?: number; column?: number }): string;
}

interface Project {
  /** Directory relative paths are resolved against. */
  dir: string;
  lookup: Lookup;
}

const RESOURCE_KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
/** Most files one load reads (includes and extends files). */
const MAX_FILES = 256;
/** Most bytes one load reads over all its files. */
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
/** Longest `extends` chain followed. */
const MAX_EXTENDS_DEPTH = 64;

const where = (loc: { file: string; line?: number; column?: number }) =>
  `${loc.file}:${loc.line ?? 1}:${loc.column ?? 1}`;

/**
 * Loads a compose file and everything it includes and extends.
 * @throws {@link InputError} with one line naming the file, line and field path.
 */
export function loadCompose(text: string, file: string, options: ComposeLoadOptions = {}): LoadedCompose {
  const loader = new Loader(options);
  const dir = path.dirname(file);
  const project: Project = { dir, lookup: loader.projectLookup(dir) };
  // Merge tags left where no base was under them: `!reset` keys go, `!override` values stay.
  const root = resolveTags(loader.loadFile(file, text, project, [], true)) as LMap;
  if (options.readFile && options.serviceEnvFiles !== false) loader.applyEnvFiles(root, project);
  return { root, lookup: project.lookup, at: where };
}

class Loader {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private filesRead = 0;
  private bytesRead = 0;
  /** Interpolated trees of files read for `extends: {file}`, by path. */
  private readonly extendsFiles = new Map<string, LMap>();

  constructor(private readonly options: ComposeLoadOptions) {
    this.env = options.environment ?? {};
  }

  /** Variables of the top-level project: the environment, then `--env-file`s or `<dir>/.env`. */
  projectLookup(dir: string): Lookup {
    const files = this.options.envFiles;
    const vars = new Map<string, string>();
    const base: Lookup = (n) => this.env[n];
    if (files && files.length > 0) {
      for (const f of files) this.readEnvFile(f, vars, base, false);
    } else if (this.options.readFile) {
      this.readEnvFile(path.join(dir, '.env'), vars, base, true);
    }
    return (n) => this.env[n] ?? vars.get(n);
  }

  private readEnvFile(file: string, into: Map<string, string>, base: Lookup, optional: boolean): void {
    const text = this.read(file, 'env file', optional);
    if (text === undefined) return;
    try {
      for (const [k, v] of parseEnvFile(text, (n) => into.get(n) ?? base(n))) into.set(k, v);
    } catch (e) {
      throw new InputError(`${file}: ${(e as Error).message}`, ['(root)']);
    }
  }

  private read(file: string, what: string, optional: boolean): string | undefined {
    const readFile = this.options.readFile;
    if (!readFile) {
      if (optional) return undefined;
      throw new InputError(
        `${file}: cannot read the ${what} here (no file access); check the file with \`bulkhead validate\``,
        ['(root)'],
      );
    }
    if (++this.filesRead > MAX_FILES) {
      throw new InputError(`${file}: more than ${MAX_FILES} files included or extended`, ['(root)']);
    }
    const text = readFile(file);
    if (text === undefined && !optional)
      throw new InputError(`${file}: the ${what} does not exist`, ['(root)']);
    this.bytesRead += text?.length ?? 0;
    if (this.bytesRead > MAX_TOTAL_BYTES) {
      throw new InputError(
        `${file}: the included and extended files add up to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MB`,
        ['(root)'],
      );
    }
    return text;
  }

  /** Parses and interpolates one file (no include or extends yet). */
  private parse(file: string, text: string, project: Project, isMain: boolean): LMap {
    const parsed = parseComposeYaml(text, file);
    const root = parsed.root;
    if (root?.kind !== 'map') {
      throw new InputError(
        `${root ? where(root.loc) : `${file}:1:1`}: expected a compose file: a mapping with a top-level \`services:\` key`,
        ['(root)'],
      );
    }
    const services = root.entries.get('services');
    if (isMain && (services === undefined || isNullNode(services.value))) {
      throw new InputError(
        `${where(services?.keyLoc ?? root.loc)}: no top-level \`services:\` key; a compose file lists its containers ` +
          'under `services:` (`services:` then `  web:` then `    image: ...`)',
        ['services'],
      );
    }
    if (services && !isNullNode(services.value) && services.value.kind !== 'map') {
      throw new InputError(
        `${where(services.value.loc)}: services: expected a mapping of service names to their settings ` +
          '(`services:` then `  web:` then `    image: ...`)',
        ['services'],
      );
    }
    interpolateTree(root, '', project.lookup);
    absoluteEnvFiles(root, path.dirname(file));
    return root;
  }

  // ---- env_file ----

  /**
   * Reads every service's `env_file` (after include and extends) into its `environment`, as
   * Docker Compose does: files in order, a later file wins, `environment` wins over all; the
   * same bounded reader and grammar as `.env`, interpolated with the project's variables;
   * `required: false` skips a missing file; `format: raw` takes each `KEY=VALUE` line as written.
   * The values take the location of the `env_file` entry that named their file.
   */
  applyEnvFiles(root: LMap, project: Project): void {
    const services = root.entries.get('services')?.value;
    if (services?.kind !== 'map') return;
    for (const [name, entry] of services.entries) {
      const svc = entry.value;
      const envFile = svc.kind === 'map' ? svc.entries.get('env_file') : undefined;
      if (svc.kind !== 'map' || !envFile) continue;
      const fieldPath = `services.${name}.env_file`;
      const node = envFile.value;
      if (isNullNode(node)) {
        svc.entries.delete('env_file');
        continue;
      }
      const items = node.kind === 'seq' ? node.items : [node];
      const vars = new Map<string, { value: string; loc: LScalar['loc'] }>();
      items.forEach((item, i) => {
        const at = node.kind === 'seq' ? `${fieldPath}[${i}]` : fieldPath;
        const ref = envFileRef(item, at);
        if (typeof ref.path !== 'string' || ref.path === '') {
          throw new InputError(
            `${where(item.loc)}: ${at}: ${ref.reason ? `the env file's path ${ref.reason}; set it` : 'expected a file path'}`,
            [at],
          );
        }
        const text = this.read(ref.path, 'env file', !ref.required);
        if (text === undefined) return;
        let parsed: Map<string, string>;
        try {
          parsed = ref.raw ? parseRawEnvFile(text) : parseEnvFile(text, project.lookup);
        } catch (e) {
          throw new InputError(`${ref.path}: ${(e as Error).message} (${at} at ${where(item.loc)})`, [at]);
        }
        for (const [k, v] of parsed) vars.set(k, { value: v, loc: item.loc });
      });
      svc.entries.delete('env_file');
      if (vars.size > 0)
        svc.entries.set('environment', withEnvFile(svc.entries.get('environment'), vars, envFile));
    }
  }

  /** Loads a project file: parse, interpolate, include, extends. */
  loadFile(file: string, text: string, project: Project, chain: readonly string[], isMain: boolean): LMap {
    const root = this.parse(file, text, project, isMain);
    const include = root.entries.get('include');
    if (include) {
      root.entries.delete('include');
      this.applyInclude(root, include, project, [...chain, path.resolve(file)]);
    }
    this.applyExtends(root, file, project);
    return root;
  }

  // ---- include ----

  private applyInclude(root: LMap, include: LEntry, project: Project, chain: string[]): void {
    const items = include.value.kind === 'seq' ? include.value.items : [include.value];
    items.forEach((item, i) => {
      const fieldPath = include.value.kind === 'seq' ? `include[${i}]` : 'include';
      const { paths, projectDirectory, envFiles } = includeItem(item, fieldPath);
      if (paths.length === 0) {
        throw new InputError(`${where(item.loc)}: ${fieldPath}: expected a file path or \`{path: ...}\``, [
          fieldPath,
        ]);
      }
      const files = paths.map((p) => path.normalize(path.isAbsolute(p) ? p : path.join(project.dir, p)));
      const dir =
        projectDirectory === undefined
          ? path.dirname(files[0] as string)
          : path.normalize(
              path.isAbsolute(projectDirectory) ? projectDirectory : path.join(project.dir, projectDirectory),
            );
      // The including project's variables win; the include's env files fill in.
      const vars = new Map<string, string>();
      const envList =
        envFiles === undefined
          ? [{ file: path.join(dir, '.env'), optional: true }]
          : envFiles.map((f) => ({
              file: path.isAbsolute(f) ? f : path.join(project.dir, f),
              optional: false,
            }));
      for (const e of envList) this.readEnvFile(e.file, vars, project.lookup, e.optional);
      const included: Project = { dir, lookup: (n) => project.lookup(n) ?? vars.get(n) };
      let merged: LMap | undefined;
      for (const f of files) {
        const resolved = path.resolve(f);
        if (chain.includes(resolved)) {
          const cycle = [...chain.slice(chain.indexOf(resolved)), resolved].map(
            (c) => path.relative(process.cwd(), c) || c,
          );
          throw new InputError(`${where(item.loc)}: ${fieldPath}: include cycle: ${cycle.join(' → ')}`, [
            fieldPath,
          ]);
        }
        const text = this.read(f, 'included compose file', false) as string;
        const doc = this.loadFile(f, text, included, chain, false);
        merged = merged ? mergeDocuments(merged, doc) : doc;
      }
      if (merged) {
        rebaseServices(merged, dir, project.dir);
        importResources(merged, root, fieldPath);
      }
    });
  }

  // ---- extends ----

  private applyExtends(root: LMap, file: string, project: Project): void {
    const services = root.entries.get('services')?.value;
    if (services?.kind !== 'map') return;
    const done = new Set<string>();
    for (const name of [...services.entries.keys()])
      this.extendService(services, name, file, project, [], done);
  }

  /** Resolves `extends` of one service of `services` (a file's services), in place. */
  private extendService(
    services: LMap,
    name: string,
    file: string,
    project: Project,
    trail: readonly string[],
    done: Set<string>,
  ): LMap | undefined {
    const entry = services.entries.get(name);
    const svc = entry?.value;
    if (svc?.kind !== 'map') return undefined;
    const id = `${path.resolve(file)}#${name}`;
    if (done.has(id)) return svc;
    const ext = svc.entries.get('extends');
    if (!ext) {
      done.add(id);
      return svc;
    }
    const fieldPath = `services.${name}.extends`;
    if (trail.includes(id)) {
      const start = trail.indexOf(id);
      const names = trail.slice(start).map((t) => {
        const [f, s] = splitId(t);
        return `services.${s} (${path.relative(process.cwd(), f) || f})`;
      });
      throw new InputError(
        `${where(ext.keyLoc)}: ${fieldPath}: extends cycle: ${[...names, names[0]].join(' → ')}`,
        [fieldPath],
      );
    }
    if (trail.length >= MAX_EXTENDS_DEPTH) {
      throw new InputError(
        `${where(ext.keyLoc)}: ${fieldPath}: more than ${MAX_EXTENDS_DEPTH} services extend each other in a chain`,
        [fieldPath],
      );
    }
    const nextTrail = [...trail, id];
    let ref: string | undefined;
    let otherFile: string | undefined;
    const v = ext.value;
    if (v.kind === 'scalar' && typeof v.value === 'string') ref = v.value;
    else if (v.kind === 'map') {
      const s = get(v, 'service');
      const f = get(v, 'file');
      if (s?.kind === 'scalar' && typeof s.value === 'string') ref = s.value;
      if (f?.kind === 'scalar' && typeof f.value === 'string') otherFile = f.value;
      else if (f !== undefined) {
        throw new InputError(`${where(f.loc)}: ${fieldPath}.file: expected a file path${reasonOf(f)}`, [
          `${fieldPath}.file`,
        ]);
      }
    }
    if (ref === undefined) {
      throw new InputError(
        `${where(v.loc)}: ${fieldPath}: expected a service name or \`{service: name, file: path}\`${reasonOf(v.kind === 'map' ? get(v, 'service') : v)}`,
        [fieldPath],
      );
    }
    let base: LMap | undefined;
    if (otherFile !== undefined) {
      const target = path.normalize(
        path.isAbsolute(otherFile) ? otherFile : path.join(path.dirname(file), otherFile),
      );
      const other = this.extendsFile(target, project);
      const otherServices = other.entries.get('services')?.value;
      if (otherServices?.kind !== 'map' || !otherServices.entries.has(ref)) {
        throw new InputError(`${where(v.loc)}: ${fieldPath}: ${target} has no service ${ref}`, [fieldPath]);
      }
      base = this.extendService(otherServices, ref, target, project, nextTrail, done);
      if (base && path.dirname(target) !== path.dirname(file)) {
        base = rebaseService(base, path.dirname(target), path.dirname(file));
      }
    } else {
      if (!services.entries.has(ref)) {
        throw new InputError(`${where(v.loc)}: ${fieldPath}: no service ${ref} in ${file}`, [fieldPath]);
      }
      base = this.extendService(services, ref, file, project, nextTrail, done);
    }
    if (base === undefined) {
      throw new InputError(`${where(v.loc)}: ${fieldPath}: service ${ref} is not a mapping of settings`, [
        fieldPath,
      ]);
    }
    const own: LMap = { ...svc, entries: new Map(svc.entries) };
    own.entries.delete('extends');
    const merged = mergeService(base, own);
    services.entries.set(name, { keyLoc: (entry as LEntry).keyLoc, value: merged });
    done.add(id);
    return merged;
  }

  private extendsFile(file: string, project: Project): LMap {
    const cached = this.extendsFiles.get(path.resolve(file));
    if (cached) return cached;
    const text = this.read(file, 'extended compose file', false) as string;
    const root = this.parse(file, text, project, false);
    this.extendsFiles.set(path.resolve(file), root);
    return root;
  }
}

/** One `env_file` item: a path, or `{path, required, format}`. */
function envFileRef(
  item: LNode,
  at: string,
): { path: LScalar['value'] | undefined; reason?: string; required: boolean; raw: boolean } {
  if (item.kind === 'scalar') return { path: item.value, ...reasonField(item), required: true, raw: false };
  if (item.kind !== 'map') {
    throw new InputError(`${where(item.loc)}: ${at}: expected a file path or \`{path: ...}\``, [at]);
  }
  const p = get(item, 'path');
  const required = get(item, 'required');
  const format = get(item, 'format');
  if (p?.kind !== 'scalar') {
    throw new InputError(`${where(item.loc)}: ${at}.path: expected a file path`, [`${at}.path`]);
  }
  if (required !== undefined && (required.kind !== 'scalar' || typeof required.value !== 'boolean')) {
    throw new InputError(`${where(required.loc)}: ${at}.required: expected true or false`, [
      `${at}.required`,
    ]);
  }
  if (format !== undefined && (format.kind !== 'scalar' || format.value !== 'raw')) {
    throw new InputError(`${where(format.loc)}: ${at}.format: expected raw (or no format)`, [`${at}.format`]);
  }
  return {
    path: p.value,
    ...reasonField(p),
    required: required === undefined || (required as LScalar).value === true,
    raw: format !== undefined,
  };
}

function reasonField(n: LScalar): { reason?: string } {
  return n.reason === undefined ? {} : { reason: n.reason };
}

/** `format: raw`: `KEY=VALUE` lines taken as written (no quotes, escapes or interpolation). */
function parseRawEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`line ${i + 1}: expected KEY=VALUE`);
    vars.set(line.slice(0, eq).trim(), line.slice(eq + 1));
  });
  return vars;
}

/** `environment` with the env files' variables under it: its own keys win, in either form. */
function withEnvFile(
  env: LEntry | undefined,
  vars: Map<string, { value: string; loc: LScalar['loc'] }>,
  envFile: LEntry,
): LEntry {
  const scalar = (value: string, loc: LScalar['loc']): LScalar => ({ kind: 'scalar', loc, value });
  if (env?.value.kind === 'seq') {
    const own = new Set(
      env.value.items.map((it) =>
        it.kind === 'scalar' && typeof it.value === 'string' ? it.value.split('=')[0] : undefined,
      ),
    );
    const added = [...vars].filter(([k]) => !own.has(k)).map(([k, v]) => scalar(`${k}=${v.value}`, v.loc));
    return { keyLoc: env.keyLoc, value: { ...env.value, items: [...added, ...env.value.items] } };
  }
  const entries = new Map<string, LEntry>();
  for (const [k, v] of vars) entries.set(k, { keyLoc: v.loc, value: scalar(v.value, v.loc) });
  if (env?.value.kind === 'map') for (const [k, e] of env.value.entries) entries.set(k, e);
  else if (env && !isNullNode(env.value)) return env; // not a list or mapping: the adapter reports it
  return {
    keyLoc: env?.keyLoc ?? envFile.keyLoc,
    value: { kind: 'map', loc: env?.value.loc ?? envFile.keyLoc, entries },
  };
}

/** Makes the `env_file` paths of a file's services absolute, against the file's directory. */
function absoluteEnvFiles(root: LMap, dir: string): void {
  const services = root.entries.get('services')?.value;
  if (services?.kind !== 'map') return;
  const abs = (n: LNode): LNode =>
    n.kind === 'scalar' && typeof n.value === 'string' && !path.isAbsolute(n.value)
      ? { ...n, value: path.join(dir, n.value) }
      : n;
  for (const e of services.entries.values()) {
    const svc = e.value;
    const envFile = svc.kind === 'map' ? svc.entries.get('env_file') : undefined;
    if (!envFile) continue;
    const fix = (item: LNode): LNode => {
      if (item.kind !== 'map') return abs(item);
      const p = item.entries.get('path');
      if (!p) return item;
      const entries = new Map(item.entries);
      entries.set('path', { ...p, value: abs(p.value) });
      return { ...item, entries };
    };
    const v = envFile.value;
    envFile.value = v.kind === 'seq' ? { ...v, items: v.items.map(fix) } : fix(v);
  }
}

function splitId(id: string): [string, string] {
  const hash = id.lastIndexOf('#');
  return [id.slice(0, hash), id.slice(hash + 1)];
}

function reasonOf(n: LNode | undefined): string {
  return n?.kind === 'scalar' && n.reason ? ` (it ${n.reason})` : '';
}

function isNullNode(n: LNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

/** The parts of one `include:` item: a path, a list of paths, or `{path, project_directory, env_file}`. */
function includeItem(
  item: LNode,
  fieldPath: string,
): { paths: string[]; projectDirectory?: string; envFiles?: string[] } {
  const strings = (n: LNode | undefined, p: string): string[] | undefined => {
    if (n === undefined) return undefined;
    const list = n.kind === 'seq' ? n.items : [n];
    return list.map((x) => {
      if (x.kind === 'scalar' && typeof x.value === 'string') return x.value;
      throw new InputError(`${where(x.loc)}: ${p}: expected a file path${reasonOf(x)}`, [p]);
    });
  };
  if (item.kind !== 'map') return { paths: strings(item, fieldPath) ?? [] };
  const out: { paths: string[]; projectDirectory?: string; envFiles?: string[] } = {
    paths: strings(get(item, 'path'), `${fieldPath}.path`) ?? [],
  };
  const dir = strings(get(item, 'project_directory'), `${fieldPath}.project_directory`);
  if (dir?.[0] !== undefined) out.projectDirectory = dir[0];
  const env = strings(get(item, 'env_file'), `${fieldPath}.env_file`);
  if (env) out.envFiles = env;
  return out;
}

/** Two files of one include (`path: [a, b]`): b's resources laid over a's. */
function mergeDocuments(a: LMap, b: LMap): LMap {
  const entries = new Map(a.entries);
  for (const [k, e] of b.entries) {
    const prev = entries.get(k);
    if (prev?.value.kind === 'map' && e.value.kind === 'map') {
      const inner = new Map(prev.value.entries);
      for (const [name, r] of e.value.entries) {
        if (applyTag(inner, name, r)) continue;
        const old = inner.get(name);
        inner.set(
          name,
          k === 'services' && old?.value.kind === 'map' && r.value.kind === 'map'
            ? { keyLoc: r.keyLoc, value: mergeService(old.value, r.value) }
            : r,
        );
      }
      entries.set(k, { keyLoc: e.keyLoc, value: { ...e.value, entries: inner } });
    } else entries.set(k, e);
  }
  return { ...b, entries };
}

/** Adds an included project's services, networks, volumes, secrets and configs to `root`. */
function importResources(from: LMap, root: LMap, fieldPath: string): void {
  for (const kind of RESOURCE_KINDS) {
    const source = from.entries.get(kind);
    if (source?.value.kind !== 'map') continue;
    let target = root.entries.get(kind);
    if (target === undefined || isNullNode(target.value)) {
      target = { keyLoc: source.keyLoc, value: { kind: 'map', loc: source.value.loc, entries: new Map() } };
      root.entries.set(kind, target);
    }
    if (target.value.kind !== 'map') continue;
    for (const [name, r] of source.value.entries) {
      const local = target.value.entries.get(name);
      if (local) {
        if (sameValue(local.value, r.value)) continue;
        // Docker Compose: "services.web conflicts with imported resource".
        throw new InputError(
          `${where(local.keyLoc)}: ${kind}.${name} conflicts with imported resource from ${r.keyLoc.file} (${fieldPath}); ` +
            'rename one of them or remove the duplicate',
          [`${kind}.${name}`],
        );
      }
      target.value.entries.set(name, r);
    }
  }
}

/** Interpolates every string value under `n` (keys are not interpolated, as in Docker Compose). */
function interpolateTree(n: LNode, fieldPath: string, lookup: Lookup): void {
  if (n.kind === 'map') {
    for (const [k, e] of n.entries) {
      if (e.value.kind === 'scalar') interpolateScalar(e.value, fieldPath ? `${fieldPath}.${k}` : k, lookup);
      else interpolateTree(e.value, fieldPath ? `${fieldPath}.${k}` : k, lookup);
    }
  } else if (n.kind === 'seq') {
    n.items.forEach((item, i) => {
      if (item.kind === 'scalar') interpolateScalar(item, `${fieldPath}[${i}]`, lookup);
      else interpolateTree(item, `${fieldPath}[${i}]`, lookup);
    });
  }
}

/**
 * Settings Docker Compose casts to booleans after interpolation (compose-go accepts `true` and
 * `false` in any case there).
 */
const BOOLEAN_PATHS =
  /^(?:services\.[^.]+\.(?:privileged|read_only|init|tty|stdin_open|oom_kill_disable|healthcheck\.disable|volumes\[\d+\]\.read_only)|networks\.[^.]+\.(?:external|internal|attachable|enable_ipv6))$/;

function interpolateScalar(n: LScalar, fieldPath: string, lookup: Lookup): void {
  if (typeof n.value !== 'string' || !n.value.includes('$')) return;
  try {
    const r = interpolate(n.value, lookup);
    if (r.unset.length > 0) {
      n.value = UNKNOWN;
      n.reason = unsetReason(r.unset);
    } else {
      const lower = r.value.toLowerCase();
      n.value =
        (lower === 'true' || lower === 'false') && BOOLEAN_PATHS.test(fieldPath) ? lower === 'true' : r.value;
    }
  } catch (e) {
    if (e instanceof InterpolationError) {
      throw new InputError(`${where(n.loc)}: ${fieldPath}: ${e.message}`, [fieldPath]);
    }
    throw e;
  }
}

// ---- relative paths ----

/**
 * A service from a file in another directory, with its relative bind sources rewritten to be
 * relative to `toDir` (Docker Compose resolves them against the file that wrote them).
 */
export function rebaseService(svc: LMap, fromDir: string, toDir: string): LMap {
  const vols = svc.entries.get('volumes');
  if (vols?.value.kind !== 'seq') return svc;
  const rebase = (src: string) => {
    if (src.startsWith('/') || src.startsWith('~') || !(src.startsWith('.') || src.includes('/'))) return src;
    const rel = path.relative(toDir, path.join(fromDir, src)) || '.';
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  const items = vols.value.items.map((item): LNode => {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      const parts = item.value.split(':');
      if (parts.length < 2) return item;
      parts[0] = rebase(parts[0] as string);
      return { ...item, value: parts.join(':') };
    }
    if (item.kind === 'map') {
      const type = get(item, 'type');
      const source = item.entries.get('source');
      if (type?.kind === 'scalar' && type.value === 'bind' && source?.value.kind === 'scalar') {
        const s = source.value;
        if (typeof s.value === 'string') {
          const entries = new Map(item.entries);
          entries.set('source', { keyLoc: source.keyLoc, value: { ...s, value: rebase(s.value) } });
          return { ...item, entries };
        }
      }
    }
    return item;
  });
  const entries = new Map(svc.entries);
  entries.set('volumes', { keyLoc: vols.keyLoc, value: { ...vols.value, items } });
  return { ...svc, entries };
}

/** Rebases every service of an included project whose directory differs from the includer's. */
export function rebaseServices(root: LMap, fromDir: string, toDir: string): void {
  const services = root.entries.get('services')?.value;
  if (services?.kind !== 'map' || fromDir === toDir) return;
  for (const [name, e] of services.entries) {
    if (e.value.kind === 'map')
      services.entries.set(name, { ...e, value: rebaseService(e.value, fromDir, toDir) });
  }
}
