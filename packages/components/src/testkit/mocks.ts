/**
 * The test kit's half for programs under mocks: the program runner (`@bulkhead/components/program`,
 * re-exported here) and {@link findingsFor}, core's report over what a program registered.
 * @packageDocumentation
 */
import { type EvaluateOptions, evaluate, fromPulumiResources, type Report } from '@bulkhead/core';
import { type RegisteredResource, resourceInput } from '../program/index.js';

export * from '../program/index.js';

/**
 * Core's report for the resources a program registered (containers and networks; other types are
 * ignored by the adapter). Component exception labels count as exemptions.
 */
export function findingsFor(resources: readonly RegisteredResource[], options: EvaluateOptions = {}): Report {
  return evaluate(fromPulumiResources(resources.map((r) => resourceInput(r))), {
    profile: 'restricted',
    ...options,
  });
}
