import { defineContainerRule, fail, isKnown, pass, reveal, unknown } from '@bulkhead/core';

/** The registries images may come from. */
export const ALLOWED_REGISTRIES: readonly string[] = ['registry.acme.example/', 'ghcr.io/acme/'];

/** Images only from Acme's registries. */
export const imageRegistry = defineContainerRule({
  id: 'acme/image-registry',
  title: "Images come from Acme's registries",
  severity: 'high',
  level: 'baseline',
  rationale:
    'Images from Acme registries are scanned, signed and mirrored; an image pulled from anywhere else has none ' +
    'of that and may change under the same tag.',
  remediation: {
    pulumi: 'Set `image` to an image under registry.acme.example/ (mirror it there first).',
    compose: 'Set the service `image:` to an image under registry.acme.example/.',
    dockerRun: 'Run an image under registry.acme.example/.',
  },
  references: { docs: 'https://wiki.acme.example/platform/registries', nist: '4.1.5' },
  tags: ['supply-chain'],
  frameworks: ['acme-baseline'],
  check(spec) {
    if (spec.image === undefined) return fail('image', 'names no image');
    // Unknown (not computed yet in a preview): undecided, never a failure.
    if (!isKnown(spec.image)) return unknown('image');
    // A secret image name is still read, but never echoed: messages say what is wrong, not the value.
    const image = reveal(spec.image);
    return ALLOWED_REGISTRIES.some((r) => image.startsWith(r))
      ? pass()
      : fail('image', "is not from one of Acme's registries");
  },
});
