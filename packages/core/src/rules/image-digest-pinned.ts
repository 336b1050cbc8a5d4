import { isSecret, isUnknown, reveal } from '../model/value.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const IMAGE_ID = /^(sha256:)?[0-9a-f]{64}$/;

/** An image reference by digest always means the same bytes; a tag can be moved. */
export const imageDigestPinned: ContainerRule = {
  id: 'image-digest-pinned',
  scope: 'container',
  title: 'Images must be pinned by digest',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A tag such as `:1.2` or `:latest` is a pointer the registry owner (or whoever compromises the ' +
    'registry) can move: the next deploy or restart may run different code than the one reviewed. A ' +
    '`@sha256:` digest or an image id names exact content.',
  remediation: {
    pulumi:
      'Use `image: remoteImage.repoDigest` (or `imageId`) from a `docker.RemoteImage`, or write ' +
      '`name@sha256:<digest>`.',
    compose: 'Write `image: name@sha256:<digest>`.',
    dockerRun: 'Run `docker run name@sha256:<digest>`.',
  },
  references: {
    docs: 'https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier',
  },
  check(spec) {
    const v = spec.image;
    if (v === undefined) return unknown('image', 'the image is not given here');
    if (isUnknown(v) || (typeof v !== 'string' && !isSecret(v))) return unknown('image');
    const ref = reveal(v).trim().toLowerCase();
    return DIGEST.test(ref) || IMAGE_ID.test(ref)
      ? pass()
      : fail('image', 'refers to the image by tag, not by digest');
  },
};
