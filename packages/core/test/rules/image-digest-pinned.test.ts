import { Secret, UNKNOWN } from '../../src/model/value.js';
import { imageDigestPinned } from '../../src/rules/image-digest-pinned.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown, outcomes } from './helpers.js';

describeRule(imageDigestPinned, {
  mutations: [
    exampleMutation(imageDigestPinned),
    { name: 'fails an image with no tag', set: { image: 'nginx' }, fails: 'image' },
    { name: 'is unknown when the image is unknown', set: { image: UNKNOWN }, unknown: 'image' },
  ],
});

describe('image-digest-pinned', () => {
  const id = 'image-digest-pinned';
  const digest = `sha256:${'b'.repeat(64)}`;
  it('passes the compliant fixture, an image id and a secret-wrapped digest reference', () => {
    expectPass(id, container());
    expectPass(id, container({ image: digest }));
    expectPass(id, container({ image: new Secret(`private.example/app:1@${digest}`) }));
  });
  it('fails when the image is referenced by tag, without echoing it', () => {
    const [msg] = expectFail(id, container({ image: 'registry.example/shop-api:1.2' }), 'image');
    expect(msg).not.toContain('shop-api');
  });
  it('fails for a short or malformed digest', () =>
    void expectFail(id, container({ image: 'nginx@sha256:abc' }), 'image'));
  it('is unknown when the image is unknown or not given', () => {
    expectUnknown(id, container({ image: UNKNOWN }), 'image');
    expectUnknown(id, container({ image: undefined }), 'image');
  });
});

describe('runtime rules: the rarer inputs', () => {
  it('image-digest-pinned: an image not given here is unknown, saying so; references are trimmed', () => {
    const out = outcomes('image-digest-pinned', container({ image: undefined }));
    expect(out).toEqual([{ status: 'unknown', path: 'image', message: 'the image is not given here' }]);
    expectPass(
      'image-digest-pinned',
      container({ image: ` registry.example/web@sha256:${'a'.repeat(64)} ` }),
    );
  });
});
