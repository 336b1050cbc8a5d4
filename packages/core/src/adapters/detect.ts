/**
 * One entry point for files: detects the kind of input from its content and converts it.
 */
import { InputError } from '../errors.js';
import { yaml } from '../lazy.js';
import type { ResourceSet } from '../model/spec.js';
import { type ComposeLoadOptions, fromCompose } from './compose.js';
import { fromDockerInspect, isContainerInspect, isNetworkInspect } from './inspect.js';
import { isObject } from './read.js';
import { fromPreviewJson, fromStackExport } from './stack.js';

/** The input kinds {@link parseInputFile} recognizes. */
export type InputFileKind = 'compose' | 'stack-export' | 'preview' | 'inspect';

const EXPECTED =
  'a compose file (`services:`), the JSON of `pulumi stack export` (`deployment.resources`), ' +
  'of `pulumi preview --json` (`steps`), or of `docker inspect` (a list of containers and networks)';

/**
 * Detects what a file holds and converts it: JSON is a stack export (`deployment`), a preview
 * (`steps`), `docker inspect` output (a list, or an object with `HostConfig`) or a compose file
 * in JSON (`services`); anything else is read as a compose YAML file.
 * @param text the file's content
 * @param file the file name, used in locations and errors
 * @param options how a compose file reaches variables and the files it includes or extends
 * @throws {@link InputError} naming the file, the place (line:column where there is one) and what
 *   was expected.
 */
export function parseInputFile(
  text: string,
  file: string,
  options: { compose?: ComposeLoadOptions } = {},
): { kind: InputFileKind; resources: ResourceSet } {
  const compose = options.compose ?? {};
  if (typeof text !== 'string') throw new InputError(`${file}: expected text`, ['(root)']);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = /\S/.exec(body)?.[0];
  if (first === undefined)
    throw new InputError(`${file}: the file is empty; expected ${EXPECTED}`, ['(root)']);
  if (first === '{' || first === '[') {
    let json: unknown;
    let parsed = false;
    try {
      json = JSON.parse(body);
      parsed = true;
    } catch (e) {
      // Might still be YAML in flow style; otherwise report where the JSON breaks.
      try {
        return { kind: 'compose', resources: fromCompose(body, file, compose) };
      } catch {
        throw new InputError(
          `${jsonErrorPlace(body, file, e)}: not valid JSON; check the brackets, commas and quotes here`,
          ['(root)'],
        );
      }
    }
    if (parsed) return fromJson(json, body, file, compose);
  }
  return { kind: 'compose', resources: fromCompose(body, file, compose) };
}

function fromJson(
  json: unknown,
  text: string,
  file: string,
  compose: ComposeLoadOptions,
): { kind: InputFileKind; resources: ResourceSet } {
  if (Array.isArray(json)) {
    // Every entry must be one: a garbled entry dropped would make the file read as clean.
    const bad = json.findIndex((o) => !isObject(o) || !(isContainerInspect(o) || isNetworkInspect(o)));
    if (bad >= 0) {
      const what = bad === 0 ? 'the list holds no container or network' : 'not a container or network';
      throw new InputError(`${file}: [${bad}]: ${what} from \`docker inspect\`; expected ${EXPECTED}`, [
        `[${bad}]`,
      ]);
    }
    return { kind: 'inspect', resources: fromDockerInspect(json) };
  }
  if (isObject(json)) {
    if ('deployment' in json) return { kind: 'stack-export', resources: fromStackExport(json, file) };
    if ('steps' in json || 'changeSummary' in json)
      return { kind: 'preview', resources: fromPreviewJson(json, file) };
    if (isContainerInspect(json) || isNetworkInspect(json))
      return { kind: 'inspect', resources: fromDockerInspect(json) };
    if ('services' in json) return { kind: 'compose', resources: fromCompose(text, file, compose) };
  }
  throw new InputError(`${file}: not a recognized input; expected ${EXPECTED}`, ['(root)']);
}

/** `file:line:col` of a JSON syntax error, from the engine's position or the YAML parser's. */
function jsonErrorPlace(text: string, file: string, e: unknown): string {
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  let offset: number | undefined;
  const m = e instanceof Error ? /position (\d+)/.exec(e.message) : null;
  if (m) {
    offset = Number(m[1]);
    lc.addNewLine(0);
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lc.addNewLine(i + 1);
  } else {
    try {
      const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
      offset = doc.errors[0]?.pos[0];
    } catch {
      offset = undefined;
    }
  }
  if (offset === undefined) return file;
  const { line, col } = lc.linePos(offset);
  return `${file}:${line}:${col}`;
}
