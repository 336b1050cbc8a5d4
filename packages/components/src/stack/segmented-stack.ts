import { evaluate, type Finding, type Report } from '@bulkhead/core';
import * as pulumi from '@pulumi/pulumi';
import type { HardenedContainerArgs, PortArg } from '../container/args.js';
import {
  type ComputedContainer,
  computeContainerArgs,
  containerSpecFor,
  defaultIds,
} from '../container/compute.js';
import { HardenedContainer } from '../container/hardened-container.js';
import { type ArgIssue, ComponentArgsError } from '../errors.js';
import type { ComponentException } from '../exceptions.js';
import {
  type ComputedNetwork,
  computeNetworkArgs,
  type HardenedNetworkArgs,
  networkSpecFor,
  type Reason,
} from '../network/compute.js';
import { HardenedNetwork } from '../network/hardened-network.js';
import { type Link, parseLinks } from './links.js';

/** Pulumi type token of {@link SegmentedStack}. */
export const SEGMENTED_STACK_TYPE = 'bulkhead:docker:SegmentedStack';

/** A service of a {@link SegmentedStack}: container arguments without the wiring the stack owns. */
export type ServiceArgs = Omit<HardenedContainerArgs, 'networks' | 'ports' | 'links' | 'role'>;

/** Arguments of {@link SegmentedStack}. */
export interface SegmentedStackArgs {
  /** The containers, by service name. */
  services: Record<string, ServiceArgs>;
  /**
   * Who may connect to whom: `"api->db:5432"`. Each link gets its own internal network with just
   * the two services on it; a service reaches only what it links to (and what links to it).
   */
  links?: string[];
  /** Ports to publish, per service. Only services listed here publish anything (127.0.0.1 by default). */
  ingress?: Record<string, PortArg[]>;
  /** Services allowed to reach outside the host, each with the reason. */
  egress?: Record<string, Reason>;
}

/** Reason recorded on per-link networks, which must let their two members talk. */
export const LINK_ICC_REASON = 'per-link network: only the two linked containers are attached';

interface PlannedNetwork {
  key: string;
  resourceName: string;
  args: HardenedNetworkArgs & { networkName: string };
  computed?: ComputedNetwork;
  members: { service: string; alias: string }[];
}

/**
 * A set of hardened containers wired by declared links: one internal network per link with
 * exactly its two ends attached, published ports only for declared ingress services, egress only
 * for services given a reason. Containers carry `dev.bulkhead.links` and `dev.bulkhead.role`
 * labels, so the policy pack and `bulkhead audit` can check the segmentation later.
 *
 * Every service and link is validated before anything is registered; one error lists every
 * problem.
 *
 * @example
 * ```ts
 * const shop = new SegmentedStack('shop', {
 *   services: { proxy: { image: proxyImage }, api: { image: apiImage }, db: { image: dbImage } },
 *   links: ['proxy->api:8080', 'api->db:5432'],
 *   ingress: { proxy: [{ internal: 8080, external: 8443 }] },
 * });
 * ```
 */
export class SegmentedStack extends pulumi.ComponentResource {
  /** The containers, by service name. */
  readonly containers: Readonly<Record<string, HardenedContainer>>;
  /** The networks, by key: `from->to` for links, `<service>/egress`, `<service>/ingress`. */
  readonly networks: Readonly<Record<string, HardenedNetwork>>;
  /** The parsed links. */
  readonly links: readonly Link[];
  /** Core's findings for the whole stack (`restricted`), including stack-level segmentation rules. */
  readonly findings: readonly Finding[];
  private readonly report: Report;

  constructor(name: string, args: SegmentedStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planStack(name, args);
    super(SEGMENTED_STACK_TYPE, name, {}, opts);
    this.links = plan.links;
    this.report = plan.report;
    this.findings = plan.report.findings;

    const networks: Record<string, HardenedNetwork> = {};
    for (const n of plan.networks) {
      networks[n.key] = new HardenedNetwork(n.resourceName, n.args, { parent: this });
    }
    const containers: Record<string, HardenedContainer> = {};
    for (const [service, svcArgs] of plan.services) {
      const attach = plan.networks
        .filter((n) => n.members.some((m) => m.service === service))
        .map((n) => ({
          network: networks[n.key]!,
          aliases: n.members.filter((m) => m.service === service).map((m) => m.alias),
        }));
      const full: HardenedContainerArgs = { ...svcArgs };
      if (attach.length > 0) full.networks = attach;
      containers[service] = new HardenedContainer(`${name}-${service}`, full, { parent: this });
    }
    this.networks = networks;
    this.containers = containers;
    this.registerOutputs({
      containers: Object.fromEntries(Object.entries(containers).map(([k, c]) => [k, c.containerName])),
      networks: Object.fromEntries(Object.entries(networks).map(([k, n]) => [k, n.name])),
    });
  }

