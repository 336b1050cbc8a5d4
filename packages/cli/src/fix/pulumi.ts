import * as path from 'node:path';
import { defaultIds } from '@bulkhead/components';
import { ADD_BACKS_LEFT_TO_USER, capName, type Finding, noNewPrivilegesEntry } from '@bulkhead/core';
import * as ts from 'typescript';
import {
  DECISIONS,
  FIXABLE_RULES,
  type FixNote,
  FixNotVerified,
  hardenTmpfsOptions,
  verifyFixed,
} from './compose.js';
import { type Span, secretText } from './redact.js';
import { SECURE } from './secure-values.js';

/** The result of planning fixes for one Pulumi program file. */
export interface PulumiFixPlan {
  /** The fixed text (the original when nothing changed). */
  text: string;
  fixed: FixNote[];
  notFixed: FixNote[];
}

/** Options of {@link planPulumiFix}. */
export interface PulumiFixOptions {
  /** Set a numeric non-root `user` on containers running as root or by name (the images must allow any uid). */
  setUser?: boolean;
}

/** Runs the program text (as the file it came from) under mocks; its findings (any status). */
export type ProgramEvaluator = (text: string) => Promise<Finding[]>;

/** Rules `bulkhead fix` clears in a `new docker.Container(name, { … })` with an edit that needs no decision. */
export const PULUMI_FIXABLE_RULES = [
  ...FIXABLE_RULES,
  // `cgroupnsMode` has none of docker-compose v1's trouble with `cgroup:`.
  'no-host-cgroupns',
] as const;

/** Decisions worded for `ContainerArgs` where the compose wording does not fit. */
const PULUMI_DECISIONS: Record<string, string | undefined> = {
  ...DECISIONS,
  'no-host-cgroupns': undefined,
  'bounded-restarts':
    'the container restarts without bound on purpose (`always`/`unless-stopped` also bring it back after a reboot): set `restart: "on-failure"` with `maxRetryCount` by hand',
  'no-secrets-in-env': 'moving a secret out of `envs` needs a file or a secret store the application reads',
};

/** What a fix step does to the argument object: text edits, or why it cannot. */
type Edit = { start: number; end: number; text: string };
type Step = (obj: ts.ObjectLiteralExpression, ctx: StepContext) => Edit[] | string;
interface StepContext {
  sf: ts.SourceFile;
  /** Prints a new expression as the compiler does, in the file's quote style. */
  print: (node: ts.Node) => string;
  lit: (value: string | number | boolean) => ts.Expression;
  setUser: boolean;
  /**
   * The numeric `uid:gid` `--set-user` writes for this container: derived from its name as
   * `HardenedContainer` does, so each container has its own (pids-limit's nproc workaround counts per uid).
   */
  user: string;
  /** The finding's path (`ulimits[1]`), for steps that depend on which part failed. */
  path: string;
}

/** A `new Container(…)` of `@pulumi/docker` found in the program, by its place among them. */
interface ContainerCall {
  line: number;
  node: ts.NewExpression;
  /** The argument object, when it is an object literal without spreads. */
  args?: ts.ObjectLiteralExpression;
}

/** Names the program gives `@pulumi/docker` (namespace imports, requires) and its `Container` class. */
function dockerNames(sf: ts.SourceFile): { namespaces: Set<string>; classes: Set<string> } {
  const namespaces = new Set<string>();
  const classes = new Set<string>();
  const isDocker = (e: ts.Expression | undefined) =>
    !!e && ts.isStringLiteral(e) && e.text === '@pulumi/docker';
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && isDocker(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) namespaces.add(clause.name.text);
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) namespaces.add(b.name.text);
      if (b && ts.isNamedImports(b)) {
        for (const el of b.elements)
          if (!el.isTypeOnly && (el.propertyName ?? el.name).text === 'Container') classes.add(el.name.text);
      }
    } else if (
      ts.isImportEqualsDeclaration(st) &&
      !st.isTypeOnly &&
      ts.isExternalModuleReference(st.moduleReference) &&
      isDocker(st.moduleReference.expression)
    ) {
      namespaces.add(st.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (
          init &&
          ts.isCallExpression(init) &&
          ts.isIdentifier(init.expression) &&
          init.expression.text === 'require' &&
          isDocker(init.arguments[0]) &&
          ts.isIdentifier(d.name)
        )
          namespaces.add(d.name.text);
      }
    }
  }
  return { namespaces, classes };
}

