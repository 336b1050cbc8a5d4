/**
 * Compose variable interpolation, as the Compose Specification (and compose-go, which Docker
 * Compose uses) defines it: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`, `$$` for a
 * literal `$`, and templates nested inside defaults (`${A:-${B:-c}}`).
 *
 * One difference, on purpose: where Docker Compose substitutes an empty string for an unset
 * variable (with a warning), the result here records the variable as unset, and the loader makes
 * the value unknown: a check must not pass on a value nobody has given.
 * @internal
 */

/** Looks a variable up: its value, or `undefined` when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** The result of {@link interpolate}. */
export interface Interpolated {
  /** The text with every variable substituted (an unset one as the empty string). */
  value: string;
  /** Variables the value depends on that are not set and had no default, in order of use. */
  unset: string[];
}

/** A template that Docker Compose refuses: `${VAR:?message}` with VAR unset, or bad syntax. */
export class InterpolationError extends Error {
  constructor(
    message: string,
    /** The variable a required template names, when that is the problem. */
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/** Deepest nesting of templates in defaults (`${A:-${B:-...}}`) read. */
const MAX_DEPTH = 32;
const NAME_START = /[_a-zA-Z]/;
const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

/** True when `text` holds anything interpolation would change (`$` followed by a name, `{` or `$`). */
export function hasTemplate(text: string): boolean {
  return text.includes('$');
}

/**
 * Substitutes the variables in one value.
 * @throws {@link InterpolationError} for `${VAR:?msg}`/`${VAR?msg}` with VAR unset (or empty, for
 *   `:?`) and for a `${` that is not a valid template.
 */
export function interpolate(template: string, lookup: Lookup): Interpolated {
  const unset: string[] = [];
  const value = substitute(template, lookup, unset, 0);
  return { value, unset };
}

function substitute(s: string, lookup: Lookup, unset: string[], depth: number): string {
  if (depth > MAX_DEPTH) throw new InterpolationError('templates are nested too deeply');
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(s, dollar);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: names the compose syntax
      if (close < 0) throw new InterpolationError('a `${` has no closing `}`');
      out += braced(s.slice(dollar + 2, close), lookup, unset, depth);
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      NAME.lastIndex = dollar + 1;
      const name = (NAME.exec(s) as RegExpExecArray)[0];
      const v = lookup(name);
      if (v === undefined) addUnset(unset, name);
      out += v ?? '';
      i = dollar + 1 + name.length;
    } else {
      // `$` before anything else (a digit, a space, the end) stays as written, as in compose-go.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/** The contents of `${...}`: a name, then nothing or an operator and a nested template. */
function braced(inner: string, lookup: Lookup, unset: string[], depth: number): string {
  NAME.lastIndex = 0;
  const m = NAME.exec(inner);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: names the compose syntax
  if (!m) throw new InterpolationError('a `${...}` does not start with a variable name');
  const name = m[0];
  const rest = inner.slice(name.length);
  const v = lookup(name);
  if (rest === '') {
    if (v === undefined) addUnset(unset, name);
    return v ?? '';
  }
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (op === undefined) {
    throw new InterpolationError(
      `\${${name}...} has an unknown operator; use :-, -, :?, ?, :+ or + after the name`,
    );
  }
  // The nested text is substituted first (as compose-go does), its unset variables counted only
  // when it is used.
  const nestedUnset: string[] = [];
  const arg = substitute(rest.slice(op.length), lookup, nestedUnset, depth + 1);
  const use = () => {
    for (const n of nestedUnset) addUnset(unset, n);
    return arg;
  };
  switch (op) {
    case ':-':
      return v === undefined || v === '' ? use() : v;
    case '-':
      return v === undefined ? use() : v;
    case ':?':
      if (v === undefined || v === '') throw required(name, v);
      return v;
    case '?':
      if (v === undefined) throw required(name, v);
      return v;
    case ':+':
      return v !== undefined && v !== '' ? use() : '';
    case '+':
      return v !== undefined ? use() : '';
  }
}

function required(name: string, v: string | undefined): InterpolationError {
  return new InterpolationError(
    `required variable ${name} is ${v === undefined ? 'not set' : 'empty'}; set it in the environment, ` +
      'in .env or in a file given with --env-file',
    name,
  );
}

function addUnset(unset: string[], name: string): void {
  if (!unset.includes(name)) unset.push(name);
}

/** The index of the `}` closing the `${` at `start`, counting nested `${` (as compose-go does). */
function closingBrace(s: string, start: number): number {
  let open = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '}') {
      open--;
      if (open === 0) return i;
    } else if (s[i] === '$' && s[i + 1] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

/**
 * `depends on ${A}, which is not set (Docker Compose would substitute an empty string)`, or
 * `… ${A} and ${B}, which are not set (…)`: names the variables and says what Compose does instead.
 */
export function unsetReason(unset: readonly string[]): string {
  const names = unset.slice(0, 5).map((n) => `\${${n}}`);
  if (unset.length > 5) names.push(`${unset.length - 5} more`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `depends on ${list}, which ${unset.length === 1 ? 'is' : 'are'} not set (Docker Compose would substitute an empty string)`;
}

// ---- .env files ----

/** Largest number of variables read from one env file. */
const MAX_ENV_VARS = 10_000;

/**
 * Parses a `.env` / `--env-file` file as Docker Compose does: `KEY=value` lines, `export `
 * prefixes, `#` comments, single-quoted values literal, double-quoted values with `\n`-style
 * escapes, unquoted values trimmed and cut at ` #`; double-quoted and unquoted values are
 * interpolated with the variables defined above them, then `lookup`. A bare `KEY` takes the
 * value of `lookup` (the environment), if set.
 * @throws {Error} with a 1-based line number in the message when a line is not a variable.
 */
export function parseEnvFile(text: string, lookup: Lookup): Map<string, string> {
  const vars = new Map<string, string>();
  const resolve: Lookup = (n) => vars.get(n) ?? lookup(n);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (vars.size >= MAX_ENV_VARS) throw new Error(`line ${lineNo}: more than ${MAX_ENV_VARS} variables`);
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:([=:])\s*(.*))?$/s.exec(line);
    if (!m) throw new Error(`line ${lineNo}: expected KEY=VALUE`);
    const key = m[1] as string;
    if (m[2] === undefined) {
      const inherited = lookup(key);
      if (inherited !== undefined) vars.set(key, inherited);
      continue;
    }
    let raw = m[3] ?? '';
    const quote = raw[0];
    if (quote === "'" || quote === '"') {
      // A quoted value may run over several lines.
      let end = closingQuote(raw, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        raw += `\n${lines[i]}`;
        end = closingQuote(raw, quote);
      }
      if (end < 0) throw new Error(`line ${lineNo}: a quoted value has no closing ${quote}`);
      const inner = raw.slice(1, end);
      if (quote === "'") vars.set(key, inner);
      else vars.set(key, interpolate(unescapeDouble(inner), resolve).value);
      continue;
    }
    const comment = raw.search(/\s#/);
    if (comment >= 0) raw = raw.slice(0, comment);
    vars.set(key, interpolate(raw.trim(), resolve).value);
  }
  return vars;
}

function closingQuote(s: string, quote: string): number {
  for (let i = 1; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') i++;
    else if (s[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '$' ? '$$' : c,
  );
}
