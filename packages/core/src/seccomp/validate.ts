import type { z } from 'zod';
import { lazily, zod } from '../lazy.js';
import { dangerousAllowances } from './danger.js';
import { isKnownSyscall } from './syscalls.js';
import {
  CAPABILITIES,
  CONDITION_ARCHES,
  DENY_ACTIONS,
  SECCOMP_ACTIONS,
  SECCOMP_ARCHES,
  SECCOMP_FLAGS,
  SECCOMP_OPERATORS,
  type SeccompAction,
  type SeccompArchMap,
  type SeccompArg,
  type SeccompFilter,
  type SeccompIssue,
  type SeccompProfile,
  type SeccompSyscall,
} from './types.js';

/** The outcome of {@link validateSeccompProfile}. */
export type SeccompValidation =
  | {
      ok: true;
      profile: SeccompProfile;
      /**
       * Things that are allowed but probably mistakes (a syscall name Linux does not have), and
       * (`kind: 'dangerous'`) calls allowed more widely than Docker's default allows them.
       */
      warnings: SeccompIssue[];
    }
  | { ok: false; errors: SeccompIssue[] };

const MAX_ERRNO = 4095;
const SYSCALL_NAME = /^[a-z_][a-z0-9_]*$/;
const KERNEL_VERSION = /^\d+\.\d+$/;

