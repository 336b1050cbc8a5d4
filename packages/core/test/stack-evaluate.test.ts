import { evaluate } from '../src/evaluation/evaluate.js';
import { stack } from './support/stack.js';

describe('a whole stack through evaluate', () => {
  it('reports the stack findings on the right resources with source paths, and nothing else', () => {
    const s = stack();
    s.containers[1]!.source.fieldPaths = { networks: 'networksAdvanced' };
    const { findings } = evaluate(s);
    expect(findings.map((f) => [f.ruleId, f.resource.name, f.resource.scope, f.path])).toEqual([
      ['network-internal', 'egress', 'network', 'internal'],
      ['shared-network-needs-link', 'api', 'container', 'networksAdvanced[1]'],
      ['shared-network-needs-link', 'db', 'container', 'networks[0]'],
      ['shared-network-needs-link', 'worker', 'container', 'networks[0]'],
      ['backend-on-internal-network', 'api', 'container', 'networksAdvanced[2]'],
    ]);
  });
  it('honours the egress exemption label the network component writes', () => {
    const s = stack();
    s.networks[2]!.labels = { 'dev.bulkhead.exempt.network-internal': 'api calls the payment provider' };
    const f = evaluate(s, { only: ['network-internal'] }).findings;
    expect(f.map((x) => [x.status, x.exemption?.from])).toEqual([['exempt', 'label']]);
  });
});