/** Every `new docker.Container(…)` / `new Container(…)` in source order. */
function containerCalls(sf: ts.SourceFile): ContainerCall[] {
  const { namespaces, classes } = dockerNames(sf);
  const out: ContainerCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const e = node.expression;
      const isContainer =
        (ts.isPropertyAccessExpression(e) &&
          ts.isIdentifier(e.expression) &&
          namespaces.has(e.expression.text) &&
          e.name.text === 'Container') ||
        (ts.isIdentifier(e) && classes.has(e.text));
      if (isContainer) {
        const arg = node.arguments?.[1];
        const call: ContainerCall = {
          line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
          node,
        };
        if (arg && ts.isObjectLiteralExpression(arg) && !arg.properties.some(ts.isSpreadAssignment))
          call.args = arg;
        out.push(call);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const nameOf = (p: ts.ObjectLiteralElementLike): string | undefined =>
  p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))
    ? p.name.text
    : undefined;

/** The property `name` of an object literal: its initializer, `'other'` (shorthand, method…), or undefined. */
function prop(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | 'other' | undefined {
  // The last one wins, as in JavaScript.
  let p: ts.ObjectLiteralElementLike | undefined;
  for (const q of obj.properties) if (nameOf(q) === name) p = q;
  if (!p) return obj.properties.some((q) => nameOf(q) === undefined) ? 'other' : undefined;
  return ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : 'other';
}

/** {@link prop}, of the wanted kind only: a value of another kind is `'other'` too. */
function propOf<T extends ts.Expression>(
  obj: ts.ObjectLiteralExpression,
  name: string,
  is: (e: ts.Node) => e is T,
): T | 'other' | undefined {
  const v = prop(obj, name);
  return v === undefined || v === 'other' || is(v) ? v : 'other';
}

/** `x as T`, `x satisfies T`, `(x)`: the value is x. */
function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))
    e = e.expression;
  return e;
}

/** The text of a string literal (or a template without substitutions); undefined otherwise. */
const strLit = (e: ts.Expression | 'other' | undefined) =>
  e !== undefined && e !== 'other' && ts.isStringLiteralLike(e) ? e.text : undefined;

const choice = (name: string) =>
  `\`${name}\` is set to a value that is a choice (or not a literal): change it by hand`;

/** Inserts `name: value` as the last property of `obj`, keeping its layout (one line, or one per line). */
function addProp(
  obj: ts.ObjectLiteralExpression,
  name: string,
  value: ts.Expression,
  ctx: StepContext,
): Edit[] {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? ts.factory.createIdentifier(name) : ctx.lit(name);
  const text = ctx.print(ts.factory.createPropertyAssignment(key as ts.PropertyName, value));
  return appendItem(obj.properties, obj, text, ctx.sf);
}

/** Inserts an item after the last of `items` (properties or array elements) of `parent`. */
function appendItem(items: ts.NodeArray<ts.Node>, parent: ts.Node, text: string, sf: ts.SourceFile): Edit[] {
  const last = items[items.length - 1];
  const close = parent.getEnd() - 1;
  if (!last) {
    const open = parent.getStart(sf) + 1;
    // `{}` → `{ text }`; a comment inside stays after the new item.
    return sf.text.slice(open, close).trim() === ''
      ? [{ start: open, end: close, text: ` ${text} ` }]
      : [{ start: open, end: open, text: ` ${text},` }];
  }
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const src = sf.text;
  if (line(last.getStart(sf)) === line(parent.getStart(sf))) {
    // One line: `{ a: 1 }` → `{ a: 1, b: 2 }` (a trailing comma stays after the new item).
    return [{ start: last.getEnd(), end: last.getEnd(), text: `, ${text}` }];
  }
  // One per line: a new line after the last item's line (its comment stays with it), same indent.
  const eol = src.indexOf('\n', last.getEnd());
  const lineStart = src.lastIndexOf('\n', last.getStart(sf)) + 1;
  const indent = /^[ \t]*/.exec(src.slice(lineStart))?.[0] ?? '';
  // Only a comma, spaces and one comment may follow the item on its line; otherwise insert right after it.
  if (
    eol < 0 ||
    eol >= close ||
    !/^[ \t]*,?[ \t]*(\/\/.*|\/\*.*?\*\/[ \t]*)?\r?$/.test(src.slice(last.getEnd(), eol))
  )
    return [{ start: last.getEnd(), end: last.getEnd(), text: `, ${text}` }];
  const eolText = src[eol - 1] === '\r' ? '\r\n' : '\n';
  const at = src[eol - 1] === '\r' ? eol - 1 : eol;
  return items.hasTrailingComma
    ? [{ start: at, end: at, text: `${eolText}${indent}${text},` }]
    : [
        { start: last.getEnd(), end: last.getEnd(), text: ',' },
        { start: at, end: at, text: `${eolText}${indent}${text}` },
      ];
}