/** Quotes a (non-secret) offending token, cut short so a message never carries a whole document. */
function quote(input: unknown): string {
  const s = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

function oneOf(what: string, allowed: readonly string[], hint?: string) {
  return (iss: { input: unknown }) =>
    iss.input === undefined
      ? `${what} is required; use one of ${allowed.join(', ')}`
      : `unknown ${what} ${quote(iss.input)}; ${hint ?? `use one of ${allowed.join(', ')}`}`;
}

function unknownFields(allowed: string[]) {
  return (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys'
      ? `unknown field; expected one of ${allowed.join(', ')}`
      : 'must be an object';
}

/** The profile schema, built (and zod loaded) on first validation. */
function buildSchemas() {
  const z = zod();
  const action = z.enum(SECCOMP_ACTIONS, { error: oneOf('action', SECCOMP_ACTIONS) });
  const errno = z
    .number({ error: `must be an errno number from 0 to ${MAX_ERRNO}` })
    .int(`must be an errno number from 0 to ${MAX_ERRNO}`)
    .min(0, `must be an errno number from 0 to ${MAX_ERRNO}`)
    .max(MAX_ERRNO, `must be an errno number from 0 to ${MAX_ERRNO}`);
  const u64 = z
    .number({ error: 'must be a non-negative integer' })
    .int('must be a non-negative integer')
    .min(0, 'must be a non-negative integer')
    .max(Number.MAX_SAFE_INTEGER, 'is above 2^53-1 and would lose precision in JSON');

  const argFields = ['index', 'value', 'valueTwo', 'op'];
  const argSchema = z.strictObject(
    {
      index: z
        .number({ error: 'index is required: the argument position 0–5' })
        .int('index must be an integer from 0 to 5 (a syscall has at most 6 arguments)')
        .min(0, 'index must be an integer from 0 to 5 (a syscall has at most 6 arguments)')
        .max(5, 'index must be an integer from 0 to 5 (a syscall has at most 6 arguments)'),
      value: u64,
      valueTwo: u64.optional(),
      op: z.enum(SECCOMP_OPERATORS, { error: oneOf('operator', SECCOMP_OPERATORS) }),
    },
    { error: unknownFields(argFields) },
  );

  const filterFields = ['arches', 'caps', 'minKernel'];
  const filterSchema = z.strictObject(
    {
      arches: z
        .array(
          z.enum(CONDITION_ARCHES, {
            error: oneOf('architecture', CONDITION_ARCHES, 'conditions use Go names such as amd64 or arm64'),
          }),
          { error: 'arches must be a list of Go architecture names such as ["amd64"]' },
        )
        .nullish(),
      caps: z
        .array(
          z.enum(CAPABILITIES, {
            error: (iss) =>
              typeof iss.input === 'string' &&
              (CAPABILITIES as readonly string[]).includes(`CAP_${iss.input}`)
                ? `capability ${quote(iss.input)} needs the CAP_ prefix: CAP_${iss.input}`
                : `unknown capability ${quote(iss.input)}; use a name such as CAP_SYS_ADMIN`,
          }),
          { error: 'caps must be a list of capabilities such as ["CAP_SYS_ADMIN"]' },
        )
        .nullish(),
      minKernel: z
        .string({ error: 'minKernel must be a kernel version such as "4.8"' })
        .regex(KERNEL_VERSION, 'minKernel must be a kernel version such as "4.8"')
        .nullish(),
    },
    { error: unknownFields(filterFields) },
  );

  const syscallFields = ['names', 'action', 'errnoRet', 'args', 'includes', 'excludes', 'comment'];
  const syscallSchema = z.strictObject(
    {
      names: z
        .array(
          z
            .string({ error: 'syscall name must be a non-empty string' })
            .min(1, 'syscall name must be a non-empty string')
            .refine((n) => n === '' || SYSCALL_NAME.test(n), {
              error: (iss) =>
                `${quote(iss.input)} is not a syscall name (lowercase letters, digits and _, such as "mkdirat")`,
            }),
          { error: 'names is required: a list of syscall names such as ["read", "write"]' },
        )
        .min(1, 'names must list at least one syscall'),
      action,
      errnoRet: errno.optional(),
      args: z.array(argSchema, { error: 'args must be a list of {index, value, op}' }).nullish(),
      includes: filterSchema.optional(),
      excludes: filterSchema.optional(),
      comment: z.string({ error: 'comment must be a string' }).optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? (iss.keys as string[] | undefined)?.includes('name')
            ? 'the single "name" field is not supported; use names: ["…"]'
            : `unknown field; expected one of ${syscallFields.join(', ')}`
          : 'must be an object {names, action, …}',
    },
  );

  const arch = z.enum(SECCOMP_ARCHES, {
    error: oneOf(
      'architecture',
      SECCOMP_ARCHES,
      'use SCMP_ARCH_* such as SCMP_ARCH_X86_64 or SCMP_ARCH_AARCH64',
    ),
  });
  const archMapFields = ['architecture', 'subArchitectures'];
  const archMapSchema = z.strictObject(
    {
      architecture: arch,
      subArchitectures: z.array(arch, { error: 'must be a list of SCMP_ARCH_*' }).nullish(),
    },
    { error: unknownFields(archMapFields) },
  );

  const profileFields = [
    'defaultAction',
    'defaultErrnoRet',
    'architectures',
    'archMap',
    'listenerPath',
    'listenerMetadata',
    'flags',
    'syscalls',
  ];
  const profileSchema = z.strictObject(
    {
      defaultAction: z.enum(SECCOMP_ACTIONS, {
        error: (iss) =>
          iss.input === undefined
            ? 'defaultAction is required; use SCMP_ACT_ERRNO to refuse every syscall not listed'
            : `unknown action ${quote(iss.input)}; use SCMP_ACT_ERRNO to refuse every syscall not listed`,
      }),
      defaultErrnoRet: errno.optional(),
      architectures: z.array(arch, { error: 'architectures must be a list of SCMP_ARCH_*' }).nullish(),
      archMap: z
        .array(archMapSchema, { error: 'archMap must be a list of {architecture, subArchitectures}' })
        .nullish(),
      listenerPath: z.string({ error: 'listenerPath must be a socket path' }).optional(),
      listenerMetadata: z.string({ error: 'listenerMetadata must be a string' }).optional(),
      flags: z
        .array(z.enum(SECCOMP_FLAGS, { error: oneOf('flag', SECCOMP_FLAGS) }), {
          error: 'flags must be a list',
        })
        .nullish(),
      syscalls: z.array(syscallSchema, { error: 'syscalls must be a list of {names, action}' }).nullish(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown field; expected one of ${profileFields.join(', ')}`
          : 'a seccomp profile must be a JSON object such as {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [...]}',
    },
  );
  return { profile: profileSchema, filter: filterSchema };
}
const schemas = lazily(buildSchemas);

type Schemas = ReturnType<typeof buildSchemas>;
type ParsedProfile = z.output<Schemas['profile']>;

/** Formats a zod path as `syscalls[3].args[0].op`. */
function pathString(path: readonly PropertyKey[], extra?: string): string {
  const segs = extra === undefined ? path : [...path, extra];
  const s = segs.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
  return s || '(root)';
}

function zodIssues(error: z.ZodError): SeccompIssue[] {
  const out: SeccompIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One entry per unknown key, so the path points at the key itself.
      for (const key of issue.keys) out.push({ path: pathString(issue.path, key), message: issue.message });
    } else {
      out.push({ path: pathString(issue.path), message: issue.message });
    }
  }
  return out;
}

function parseInput(input: unknown): { data: unknown } | { error: SeccompIssue } {
  if (typeof input !== 'string') return { data: input };
  try {
    return { data: JSON.parse(input) };
  } catch (e) {
    // Node's message quotes a fragment of the input; keep only the position.
    const pos = /position (\d+)/.exec(String(e))?.[1];
    return {
      error: {
        path: '(root)',
        message: `not valid JSON${pos ? ` (at character ${pos})` : ''}; check quotes, commas and brackets`,
      },
    };
  }
}

function filterOf(f: z.output<Schemas['filter']> | undefined): SeccompFilter | undefined {
  if (!f) return undefined;
  const out: SeccompFilter = {};
  if (f.arches) out.arches = [...f.arches];
  if (f.caps) out.caps = [...f.caps];
  if (f.minKernel) out.minKernel = f.minKernel;
  return out;
}

/** Copies the parsed data into the public types, dropping absent and `null` fields. */
function toProfile(p: ParsedProfile): SeccompProfile {
  const profile: SeccompProfile = { defaultAction: p.defaultAction };
  if (p.defaultErrnoRet !== undefined) profile.defaultErrnoRet = p.defaultErrnoRet;
  if (p.architectures) profile.architectures = [...p.architectures];
  if (p.archMap) {
    profile.archMap = p.archMap.map(
      (m): SeccompArchMap => ({
        architecture: m.architecture,
        subArchitectures: [...(m.subArchitectures ?? [])],
      }),
    );
  }
  if (p.listenerPath !== undefined) profile.listenerPath = p.listenerPath;
  if (p.listenerMetadata !== undefined) profile.listenerMetadata = p.listenerMetadata;
  if (p.flags) profile.flags = [...p.flags];
  if (p.syscalls) {
    profile.syscalls = p.syscalls.map((s) => {
      const out: SeccompSyscall = { names: [...s.names], action: s.action };
      if (s.errnoRet !== undefined) out.errnoRet = s.errnoRet;
      if (s.args) {
        out.args = s.args.map((a) => {
          const arg: SeccompArg = { index: a.index, value: a.value, op: a.op };
          if (a.valueTwo !== undefined) arg.valueTwo = a.valueTwo;
          return arg;
        });
      }
      const includes = filterOf(s.includes);
      if (includes) out.includes = includes;
      const excludes = filterOf(s.excludes);
      if (excludes) out.excludes = excludes;
      if (s.comment !== undefined) out.comment = s.comment;
      return out;
    });
  }
  return profile;
}

const ERRNO_ACTIONS: readonly SeccompAction[] = ['SCMP_ACT_ERRNO', 'SCMP_ACT_TRACE'];

/** Key of the circumstances in which an entry applies: two entries with equal keys overlap fully. */
export function conditionKey(s: SeccompSyscall): string {
  const args = [...(s.args ?? [])]
    .map((a) => `${a.index}:${a.op}:${a.value}:${a.valueTwo ?? 0}`)
    .sort()
    .join(',');
  const f = (x: SeccompFilter | undefined) =>
    x
      ? `${[...(x.arches ?? [])].sort().join('+')}/${[...(x.caps ?? [])].sort().join('+')}/${x.minKernel ?? ''}`
      : '//';
  return `${args}|${f(s.includes)}|${f(s.excludes)}`;
}

/** The error for a `defaultAction` that does not refuse, if it does not. */
function defaultActionIssue(action: unknown): SeccompIssue | undefined {
  if (typeof action !== 'string' || !(SECCOMP_ACTIONS as readonly string[]).includes(action))
    return undefined;
  if ((DENY_ACTIONS as readonly string[]).includes(action)) return undefined;
  const why =
    action === 'SCMP_ACT_ALLOW'
      ? 'allows every syscall not listed'
      : action === 'SCMP_ACT_LOG'
        ? 'only logs, then allows, every syscall not listed'
        : 'leaves every syscall not listed to a tracer or agent';
  return {
    path: 'defaultAction',
    message: `${action} ${why}; use SCMP_ACT_ERRNO (with defaultErrnoRet 1) and list the syscalls to allow`,
  };
}

function semanticChecks(p: SeccompProfile): { errors: SeccompIssue[]; warnings: SeccompIssue[] } {
  const errors: SeccompIssue[] = [];
  const warnings: SeccompIssue[] = [];
  const denyIssue = defaultActionIssue(p.defaultAction);
  if (denyIssue) errors.push(denyIssue);
  // With a permissive defaultAction the error above already says what to use instead.
  if (p.defaultErrnoRet !== undefined && !denyIssue) {
    if (!ERRNO_ACTIONS.includes(p.defaultAction)) {
      errors.push({
        path: 'defaultErrnoRet',
        message: `defaultErrnoRet only applies to SCMP_ACT_ERRNO or SCMP_ACT_TRACE; remove it or change defaultAction`,
      });
    } else if (p.defaultErrnoRet === 0 && p.defaultAction === 'SCMP_ACT_ERRNO') {
      errors.push({
        path: 'defaultErrnoRet',
        message: 'defaultErrnoRet 0 makes refused syscalls look successful; use 1 (EPERM)',
      });
    }
  }
  if (p.architectures?.length && p.archMap?.length) {
    errors.push({
      path: 'archMap',
      message: 'use either architectures or archMap, not both (Docker refuses both)',
    });
  }
  const syscalls = p.syscalls ?? [];
  if (syscalls.some((s) => s.action === 'SCMP_ACT_NOTIFY') && !p.listenerPath) {
    errors.push({
      path: 'listenerPath',
      message: 'SCMP_ACT_NOTIFY needs listenerPath: the seccomp agent socket',
    });
  }
  const unknownNames: { path: string; name: string }[] = [];
  // name + conditions → first entry that set an action for it.
  const seen = new Map<string, { at: number; action: string }>();
  syscalls.forEach((s, i) => {
    if (s.errnoRet !== undefined && !ERRNO_ACTIONS.includes(s.action)) {
      errors.push({
        path: `syscalls[${i}].errnoRet`,
        message: `errnoRet only applies to SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not ${s.action}`,
      });
    }
    const cond = conditionKey(s);
    const effect = `${s.action}${s.errnoRet !== undefined ? `(${s.errnoRet})` : ''}`;
    s.names.forEach((name, j) => {
      if (!isKnownSyscall(name)) unknownNames.push({ path: `syscalls[${i}].names[${j}]`, name });
      const key = `${name}|${cond}`;
      const prior = seen.get(key);
      if (!prior) seen.set(key, { at: i, action: effect });
      else if (prior.action !== effect && prior.at !== i) {
        errors.push({
          path: `syscalls[${i}].names[${j}]`,
          message: `${quote(name)} is also in syscalls[${prior.at}] with ${prior.action} under the same conditions; keep one`,
        });
      }
    });
  });
  if (unknownNames.length > MAX_UNKNOWN_LISTED) {
    // One line, not thousands: a profile padded with made-up names would otherwise flood the report.
    const first = unknownNames.slice(0, 3).map((u) => quote(u.name));
    warnings.push({
      path: 'syscalls',
      message: `${unknownNames.length} names are not known Linux syscalls (such as ${first.join(', ')}, first at ${unknownNames[0]!.path}); Docker ignores them`,
    });
  } else {
    for (const u of unknownNames)
      warnings.push({ path: u.path, message: `${quote(u.name)} is not a known Linux syscall` });
  }
  for (const d of dangerousAllowances(p)) warnings.push({ kind: 'dangerous', ...d });
  return { errors, warnings };
}

/** Unknown names listed one by one up to this many; more get one summarized warning. */
const MAX_UNKNOWN_LISTED = 5;

/**
 * Validates a Docker seccomp profile (a JSON string or an already parsed object).
 *
 * Checks the schema (known actions, `SCMP_CMP_*` operators, argument index 0–5, `SCMP_ARCH_*`
 * architectures, capability names, non-empty syscall names) and what Bulkhead requires on top:
 * the `defaultAction` must refuse (`SCMP_ACT_ERRNO`, `SCMP_ACT_KILL*` or `SCMP_ACT_TRAP`; ALLOW,
 * LOG, TRACE and NOTIFY are not refusals), `architectures` and `archMap` are not both set, and no
 * syscall has two different actions under the same conditions. Errors carry the field path and a
 * short fix; they quote an offending action or syscall name but never the profile.
 * Names Linux does not have are only warnings: Docker ignores them (more than five are summarized
 * in one). Calls Docker's default allows only under a capability, allowed here without it, are
 * warnings of kind `dangerous` (see {@link dangerousAllowances}); `seccomp-profile-valid` fails on them.
 */
export function validateSeccompProfile(input: unknown): SeccompValidation {
  const parsed = parseInput(input);
  if ('error' in parsed) return { ok: false, errors: [parsed.error] };
  const result = schemas().profile.safeParse(parsed.data, {
    error: (iss) =>
      iss.code === 'invalid_type'
        ? iss.input === undefined
          ? 'is required'
          : `must be ${iss.expected === 'array' ? 'a list' : `a ${iss.expected}`}`
        : undefined,
  });
  if (!result.success) {
    // Say the most important thing even when the rest of the profile is malformed too.
    const data = parsed.data;
    const deny =
      data && typeof data === 'object'
        ? defaultActionIssue((data as { defaultAction?: unknown }).defaultAction)
        : undefined;
    return { ok: false, errors: [...(deny ? [deny] : []), ...zodIssues(result.error)] };
  }
  const profile = toProfile(result.data);
  const { errors, warnings } = semanticChecks(profile);
  return errors.length ? { ok: false, errors } : { ok: true, profile, warnings };
}
