import { defineContainerRule, fail, isKnown, pass, reveal, unknown } from '@bulkhead/core';

/** The label naming the team that owns a container. */
export const OWNER_LABEL = 'com.acme.owner';

/** Every container names its owning team. */
export const ownerLabel = defineContainerRule({
  id: 'acme/owner-label',
  title: 'Containers carry an owner label',
  severity: 'medium',
  level: 'baseline',
  rationale: 'Whoever is paged for a container must be findable from the container itself.',
  remediation: {
    pulumi: `Add \`labels: [{ label: "${OWNER_LABEL}", value: "<team>" }]\`.`,
    compose: `Add \`labels: { ${OWNER_LABEL}: <team> }\` to the service.`,
    dockerRun: `Pass \`--label ${OWNER_LABEL}=<team>\`.`,
  },
  references: { docs: 'https://wiki.acme.example/platform/ownership' },
  tags: ['ownership'],
  frameworks: ['acme-baseline'],
  check(spec) {
    if (spec.labels === undefined) return fail('labels', `has no ${OWNER_LABEL} label`);
    if (!isKnown(spec.labels)) return unknown('labels');
    const owner = spec.labels[OWNER_LABEL];
    if (owner === undefined) return fail('labels', `has no ${OWNER_LABEL} label`);
    const path = `labels[${JSON.stringify(OWNER_LABEL)}]`;
    if (!isKnown(owner)) return unknown(path);
    return reveal(owner).trim() === '' ? fail(path, 'names no owner') : pass();
  },
});
