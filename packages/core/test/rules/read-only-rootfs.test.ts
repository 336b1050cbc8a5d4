import { UNKNOWN } from '../../src/model/value.js';
import { readOnlyRootfs } from '../../src/rules/read-only-rootfs.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(readOnlyRootfs, {
  mutations: [
    exampleMutation(readOnlyRootfs),
    { name: 'fails when read_only is absent', set: { readOnlyRootfs: undefined }, fails: 'readOnlyRootfs' },
    {
      name: 'is unknown when read_only is unknown',
      set: { readOnlyRootfs: UNKNOWN },
      unknown: 'readOnlyRootfs',
    },
  ],
});

describe('read-only-rootfs', () => {
  const id = 'read-only-rootfs';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when read_only is false', () =>
    void expectFail(id, container({ readOnlyRootfs: false }), 'readOnlyRootfs'));
  it('fails when read_only is absent', () =>
    void expectFail(id, container({ readOnlyRootfs: undefined }), 'readOnlyRootfs'));
  it('is unknown when read_only is unknown', () =>
    expectUnknown(id, container({ readOnlyRootfs: UNKNOWN }), 'readOnlyRootfs'));
  it('reports the gap for a resource type without it', () =>
    void expectFail(id, container({}, ['readOnlyRootfs']), 'readOnlyRootfs'));
});