  /** Core's full report for the stack. */
  hardeningReport(): Report {
    return this.report;
  }
}

/** The validated plan of a stack: services' full args, networks, report. */
interface StackPlan {
  links: Link[];
  services: [string, HardenedContainerArgs][];
  networks: PlannedNetwork[];
  report: Report;
}

const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]*$/i;
const OWNED = ['networks', 'ports', 'links', 'role'] as const;
const OWNED_HINT: Record<(typeof OWNED)[number], string> = {
  networks: 'the stack creates the networks; declare links in args.links',
  ports: 'declare published ports in args.ingress',
  links: 'declare links in args.links',
  role: 'list the service in args.ingress',
};

function planStack(name: string, args: SegmentedStackArgs): StackPlan {
  const issues: ArgIssue[] = [];
  const fail = (): never => {
    throw new ComponentArgsError('SegmentedStack', name, issues);
  };
  if (typeof args !== 'object' || args === null) {
    issues.push({ path: 'args', message: 'must be { services, links?, ingress?, egress? }' });
    fail();
  }
  for (const k of Object.keys(args)) {
    if (!['services', 'links', 'ingress', 'egress'].includes(k)) {
      issues.push({
        path: `args.${k}`,
        message: 'unknown argument; expected services, links, ingress, egress',
      });
    }
  }
  const services = args.services;
  if (typeof services !== 'object' || services === null || Object.keys(services).length === 0) {
    issues.push({ path: 'args.services', message: 'must name at least one service: { api: { image } }' });
    fail();
  }
  const names = Object.keys(services);
  for (const svc of names) {
    if (!SERVICE_NAME.test(svc)) {
      issues.push({
        path: `args.services.${svc}`,
        message: 'service names use letters, digits, "_", "." and "-"',
      });
    }
    const s = services[svc] as Record<string, unknown> | undefined;
    for (const k of OWNED) {
      if (s && k in s) issues.push({ path: `args.services.${svc}.${k}`, message: OWNED_HINT[k] });
    }
  }
  if (args.links !== undefined && !Array.isArray(args.links)) {
    issues.push({ path: 'args.links', message: 'must be a list such as ["api->db:5432"]' });
  }
  const { links, issues: linkIssues } = parseLinks(Array.isArray(args.links) ? args.links : [], names);
  issues.push(...linkIssues);
  for (const key of ['ingress', 'egress'] as const) {
    for (const svc of Object.keys(args[key] ?? {})) {
      if (!names.includes(svc)) {
        issues.push({
          path: `args.${key}.${svc}`,
          message: `names unknown service "${svc}"; services are ${[...names].sort().join(', ')}`,
        });
      }
    }
  }
  if (issues.length > 0) fail();

  // Networks: one per link, plus egress/ingress networks per service that asks for one.
  const networks: PlannedNetwork[] = [];
  for (const l of links) {
    networks.push({
      key: `${l.from}->${l.to}`,
      resourceName: `${name}-${l.from}-${l.to}`,
      args: { networkName: `${name}-${l.from}-${l.to}`, link: l.text, icc: { reason: LINK_ICC_REASON } },
      members: [
        { service: l.from, alias: l.from },
        { service: l.to, alias: l.to },
      ],
    });
  }
  for (const [svc, reason] of Object.entries(args.egress ?? {})) {
    networks.push({
      key: `${svc}/egress`,
      resourceName: `${name}-${svc}-egress`,
      args: { networkName: `${name}-${svc}-egress`, egress: reason },
      members: [{ service: svc, alias: svc }],
    });
  }
  for (const [svc, ports] of Object.entries(args.ingress ?? {})) {
    const where = ports.map((p) => `${p.ip ?? '127.0.0.1'}:${p.external ?? p.internal}`).join(', ');
    networks.push({
      key: `${svc}/ingress`,
      resourceName: `${name}-${svc}-ingress`,
      args: {
        networkName: `${name}-${svc}-ingress`,
        ingress: { reason: `ingress network of ${svc}: publishes ${where || 'its declared ports'} only` },
      },
      members: [{ service: svc, alias: svc }],
    });
  }
  for (const n of networks) {
    try {
      n.computed = computeNetworkArgs(n.resourceName, n.args);
    } catch (e) {
      if (!(e instanceof ComponentArgsError)) throw e;
      issues.push(...e.issues.map((i) => ({ path: `network ${n.key}: ${i.path}`, message: i.message })));
    }
  }

  // Services: full container args; each gets its own uid unless it names one.
  const usedUids = new Set<number>();
  for (const svc of names) {
    const user = services[svc]!.user;
    if (user) usedUids.add(Number(user.split(':')[0]));
  }
  const planned = new Map<string, HardenedContainerArgs>();
  const attachments = new Map<string, PlannedNetwork[]>();
  const computed = new Map<string, ComputedContainer>();
  /** Computes one service's container args with the networks' plain names (as the report sees them). */
  const computeService = (svc: string): void => {
    const full = planned.get(svc)!;
    const attach = attachments.get(svc)!.map((n) => ({ network: n.args.networkName, aliases: [svc] }));
    try {
      computed.set(
        svc,
        computeContainerArgs(`${name}-${svc}`, attach.length > 0 ? { ...full, networks: attach } : full),
      );
    } catch (e) {
      if (!(e instanceof ComponentArgsError)) throw e;
      issues.push(...e.issues.map((i) => ({ path: servicePath(svc, i.path), message: i.message })));
    }
  };
  for (const svc of names) {
    const full: HardenedContainerArgs = { ...services[svc]! } as HardenedContainerArgs;
    if (!full.user) {
      let [uid] = defaultIds(`${name}-${svc}`);
      while (usedUids.has(uid)) uid++;
      usedUids.add(uid);
      full.user = `${uid}:${uid}`;
    }
    const outgoing = links.filter((l) => l.from === svc).map((l) => (l.port ? `${l.to}:${l.port}` : l.to));
    if (outgoing.length > 0) full.links = outgoing;
    const ports = args.ingress?.[svc];
    if (ports) {
      full.ports = ports;
      full.role = 'ingress';
    }
    planned.set(svc, full);
    attachments.set(
      svc,
      networks.filter((n) => n.members.some((m) => m.service === svc)),
    );
    computeService(svc);
  }
  if (issues.length > 0) fail();

  const evaluateAll = () =>
    evaluate(
      {
        containers: names.map((svc) => {
          const c = computed.get(svc)!;
          return containerSpecFor(`${name}-${svc}`, c.containerArgs, c.secretEnvKeys);
        }),
        networks: networks.map((n) => networkSpecFor(n.resourceName, n.computed!.networkArgs)),
      },
      { profile: 'restricted' },
    );
  let report = evaluateAll();

  // A service given egress is, by that decision, a backend on a non-internal network: the stack
  // rules that flag its attachment to its own egress network are exempted with the egress reason.
  const derived = new Map<string, ComponentException[]>();
  for (const f of report.findings) {
    if (f.status !== 'fail') continue;
    const svc = names.find((s) => `${name}-${s}` === f.resource.name);
    const m = /^networks\[(\d+)\]/.exec(f.specPath);
    if (!svc || !m) continue;
    const net = attachments.get(svc)![Number(m[1])];
    const reason = args.egress?.[svc]?.reason;
    if (reason && net?.key === `${svc}/egress`) {
      const list = derived.get(svc) ?? [];
      if (!list.some((e) => e.rule === f.ruleId)) list.push({ rule: f.ruleId, reason });
      derived.set(svc, list);
    }
  }
  for (const [svc, extra] of derived) {
    const full = planned.get(svc)!;
    full.exceptions = [...(full.exceptions ?? []), ...extra];
    computeService(svc);
  }
  if (issues.length > 0) fail();
  if (derived.size > 0) report = evaluateAll();
  return { links, services: [...planned], networks, report };
}

/** `args.user` of service api → `args.services.api.user`; ports → `args.ingress.api[…]`. */
function servicePath(svc: string, path: string): string {
  const rest = path.replace(/^args\.?/, '');
  if (rest.startsWith('ports')) return `args.ingress.${svc}${rest.slice('ports'.length)}`;
  return `args.services.${svc}${rest ? `.${rest}` : ''}`;
}
