import {
  catalog,
  describeFinding,
  evaluate,
  exemptLabel,
  fromPulumiNetworkArgs,
  LABELS,
  type NetworkSpec,
  PULUMI_TYPES,
  type Report,
} from '@bulkhead/core';
import type * as docker from '@pulumi/docker';
import type * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { type ArgIssue, ComponentArgsError } from '../errors.js';
import { type ComponentException, exceptionHint, exceptionLabels } from '../exceptions.js';
import {
  exceptionsSchema,
  unknownArgumentsMessage,
  userLabelsSchema,
  writtenReason,
  zodIssues,
} from '../schema.js';

/** The component type name, as written to the `dev.bulkhead.component` label. */
export const NETWORK_COMPONENT = 'HardenedNetwork';

/** Bridge option that switches inter-container communication on or off. */
export const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** Bridge option that switches outbound NAT for members on or off. */
export const MASQUERADE_OPTION = 'com.docker.network.bridge.enable_ip_masquerade';

/** A decision with a written reason (at least 10 characters). */
export interface Reason {
  reason: string;
}

/** Arguments of {@link HardenedNetwork} and {@link computeNetworkArgs}. */
export interface HardenedNetworkArgs {
  /** Engine network name. Default: Pulumi's auto-name. */
  networkName?: pulumi.Input<string>;
  /**
   * Allow traffic to and from outside the host (`internal: false`). Default: internal. The
   * reason is recorded as the exemption of whichever core rule requires internal networks, and
   * as `dev.bulkhead.egress-reason`.
   */
  egress?: Reason;
  /**
   * Let containers on this network talk to each other. Default: off (`enable_icc=false`): a
   * generic network only gives its members a route out (with `egress`) or to the host. Switch it
   * on for a network that exists to connect specific containers, with the reason.
   */
  icc?: Reason;
  /**
   * A network that only carries published ports into its members: not internal (Docker publishes
   * ports only on non-internal bridges) but without IP masquerading, so members get no NAT route
   * out. The reason is recorded like `egress`'s. Exclusive with `egress`.
   */
  ingress?: Reason;
  /** For a per-link network: the link it carries (`api->db:5432`), as `dev.bulkhead.link`. */
  link?: string;
  /** Extra labels. `dev.bulkhead.*` keys are reserved. */
  labels?: Record<string, string>;
  /** Exceptions for other network rules. */
  exceptions?: ComponentException[];
}

/** What {@link computeNetworkArgs} returns. */
export interface ComputedNetwork {
  networkArgs: docker.NetworkArgs;
  exceptions: ComponentException[];
  report: Report;
}

const reasonSchema = z.strictObject(
  {
    reason: writtenReason('is required: write why'),
  },
  { error: 'must be { reason: "…" } with a written reason' },
);

function networkArgsSchema(now?: () => string) {
  return z.strictObject(
    {
      networkName: z.any().optional(),
      egress: reasonSchema.optional(),
      icc: reasonSchema.optional(),
      ingress: reasonSchema.optional(),
      link: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+->[A-Za-z0-9_.-]+(:\d{1,5})?$/, 'must be "from->to" or "from->to:port"')
        .optional(),
      labels: userLabelsSchema().optional(),
      exceptions: exceptionsSchema(now),
    },
    {
      error: unknownArgumentsMessage,
    },
  );
}

/**
 * Computes the `docker.NetworkArgs` of a hardened network without Pulumi: internal and with ICC
 * off unless `egress`/`icc` give reasons, which become exemption labels for the core rules that
 * flag those settings. Throws one {@link ComponentArgsError} for invalid arguments or findings
 * left without an exception.
 */
export function computeNetworkArgs(
  name: string,
  args: HardenedNetworkArgs = {},
  options: { today?: () => string } = {},
): ComputedNetwork {
  const parsed = networkArgsSchema(options.today).safeParse(args);
  if (!parsed.success) throw new ComponentArgsError(NETWORK_COMPONENT, name, zodIssues(parsed.error, 'args'));
  const a = parsed.data as HardenedNetworkArgs;
  const exceptions: ComponentException[] = (a.exceptions ?? []).map((e) =>
    e.expires ? { rule: e.rule, reason: e.reason, expires: e.expires } : { rule: e.rule, reason: e.reason },
  );

  const base: Record<string, string> = { ...a.labels, [LABELS.component]: NETWORK_COMPONENT };
  if (a.link) base[LABELS.link] = a.link;
  if (a.egress && a.ingress) {
    throw new ComponentArgsError(NETWORK_COMPONENT, name, [
      { path: 'args.ingress', message: 'cannot be combined with egress; use two networks' },
    ]);
  }
  const open = a.egress ?? a.ingress;
  if (open) base[LABELS.egressReason] = open.reason;
  const build = (labels: Record<string, string>): docker.NetworkArgs => {
    const out: docker.NetworkArgs = {
      driver: 'bridge',
      internal: !open,
      attachable: false,
      ipv6: false,
      options: {
        [ICC_OPTION]: a.icc ? 'true' : 'false',
        ...(a.ingress ? { [MASQUERADE_OPTION]: 'false' } : {}),
      },
      labels: Object.keys(labels)
        .sort()
        .map((label) => ({ label, value: labels[label]! })),
    };
    if (a.networkName !== undefined) out.name = a.networkName;
    return out;
  };

  // First pass: which rules flag what the reasons allow? Their exemptions carry those reasons.
  const first = evaluateNetworkArgs(name, build({ ...base, ...exceptionLabels(exceptions) }));
  const derived: Record<string, string> = {};
  for (const f of first.findings) {
    if (f.status !== 'fail') continue;
    if (open && f.specPath.startsWith('internal')) derived[exemptLabel(f.ruleId)] = open.reason;
    else if (a.icc && f.specPath.startsWith('options')) derived[exemptLabel(f.ruleId)] = a.icc.reason;
  }
  const networkArgs = build({ ...base, ...derived, ...exceptionLabels(exceptions) });
  const report = evaluateNetworkArgs(name, networkArgs);

  const issues: ArgIssue[] = [];
  for (const f of report.findings) {
    if (f.status !== 'fail' || catalog.get(f.ruleId)?.scope !== 'network') continue;
    const d = describeFinding(f, catalog.get(f.ruleId));
    issues.push({
      path: `args.${d.where}`,
      message: `${d.what} (rule ${f.ruleId}); ${(d.fix ?? '').replace(/\.\s*$/, '')}, or ${exceptionHint(f.ruleId)}`,
    });
  }
  if (issues.length > 0) throw new ComponentArgsError(NETWORK_COMPONENT, name, issues);
  return { networkArgs, exceptions, report };
}

/** Core's report for computed network arguments under `restricted`. */
export function evaluateNetworkArgs(name: string, networkArgs: docker.NetworkArgs): Report {
  return evaluate(
    { containers: [], networks: [networkSpecFor(name, networkArgs)] },
    { profile: 'restricted' },
  );
}

/** Core's `NetworkSpec` for computed network arguments. */
export function networkSpecFor(name: string, networkArgs: docker.NetworkArgs): NetworkSpec {
  return fromPulumiNetworkArgs(networkArgs as Record<string, unknown>, { name, type: PULUMI_TYPES.network });
}