/** Replaces an expression by a literal. */
const replaceWith = (node: ts.Node, value: string, ctx: StepContext): Edit => ({
  start: node.getStart(ctx.sf),
  end: node.getEnd(),
  text: ctx.print(ctx.lit(value)),
});

/** Adds `value` to the string array at `name` (creating it); why not when it is not a plain array. */
function addToArray(
  obj: ts.ObjectLiteralExpression,
  name: string,
  value: string,
  ctx: StepContext,
): Edit[] | string {
  const arr = propOf(obj, name, ts.isArrayLiteralExpression);
  if (arr === undefined)
    return addProp(obj, name, ts.factory.createArrayLiteralExpression([ctx.lit(value)]), ctx);
  if (arr === 'other') return `\`${name}\` is not a plain array here: add ${value} by hand`;
  if (arr.elements.some((e) => strLit(e) === value)) return [];
  return appendItem(arr.elements, arr, ctx.print(ctx.lit(value)), ctx.sf);
}

/** Sets `name` when the arguments do not; refuses to overwrite a value someone chose. */
function setIfAbsent(obj: ts.ObjectLiteralExpression, name: string, value: ts.Expression, ctx: StepContext) {
  return prop(obj, name) === undefined ? addProp(obj, name, value, ctx) : choice(name);
}

/** `{ k: v, … }` of literals, on one line. */
function objectOf(entries: Record<string, string | number>, ctx: StepContext): ts.ObjectLiteralExpression {
  return ts.factory.createObjectLiteralExpression(
    Object.entries(entries).map(([k, v]) =>
      ts.factory.createPropertyAssignment(
        /^[A-Za-z_$][\w$]*$/.test(k) ? ts.factory.createIdentifier(k) : (ctx.lit(k) as ts.StringLiteral),
        ctx.lit(v),
      ),
    ),
  );
}

const ulimit = (name: string, n: number, ctx: StepContext) => objectOf({ name, soft: n, hard: n }, ctx);

const dropAll: Step = (obj, ctx) => {
  const caps = propOf(obj, 'capabilities', ts.isObjectLiteralExpression);
  if (caps === undefined)
    return addProp(
      obj,
      'capabilities',
      ts.factory.createObjectLiteralExpression([
        ts.factory.createPropertyAssignment(
          'drops',
          ts.factory.createArrayLiteralExpression([ctx.lit(SECURE.capDropAll)]),
        ),
      ]),
      ctx,
    );
  if (caps === 'other' || caps.properties.some(ts.isSpreadAssignment))
    return '`capabilities` is not a plain object here: add drops: ["ALL"] by hand';
  const adds = propOf(caps, 'adds', ts.isArrayLiteralExpression);
  if (adds === 'other') return '`capabilities.adds` is not a plain array here: drop ALL by hand';
  if (adds?.elements.some((e) => ADD_BACKS_LEFT_TO_USER.has(capName(strLit(e) ?? ''))))
    return 'the container adds NET_RAW (or ALL) back under `capabilities.adds`: remove it once it runs without it';
  return addToArray(caps, 'drops', SECURE.capDropAll, ctx);
};

const ulimits: Step = (obj, ctx) => {
  if (/^ulimits\[\d+\]/.test(ctx.path))
    return 'a ulimit is set unbounded, which is a choice: bound it by hand';
  const list = propOf(obj, 'ulimits', ts.isArrayLiteralExpression);
  const wanted: [string, number][] = [
    ['nofile', SECURE.nofile],
    ['nproc', SECURE.nproc],
  ];
  if (list === undefined)
    return addProp(
      obj,
      'ulimits',
      ts.factory.createArrayLiteralExpression(wanted.map(([n, v]) => ulimit(n, v, ctx))),
      ctx,
    );
  if (list === 'other') return '`ulimits` is not a plain array here: set it by hand';
  const names = list.elements.map((e) =>
    ts.isObjectLiteralExpression(e) ? strLit(prop(e, 'name')) : undefined,
  );
  if (names.includes(undefined)) return 'a `ulimits` entry is not a plain object: set it by hand';
  const missing = wanted.filter(([n]) => !names.includes(n));
  if (missing.length === 0) return [];
  return appendItem(
    list.elements,
    list,
    missing.map(([n, v]) => ctx.print(ulimit(n, v, ctx))).join(', '),
    ctx.sf,
  );
};

