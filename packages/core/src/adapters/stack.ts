/**
 * Pulumi's own documents: `pulumi stack export` (the deployed state) and `pulumi preview --json`
 * (the planned steps). Both carry the docker resources' inputs, which go through the same code
 * as {@link fromPulumiResources}.
 */
import { InputError } from '../errors.js';
import type { Location, ResourceSet } from '../model/spec.js';
import { DIGEST_IMAGE_TYPES, PULUMI_TYPES, type PulumiResourceInput, resourcesFrom } from './pulumi.js';
import { isObject, PLAIN, PREVIEW } from './read.js';

/**
 * The resource types read: those that become specs, and docker-build images (whether one pushes
 * decides whether an image taken from it is digest-pinned).
 */
const WANTED_TYPES: ReadonlySet<unknown> = new Set([
  ...Object.values(PULUMI_TYPES),
  DIGEST_IMAGE_TYPES.buildImage,
]);

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Logical name from a URN (`urn:pulumi:stack::project::type::name`). */
function nameFromUrn(urn: unknown): string | undefined {
  if (typeof urn !== 'string') return undefined;
  const i = urn.lastIndexOf('::');
  return i >= 0 ? urn.slice(i + 2) : undefined;
}

function propsOf(inputs: unknown, outputs: unknown): Record<string, unknown> {
  if (isObject(inputs) && hasKeys(inputs)) return inputs;
  if (isObject(outputs)) return outputs;
  return isObject(inputs) ? inputs : {};
}

/**
 * Throws when a docker resource's `inputs` or `outputs` is present but not an object: reading it
 * as "no settings" would judge a container nobody can see.
 */
function unreadableProps(r: Record<string, unknown>, where: string, path: string): void {
  for (const key of ['inputs', 'outputs'] as const) {
    const v = r[key];
    if (v !== undefined && v !== null && !isObject(v)) {
      throw new InputError(`${where}.${key}: expected an object of the resource's properties`, [
        `${path}.${key}`,
      ]);
    }
  }
}

function toInput(r: Record<string, unknown>, props: Record<string, unknown>, location: Location | undefined) {
  const urn = r.urn;
  const input: PulumiResourceInput = {
    type: typeof r.type === 'string' ? r.type : '',
    name: nameFromUrn(urn) ?? (typeof r.id === 'string' ? r.id : '(unnamed)'),
    props,
  };
  if (typeof urn === 'string') input.urn = urn;
  if (typeof r.parent === 'string') input.parent = r.parent;
  if (location) input.location = location;
  if (Array.isArray(r.dependencies)) input.dependencies = r.dependencies as string[];
  if (isObject(r.propertyDependencies))
    input.propertyDependencies = r.propertyDependencies as Record<string, string[]>;
  return input;
}

/**
 * Converts the JSON of `pulumi stack export`: every docker container, service and network in
 * `deployment.resources`, from their `inputs` (or `outputs` when the inputs are empty).
 * Resources pending deletion are skipped. Encrypted secrets become sealed secrets: known to be
 * secret, content unknown.
 * @throws {@link InputError} when the document has no `deployment.resources` list.
 */
export function fromStackExport(json: unknown, file?: string): ResourceSet {
  const where = file ?? 'stack export';
  const deployment = isObject(json) ? json.deployment : undefined;
  const resources = isObject(deployment) ? deployment.resources : undefined;
  if (
    !isObject(json) ||
    !isObject(deployment) ||
    (resources !== undefined && resources !== null && !Array.isArray(resources))
  ) {
    throw new InputError(
      `${where}: deployment.resources: expected the JSON of \`pulumi stack export\` ` +
        '(an object with a deployment.resources list)',
      ['deployment.resources'],
    );
  }
  const list: PulumiResourceInput[] = [];
  const location = file !== undefined ? { file } : undefined;
  ((resources ?? []) as unknown[]).forEach((r, i) => {
    if (!isObject(r)) {
      throw new InputError(`${where}: deployment.resources[${i}]: expected a resource object`, [
        `deployment.resources[${i}]`,
      ]);
    }
    // Only docker resources become specs (resourcesFrom skips the rest): components, providers
    // and the stack are left out before any work is done for them.
    if (r.delete === true || !WANTED_TYPES.has(r.type)) return;
    unreadableProps(r, `${where}: deployment.resources[${i}]`, `deployment.resources[${i}]`);
    list.push(toInput(r, propsOf(r.inputs, r.outputs), location));
  });
  return resourcesFrom(list, 'stack-export', PLAIN);
}

/** Steps whose resource is going away: nothing to judge. */
const GONE = new Set(['delete', 'delete-replaced', 'discard', 'discard-replaced', 'remove-pending-replace']);

/**
 * Converts the JSON of `pulumi preview --json`: the new state of every step (`steps[].newState`,
 * or the older `steps[].new`), skipping deletions. Computed values are unknown; `[secret]`
 * values are sealed secrets.
 * @throws {@link InputError} when the document has no `steps` list.
 */
export function fromPreviewJson(json: unknown, file?: string): ResourceSet {
  const where = file ?? 'preview';
  const steps = isObject(json) ? json.steps : undefined;
  const noChanges =
    isObject(json) && steps === undefined && ('changeSummary' in json || 'diagnostics' in json);
  if (!isObject(json) || (!Array.isArray(steps) && !noChanges)) {
    throw new InputError(
      `${where}: steps: expected the JSON of \`pulumi preview --json\` (an object with a steps list)`,
      ['steps'],
    );
  }
  const list: PulumiResourceInput[] = [];
  const location = file !== undefined ? { file } : undefined;
  ((steps ?? []) as unknown[]).forEach((step, i) => {
    if (!isObject(step)) {
      throw new InputError(`${where}: steps[${i}]: expected a step object`, [`steps[${i}]`]);
    }
    if (typeof step.op === 'string' && GONE.has(step.op)) return;
    const state = isObject(step.newState) ? step.newState : isObject(step.new) ? step.new : undefined;
    if (!state || !WANTED_TYPES.has(state.type ?? step.type)) return;
    unreadableProps(state, `${where}: steps[${i}].newState`, `steps[${i}].newState`);
    const r = { ...state };
    if (r.urn === undefined) r.urn = step.urn;
    if (r.type === undefined) r.type = step.type;
    list.push(toInput(r, propsOf(state.inputs, state.outputs), location));
  });
  return resourcesFrom(list, 'preview', PREVIEW);
}
