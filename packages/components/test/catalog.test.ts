/** HardenedContainer judged with a configured catalog: Bulkhead's rules plus a team's rule package. */
import { buildCatalog, defineContainerRule, fail, isKnown, pass, reveal, unknown } from '@bulkhead/core';
import { ComponentArgsError, computeContainerArgs, type HardenedContainerArgs } from '../src/index.js';

const registry = defineContainerRule({
  id: 'acme/image-registry',
  title: "Images come from Acme's registries",
  severity: 'high',
  level: 'baseline',
  rationale: 'Images from Acme registries are scanned and signed; others are not.',
  remediation: {
    pulumi: 'Use an image under registry.acme.example/.',
    compose: 'Use an image under registry.acme.example/.',
    dockerRun: 'Run an image under registry.acme.example/.',
  },
  references: { docs: 'https://wiki.acme.example/registries' },
  check: (spec) =>
    spec.image === undefined
      ? fail('image', 'names no image')
      : !isKnown(spec.image)
        ? unknown('image')
        : reveal(spec.image).startsWith('registry.acme.example/')
          ? pass()
          : fail('image', "is not from one of Acme's registries"),
});
const acme = buildCatalog({ packages: [{ name: '@acme/bulkhead-rules', rules: [registry] }] });
const args = (image: string, extra: Partial<HardenedContainerArgs> = {}): HardenedContainerArgs => ({
  image: `${image}@sha256:${'a'.repeat(64)}`,
  healthcheck: { test: ['/app/healthz'] },
  ...extra,
});

describe('HardenedContainer with a configured catalog', () => {
  it("is judged by Bulkhead's catalog alone by default", () => {
    expect(() => computeContainerArgs('api', args('docker.io/library/nginx'))).not.toThrow();
  });
  it("refuses arguments a team's container rule fails, naming the argument and the rule", () => {
    expect(() => computeContainerArgs('api', args('docker.io/library/nginx', { catalog: acme }))).toThrow(
      ComponentArgsError,
    );
    expect(() => computeContainerArgs('api', args('docker.io/library/nginx', { catalog: acme }))).toThrow(
      /args\.image: is not from one of Acme's registries \(rule acme\/image-registry\)/,
    );
    expect(() =>
      computeContainerArgs('api', args('registry.acme.example/api', { catalog: acme })),
    ).not.toThrow();
  });
  it('takes an exception for a team rule, with its reason, and refuses one for a rule it does not know', () => {
    const exceptions = [{ rule: 'acme/image-registry', reason: 'vendor image, mirrored by ticket OPS-12' }];
    expect(() =>
      computeContainerArgs('api', args('docker.io/library/nginx', { catalog: acme, exceptions })),
    ).not.toThrow();
    expect(() => computeContainerArgs('api', args('docker.io/library/nginx', { exceptions }))).toThrow(
      /no rule has this id/,
    );
  });
});