const user: Step = (obj, ctx) => {
  if (!ctx.setUser)
    return `whether the image runs as uid ${ctx.user} is not known here: rerun with --set-user if it does`;
  const u = prop(obj, 'user');
  if (u === undefined) return addProp(obj, 'user', ctx.lit(ctx.user), ctx);
  if (strLit(u) === undefined || u === 'other') return '`user` is not a plain value here: set it by hand';
  return [replaceWith(u, ctx.user, ctx)];
};

/** Each fixable rule's steps, applied in order (each sees the text the previous one left). */
const STEPS: Record<(typeof PULUMI_FIXABLE_RULES)[number], Step[]> = {
  'drop-all-capabilities': [dropAll],
  'no-net-raw': [dropAll],
  'no-new-privileges': [
    (obj, ctx) => {
      const opts = propOf(obj, 'securityOpts', ts.isArrayLiteralExpression);
      if (
        opts !== undefined &&
        opts !== 'other' &&
        opts.elements.some((e) => noNewPrivilegesEntry(strLit(e) ?? '') === 'off')
      )
        return '`no-new-privileges:false` is set explicitly, which is a choice: change it by hand';
      return addToArray(obj, 'securityOpts', SECURE.noNewPrivileges, ctx);
    },
  ],
  'read-only-rootfs': [
    (obj, ctx) => setIfAbsent(obj, 'readOnly', ts.factory.createTrue(), ctx),
    // The root is read-only now; /tmp stays writable (and hardened) as a tmpfs.
    (obj, ctx) => {
      const tmpfs = propOf(obj, 'tmpfs', ts.isObjectLiteralExpression);
      if (tmpfs === undefined)
        return addProp(obj, 'tmpfs', objectOf({ '/tmp': SECURE.tmpfsOptions }, ctx), ctx);
      if (tmpfs === 'other' || prop(tmpfs, '/tmp') !== undefined) return [];
      return addProp(tmpfs, '/tmp', ctx.lit(SECURE.tmpfsOptions), ctx);
    },
  ],
  'tmpfs-hardened': [
    (obj, ctx) => {
      const tmpfs = propOf(obj, 'tmpfs', ts.isObjectLiteralExpression);
      if (tmpfs === undefined || tmpfs === 'other')
        return '`tmpfs` is not a plain object here: harden it by hand';
      const edits: Edit[] = [];
      for (const p of tmpfs.properties) {
        const value = ts.isPropertyAssignment(p) ? strLit(skipOuter(p.initializer)) : undefined;
        if (!ts.isPropertyAssignment(p) || nameOf(p) === undefined || value === undefined)
          return 'a `tmpfs` entry is not a plain path and options: harden it by hand';
        const hardened = hardenTmpfsOptions(value);
        if (hardened !== value) edits.push(replaceWith(p.initializer, hardened, ctx));
      }
      return edits;
    },
  ],
  'memory-limit': [
    (obj, ctx) =>
      prop(obj, 'memory') !== undefined || prop(obj, 'memorySwap') !== undefined
        ? choice('memory')
        : addProp(obj, 'memory', ctx.lit(SECURE.memoryMb), ctx),
    (obj, ctx) => setIfAbsent(obj, 'memorySwap', ctx.lit(SECURE.memoryMb), ctx),
  ],
  'cpu-limit': [(obj, ctx) => setIfAbsent(obj, 'cpus', ctx.lit(SECURE.cpusText), ctx)],
  // `docker.Container` has no PIDs limit: the rule's workaround is an nproc ulimit with a numeric non-root uid.
  // Only a missing or root/named user is replaced: a numeric uid someone chose stays.
  'pids-limit': [(obj, ctx) => (ctx.path === 'user' ? user(obj, ctx) : []), ulimits],
  'ulimits-set': [ulimits],
  'ports-bound-to-interface': [
    (obj, ctx) => {
      const ports = propOf(obj, 'ports', ts.isArrayLiteralExpression);
      if (ports === undefined || ports === 'other')
        return '`ports` is not a plain array here: bind it by hand';
      const edits: Edit[] = [];
      for (const [i, port] of ports.elements.entries()) {
        if (!ts.isObjectLiteralExpression(port) || port.properties.some((p) => nameOf(p) === undefined))
          return `ports[${i}] is not a plain object: bind it by hand`;
        const ip = prop(port, 'ip');
        if (ip === undefined) edits.push(...addProp(port, 'ip', ctx.lit(SECURE.portIp), ctx));
        else if (strLit(ip) !== SECURE.portIp)
          return `ports[${i}].ip is set to another address, which is a choice (or not a literal): bind it by hand`;
      }
      return edits;
    },
  ],
  'bounded-logs': [
    (obj, ctx) => {
      const driver = prop(obj, 'logDriver');
      if (driver !== undefined && strLit(driver) !== SECURE.logDriver)
        return '`logDriver` is set to another driver, which is a choice (or not a literal): bound it by hand';
      const opts = propOf(obj, 'logOpts', ts.isObjectLiteralExpression);
      const bounds = { 'max-size': SECURE.logMaxSize, 'max-file': SECURE.logMaxFile };
      if (opts === undefined) return addProp(obj, 'logOpts', objectOf(bounds, ctx), ctx);
      if (opts === 'other' || prop(opts, 'max-size') !== undefined)
        return '`logOpts` is not a plain object without a max-size here: bound it by hand';
      const add = Object.entries(bounds)
        .filter(([k]) => prop(opts, k) === undefined)
        .map(([k, v]) =>
          ctx.print(ts.factory.createPropertyAssignment(ctx.lit(k) as ts.StringLiteral, ctx.lit(v))),
        );
      return appendItem(opts.properties, opts, add.join(', '), ctx.sf);
    },
    // The engine's default driver may be another one: name json-file, which the options are for.
    (obj, ctx) =>
      prop(obj, 'logDriver') === undefined ? addProp(obj, 'logDriver', ctx.lit(SECURE.logDriver), ctx) : [],
  ],
  'init-process': [(obj, ctx) => setIfAbsent(obj, 'init', ts.factory.createTrue(), ctx)],
  'non-root-user': [user],
  'numeric-user': [user],
  'no-host-cgroupns': [(obj, ctx) => setIfAbsent(obj, 'cgroupnsMode', ctx.lit('private'), ctx)],
};

