/**
 * Docker labels Bulkhead reads and writes. Components write them; the engine, the policy pack and
 * `bulkhead audit` read them, so an exception declared in a program travels with the container.
 */
export const LABELS = {
  /** Prefix of exemption labels: `dev.bulkhead.exempt.<rule-id>` = reason. */
  exemptPrefix: 'dev.bulkhead.exempt.',
  /** Suffix-less expiry label: `dev.bulkhead.exempt-expires.<rule-id>` = ISO date. */
  exemptExpiresPrefix: 'dev.bulkhead.exempt-expires.',
  /** `ingress` marks a container allowed to publish ports. */
  role: 'dev.bulkhead.role',
  /** Comma-separated `target[:port]` list of the links a container declares. */
  links: 'dev.bulkhead.links',
  /** On a network created for one link: `from->to[:port]`. */
  link: 'dev.bulkhead.link',
  /** Reason a network is allowed egress (not internal). */
  egressReason: 'dev.bulkhead.egress-reason',
  /** Marks a resource managed by a Bulkhead component (value: component type). */
  component: 'dev.bulkhead.component',
} as const;

/** The exemption label for a rule. */
export const exemptLabel = (ruleId: string): string => `${LABELS.exemptPrefix}${ruleId}`;
