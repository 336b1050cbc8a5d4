import {
  buildSeccompProfile,
  type SeccompProfile,
  seccompSecurityOpt,
  validateSeccompProfile,
} from '@bulkhead/core';
import type { SeccompArg } from './container/args.js';
import type { ArgIssue } from './errors.js';

/**
 * Resolves the `seccomp` argument into one `--security-opt` entry (`seccomp=<json>` or
 * `seccomp=unconfined`). Built profiles are cached: 1,000 containers with the default profile
 * serialize it once.
 */
export function resolveSeccomp(
  arg: SeccompArg | undefined,
  path: string,
): { opt: string } | { issues: ArgIssue[] } {
  if (arg === 'unconfined') return { opt: 'seccomp=unconfined' };
  if (arg === undefined) return cachedBuild([], []);
  if ('profile' in arg) return fromProfile(arg.profile, `${path}.profile`);
  const out = cachedBuild(arg.add ?? [], arg.remove ?? []);
  if ('issues' in out) return { issues: out.issues.map((i) => ({ ...i, path: `${path}${i.path}` })) };
  return out;
}

const built = new Map<string, string>();

function cachedBuild(
  add: readonly string[],
  remove: readonly string[],
): { opt: string } | { issues: ArgIssue[] } {
  const key = JSON.stringify([add, remove]);
  const hit = built.get(key);
  if (hit !== undefined) return { opt: hit };
  let profile: SeccompProfile;
  try {
    const options: { add?: string[]; remove?: string[] } = {};
    if (add.length > 0) options.add = [...add];
    if (remove.length > 0) options.remove = [...remove];
    profile = buildSeccompProfile(options);
  } catch (e) {
    // The builder names the bad option (an unknown syscall name, a conflict between add and remove).
    const where =
      add.length > 0 && remove.length === 0 ? '.add' : remove.length > 0 && add.length === 0 ? '.remove' : '';
    return { issues: [{ path: where, message: (e as Error).message }] };
  }
  const opt = seccompSecurityOpt(profile);
  built.set(key, opt);
  return { opt };
}

const validated = new WeakMap<object, string>();
const validatedText = new Map<string, string>();

function fromProfile(input: SeccompProfile | string, path: string): { opt: string } | { issues: ArgIssue[] } {
  if (typeof input === 'string') {
    const hit = validatedText.get(input);
    if (hit !== undefined) return { opt: hit };
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      return { issues: [{ path, message: 'is not valid JSON; pass the profile object or its JSON text' }] };
    }
    const out = validate(parsed, path);
    if ('opt' in out) validatedText.set(input, out.opt);
    return out;
  }
  const hit = validated.get(input);
  if (hit !== undefined) return { opt: hit };
  const out = validate(input, path);
  if ('opt' in out) validated.set(input, out.opt);
  return out;
}

function validate(input: unknown, path: string): { opt: string } | { issues: ArgIssue[] } {
  const result = validateSeccompProfile(input);
  if (!result.ok) {
    return {
      issues: result.errors.map((e) => ({
        path: e.path ? `${path}${e.path.startsWith('[') ? '' : '.'}${e.path}` : path,
        message: e.message,
      })),
    };
  }
  return { opt: seccompSecurityOpt(result.profile) };
}