/** Applies edits (non-overlapping) to text, last first; inserts at one position keep their order. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of order) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The object literal of a `({…})` text. */
function objectIn(sf: ts.SourceFile): ts.ObjectLiteralExpression {
  const st = sf.statements[0];
  const e = st && ts.isExpressionStatement(st) ? st.expression : undefined;
  const obj = e && ts.isParenthesizedExpression(e) ? e.expression : undefined;
  if (!obj || !ts.isObjectLiteralExpression(obj))
    throw new FixNotVerified('an edited argument object no longer parses');
  return obj;
}

const parse = (text: string, file: string) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** Syntax errors of a TypeScript text (what the compiler's parser reports), as one line each. */
export function syntaxErrors(text: string, file: string): string[] {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

/** A printer for new nodes, and literals quoted as the file quotes its imports. */
function printing(sf: ts.SourceFile): Pick<StepContext, 'print' | 'lit'> {
  const printer = ts.createPrinter({ removeComments: false });
  const first = sf.statements.find(ts.isImportDeclaration)?.moduleSpecifier.getText(sf);
  const single = first?.startsWith("'") ?? false;
  return {
    print: (node) => printer.printNode(ts.EmitHint.Unspecified, node, sf),
    lit: (v) =>
      typeof v === 'string'
        ? ts.factory.createStringLiteral(v, single)
        : typeof v === 'number'
          ? ts.factory.createNumericLiteral(v)
          : v
            ? ts.factory.createTrue()
            : ts.factory.createFalse(),
  };
}

/**
 * Plans the fixes of one TypeScript Pulumi program: maps each failing finding of a
 * `docker:index/container:Container` to the `new docker.Container(…)` call on its line, edits the
 * call's argument object (text edits at the nodes' positions; new nodes printed by the compiler's
 * printer, everything else kept byte for byte), checks the result parses, and runs the fixed
 * program again: the fixed findings are gone and none is new, or nothing is offered
 * ({@link FixNotVerified}). `before` are the program's failing findings; `evaluate` runs a text.
 */
export async function planPulumiFix(
  text: string,
  file: string,
  before: readonly Finding[],
  evaluate: ProgramEvaluator,
  options: PulumiFixOptions = {},
): Promise<PulumiFixPlan> {
  const fixed: FixNote[] = [];
  const notFixed: FixNote[] = [];
  const sf0 = parse(text, file);
  const calls = containerCalls(sf0);
  const style = printing(sf0);
  const target = path.resolve(file);
  /** (call, rule) → why it was not fixed ('' when fixed), so each call is edited once per rule. */
  const outcome = new Map<string, string>();
  /** The edited text of each call's argument object, by call index. */
  const edited = new Map<number, string>();
  const done = new Set<string>();
  for (const f of before) {
    const seen = `${f.resource.name}\u0000${f.ruleId}`;
    if (done.has(seen)) continue;
    done.add(seen);
    const note: FixNote = { rule: f.ruleId, service: f.resource.name, path: f.path };
    const decision = PULUMI_DECISIONS[f.ruleId];
    const steps = (STEPS as Record<string, Step[] | undefined>)[f.ruleId];
    if (decision !== undefined || !steps) {
      notFixed.push({ ...note, why: decision ?? 'no mechanical fix', decision: true });
      continue;
    }
    const loc = f.location;
    const at =
      loc?.line !== undefined && path.resolve(loc.file) === target
        ? calls.flatMap((c, i) => (c.line === loc.line ? [i] : []))
        : [];
    if (f.resource.type !== 'docker:index/container:Container' || at.length !== 1) {
      notFixed.push({
        ...note,
        why:
          at.length > 1
            ? `several docker.Container calls are on line ${loc?.line}: fix it by hand`
            : `not made by a \`new docker.Container(…)\` in ${path.basename(file)}: fix it where it is made`,
        decision: false,
      });
      continue;
    }
    const index = at[0]!;
    const key = `${index}\u0000${f.ruleId}`;
    let why = outcome.get(key);
    if (why === undefined) {
      const args = calls[index]?.args;
      why = args ? '' : 'arguments are not an object literal';
      // Each step edits the argument object alone (parsed as `(…)`), so the work stays linear in the program.
      let snippet = edited.get(index) ?? args?.getText(sf0);
      for (const step of snippet === undefined ? [] : steps) {
        const wrapped = `(${snippet})`;
        const sf = parse(wrapped, file);
        const r = step(objectIn(sf), {
          sf,
          ...style,
          setUser: options.setUser === true,
          user: defaultIds(f.resource.name).join(':'),
          path: f.path,
        });
        if (typeof r === 'string') {
          why = r;
          break;
        }
        snippet = applyEdits(wrapped, r).slice(1, -1);
      }
      if (snippet !== undefined) edited.set(index, snippet);
      outcome.set(key, why);
    }
    if (why === '') fixed.push(note);
    else
      notFixed.push({
        ...note,
        why,
        decision: !/not a plain|not an object literal/.test(why),
      });
  }
  if (fixed.length === 0) return { text, fixed, notFixed };
  const out = applyEdits(
    text,
    [...edited].map(([i, snippet]) => {
      const args = calls[i]!.args!;
      return { start: args.getStart(sf0), end: args.getEnd(), text: snippet };
    }),
  );
  const errors = syntaxErrors(out, file);
  if (errors.length > 0)
    throw new FixNotVerified(`the fix of ${file} does not parse (${errors[0]}); nothing was written`);
  verifyFixed(before, await evaluate(out), file, fixed);
  return { text: out, fixed, notFixed };
}

/**
 * The secret values of a TypeScript program, for {@link redactedPatch}: every argument of a
 * `secret(…)` call (`pulumi.secret`, `Output.secret`), the string of a property with a secret
 * name (`password: "…"`), and string literals that are a `NAME=value` with a secret name or are
 * shaped like a credential. Text that does not parse gives what it parses to.
 */
export function programSecretSpans(text: string): Span[] {
  const sf = parse(text, 'program.ts');
  const spans: Span[] = [];
  const add = (n: ts.Node) => spans.push([n.getStart(sf), n.getEnd()]);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : undefined;
      if (name === 'secret') {
        for (const a of node.arguments) add(a);
        return;
      }
    }
    if (ts.isPropertyAssignment(node)) {
      // The value under a secret-looking name, however it is written: `'x'`, `'x' as string`, `\`${a}x\``.
      const key = nameOf(node);
      const v = skipOuter(node.initializer);
      const text = ts.isStringLiteralLike(v)
        ? v.text
        : ts.isTemplateExpression(v)
          ? v.getText(sf).slice(1, -1)
          : undefined;
      if (key !== undefined && text !== undefined && secretText(text, key)) {
        add(v);
        return;
      }
    }
    if (ts.isStringLiteralLike(node) && secretText(node.text)) add(node);
    else if (ts.isTemplateExpression(node) && secretText(node.getText(sf).slice(1, -1))) add(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return spans;
}
