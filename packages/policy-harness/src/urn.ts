/** The type of a stack's root resource; it is left out of its children's qualified types. */
export const STACK_TYPE = 'pulumi:pulumi:Stack';

/** The URN of a stack's root `pulumi:pulumi:Stack` resource. */
export function stackUrn(stack: string, project: string): string {
  return `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`;
}

/** The qualified type segment of a URN (`parentType$childType`). */
export function urnQualifiedType(urn: string): string {
  return urn.split('::')[2] ?? '';
}

/**
 * The URN Pulumi gives a resource: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where
 * the qualified type chains the parent's (the root stack's is left out), as in
 * `bulkhead:docker:HardenedContainer$docker:index/container:Container`.
 */
export function makeUrn(
  type: string,
  name: string,
  opts: { stack: string; project: string; parent?: string | undefined },
): string {
  const parentType = opts.parent ? urnQualifiedType(opts.parent) : '';
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${opts.stack}::${opts.project}::${qualified}::${name}`;
}
