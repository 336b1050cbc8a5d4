import { currentLabelCheck, readLabelExemptions } from '../evaluation/exemptions.js';
import type { ContainerSpec, NetworkSpec } from '../model/spec.js';
import { hasSecretKeys, mapKeyPath } from '../model/value.js';
import { fail, type StackOutcome, type StackRule } from './types.js';

/**
 * Exemptions that mean something: every `dev.bulkhead.exempt.<rule>` label is checked as
 * strictly as an exemptions file, and an invalid or expired one is a finding, never silence.
 */
export const exemptionLabelsValid: StackRule = {
  id: 'exemption-labels-valid',
  scope: 'stack',
  title: 'Exemption labels must name a rule, give a real reason and a valid, unexpired date',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'An exemption label (`dev.bulkhead.exempt.<rule>` = reason, `dev.bulkhead.exempt-expires.<rule>` = date) ' +
    'records a decision to accept a risk. A label with a placeholder reason (TODO, FIXME, TBD…), fewer than ten ' +
    'visible characters, a rule id that does not exist, a date that is not a calendar date, an expiry beyond the ' +
    'configured horizon (`maxExpiryDays`) or a date that has passed records no decision: it exempts nothing, and ' +
    'this rule says so instead of leaving the finding it meant to exempt unexplained. Labels on a running ' +
    'container are written by whoever started it; `bulkhead audit` shows them but honours them only with ' +
    '`--trust-labels` (see docs/threat-model.md).',
  remediation: {
    pulumi:
      'Give the component exception a reason that says why the risk is accepted and a date within the horizon: ' +
      '`exceptions: [{ rule: "<id>", reason: "<why>", expires: "YYYY-MM-DD" }]`, or remove it.',
    compose:
      'Fix or remove the `dev.bulkhead.exempt.<rule>` label (and its `dev.bulkhead.exempt-expires.<rule>` date) under `labels:`.',
    dockerRun:
      'Fix or remove `--label dev.bulkhead.exempt.<rule>=<reason>` and `--label dev.bulkhead.exempt-expires.<rule>=YYYY-MM-DD`.',
  },
  references: {
    docs: 'https://docs.docker.com/engine/manage-resources/labels/',
  },
  example: {
    containers: [{ name: 'web', labels: { 'dev.bulkhead.exempt.no-privileged': '' } }],
    fails: ['web: labels["dev.bulkhead.exempt.no-privileged"]'],
  },
  check({ containers, networks }) {
    const check = currentLabelCheck();
    const out: StackOutcome[] = [];
    const visit = (spec: ContainerSpec | NetworkSpec) => {
      const labels = spec.labels;
      const keys = hasSecretKeys(labels) ? Object.keys(labels as object) : [];
      for (const l of readLabelExemptions(labels, check)) {
        if (l.problem === undefined) continue;
        const path = mapKeyPath('labels', labels, l.key, keys.indexOf(l.key));
        const o = fail(path, `the exemption label ${l.problem}`);
        out.push({ ...(o as Exclude<typeof o, { status: 'pass' }>), resource: spec });
      }
    };
    for (const c of containers) visit(c);
    for (const n of networks) visit(n);
    return out;
  },
};
