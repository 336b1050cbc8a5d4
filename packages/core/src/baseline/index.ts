// Baselines: a record of the failed findings a project accepted when it adopted Bulkhead, so that
// CI fails only on new ones. A finding is identified by a fingerprint of its substance (rule,
// resource identity, offending field), never by line numbers or message wording, so reformatting,
// reordering services or keys, comments and moving a service within a file keep it.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { Finding, FindingResource } from '../evaluation/findings.js';
import { zod } from '../lazy.js';

/** Version of the baseline file's shape. */
export const BASELINE_VERSION = 1;

/** Most entries a baseline file may hold (a large monorepo has a few thousand findings). */
export const MAX_BASELINE_ENTRIES = 100_000;

/** What a fingerprint is computed from. */
export type FingerprintSubject = Pick<Finding, 'ruleId' | 'resource' | 'path'>;

/**
 * A resource's identity: its URN where it has one (Pulumi), else input kind, scope and name (the
 * compose service or network key, the container name an engine reports). The file a resource is
 * declared in is not part of it, so moving or renaming a file keeps its findings' fingerprints.
 */
export function resourceIdentity(r: Pick<FindingResource, 'urn' | 'kind' | 'scope' | 'name'>): string {
  return r.urn ?? `${r.kind}:${r.scope}:${r.name}`;
}

/** The substance of a finding: rule, resource identity and the field path in the input's terms. */
function substance(f: FingerprintSubject): string {
  return `${f.ruleId}\u0000${resourceIdentity(f.resource)}\u0000${f.path}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Fingerprints of `findings`, index for index: 32 hex digits of SHA-256 over the rule id, the
 * resource identity, the field path and the occurrence (0, 1, … among findings with the same
 * substance, such as two missing ulimits reported on one field). The message, the location and
 * the order of the findings do not enter it.
 */
export function fingerprintFindings(findings: readonly FingerprintSubject[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = substance(f);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return hash(n === 0 ? key : `${key}\u0000${n}`);
  });
}

/** One accepted finding. `rule`, `resource` and `path` say what it is; the fingerprint must match too. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  /** {@link resourceIdentity} of the finding's resource. */
  resource: string;
  path: string;
}

/** A baseline file: accepted failed findings, sorted, with no timestamp (the same findings give the same bytes). */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

const byEntry = (a: BaselineEntry, b: BaselineEntry) =>
  cmp(a.rule, b.rule) ||
  cmp(a.resource, b.resource) ||
  cmp(a.path, b.path) ||
  cmp(a.fingerprint, b.fingerprint);
// Code-unit order, not locale order: the same bytes whatever the machine's locale.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The baseline of a run: its failed findings (unknown and exempt ones never fail, so they are not recorded). */
export function createBaseline(
  findings: readonly (FingerprintSubject & Pick<Finding, 'status'>)[],
): Baseline {
  const prints = fingerprintFindings(findings);
  const entries: BaselineEntry[] = [];
  findings.forEach((f, i) => {
    if (f.status !== 'fail') return;
    entries.push({
      fingerprint: prints[i]!,
      rule: f.ruleId,
      resource: resourceIdentity(f.resource),
      path: f.path,
    });
  });
  return { version: BASELINE_VERSION, findings: entries.sort(byEntry) };
}

/** A baseline as the text of its file (JSON, two-space indent, final newline). */
export function serializeBaseline(baseline: Baseline): string {
  const findings = [...baseline.findings].sort(byEntry).map((e) => ({
    fingerprint: e.fingerprint,
    rule: e.rule,
    resource: e.resource,
    path: e.path,
  }));
  return `${JSON.stringify({ version: baseline.version, findings }, null, 2)}\n`;
}

function baselineSchema() {
  const z = zod();
  const text = (what: string) =>
    z
      .string({ error: `${what} must be a string` })
      .min(1, `${what} must not be empty`)
      .max(4096, `${what} is longer than 4096 characters`);
  return z.strictObject(
    {
      version: z.literal(BASELINE_VERSION, {
        error: `version must be ${BASELINE_VERSION} (regenerate the file with --write-baseline)`,
      }),
      findings: z
        .array(
          z.strictObject({
            fingerprint: z
              .string({ error: 'fingerprint must be a string' })
              .regex(/^[0-9a-f]{32}$/, 'fingerprint must be 32 lowercase hex digits'),
            rule: text('rule'),
            resource: text('resource'),
            path: z
              .string({ error: 'path must be a string' })
              .max(4096, 'path is longer than 4096 characters'),
          }),
          { error: 'findings must be a list of entries' },
        )
        .max(MAX_BASELINE_ENTRIES, `findings holds more than ${MAX_BASELINE_ENTRIES} entries`),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'a baseline file is an object { version, findings }' : undefined,
    },
  );
}

/**
 * Checks parsed baseline data. The error is an {@link InputError} whose first line names the
 * first wrong field and how to fix it.
 */
export function parseBaseline(data: unknown, where = 'baseline'): Baseline {
  const result = baselineSchema().safeParse(data);
  if (result.success) return unique(result.data as Baseline, where);
  const issue = result.error.issues[0]!;
  const path = issue.path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  throw new InputError(`${where}: ${path || '(root)'}: ${issue.message}${more}`, [path || '(root)']);
}

/**
 * Refuses a fingerprint listed twice: it hashes one finding's rule, resource, path and occurrence,
 * so a repeat is a copy or a forgery, and matching would drop it silently (neither accepted nor stale).
 */
function unique(baseline: Baseline, where: string): Baseline {
  const first = new Map<string, number>();
  baseline.findings.forEach((e, i) => {
    const j = first.get(e.fingerprint);
    if (j !== undefined) {
      const path = `findings[${i}].fingerprint`;
      throw new InputError(
        `${where}: ${path}: repeats the fingerprint of findings[${j}] (one fingerprint names one finding; write the file again with --write-baseline)`,
        [path],
      );
    }
    first.set(e.fingerprint, i);
  });
  return baseline;
}

/** What {@link applyBaseline} found. */
export interface BaselineMatch {
  /** Per finding: true when a baseline entry accepts it. */
  baselined: boolean[];
  /** Entries that accepted no finding (fixed, or their resource is gone): they can be dropped. */
  stale: BaselineEntry[];
}

/**
 * Matches findings against a baseline. A failed finding is baselined only when an entry has its
 * fingerprint AND names its rule, resource and path: an entry can never accept a finding of a
 * rule or resource it does not name, whatever fingerprint it carries. Each entry accepts at most
 * one finding. Unknown and exempt findings are left alone.
 */
export function applyBaseline(
  baseline: Baseline,
  findings: readonly (FingerprintSubject & Pick<Finding, 'status'>)[],
): BaselineMatch {
  const open = new Map<string, BaselineEntry>();
  for (const e of baseline.findings)
    open.set(`${e.fingerprint}\u0000${e.rule}\u0000${e.resource}\u0000${e.path}`, e);
  const prints = fingerprintFindings(findings);
  const baselined = findings.map((f, i) => {
    if (f.status !== 'fail') return false;
    const key = `${prints[i]}\u0000${f.ruleId}\u0000${resourceIdentity(f.resource)}\u0000${f.path}`;
    if (!open.has(key)) return false;
    open.delete(key);
    return true;
  });
  return { baselined, stale: [...open.values()].sort(byEntry) };
}
