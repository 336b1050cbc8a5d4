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
    '`@sha256:` digest or an image id names exact content. In Pulumi, an image taken from the digest ' +
    'output of an image resource (`RemoteImage.repoDigest` or `imageId`, `Image.repoDigest`, the ' +
    '`ref` or `digest` of a docker-build `Image` with `push: true`) passes even while a preview does not ' +
    'know it yet: the engine records that the input depends on that resource. Which output it is, and ' +
    'whether an `apply` rewrote it, is not recorded: once the value is known (`pulumi up`, a stack ' +
    'export, a program run under mocks) it is judged by its content.',
  remediation: {
    pulumi:
      'Use `image: remoteImage.repoDigest` (or `imageId`) from a `docker.RemoteImage`, or write ' +
      '`name@sha256:<digest>`.',
    compose: 'Write `image: name@sha256:<digest>`.',
    dockerRun: 'Run `docker run name@sha256:<digest>`.',
  },
  references: {
    nist: '4.2.2',
    docs: 'https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier',
  },
  example: { insecure: { image: 'registry.example/web:latest' }, fails: 'image' },
  check(spec) {
    const v = spec.image;
    if (v === undefined) return unknown('image', 'the image is not given here');
    // Not known yet, but the digest output of an image resource: pinned whatever it turns out to be.
    if (isUnknown(v) && spec.imageDigestFrom !== undefined) return pass();
    if (isUnknown(v) || (typeof v !== 'string' && !isSecret(v))) return unknown('image');
    const ref = reveal(v).trim().toLowerCase();
    return DIGEST.test(ref) || IMAGE_ID.test(ref)
      ? pass()
      : fail('image', 'refers to the image by tag, not by digest');
  },
};
