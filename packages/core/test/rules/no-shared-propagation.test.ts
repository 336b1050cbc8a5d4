import { UNKNOWN } from '../../src/model/value.js';
import { noSharedPropagation } from '../../src/rules/no-shared-propagation.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { bind, container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noSharedPropagation, {
  mutations: [exampleMutation(noSharedPropagation)],
});

describe('no-shared-propagation', () => {
  const id = 'no-shared-propagation';
  it('passes the compliant fixture and rprivate/rslave', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({
        mounts: [bind('/srv', { propagation: 'rprivate' }), bind('/x', { propagation: 'rslave' })],
      }),
    );
  });
  it.each(['shared', 'rshared', 'RSHARED'])(
    'fails when propagation is %s',
    (propagation) =>
      void expectFail(
        id,
        container({ mounts: [bind('/srv'), bind('/srv', { propagation })] }),
        'mounts[1].propagation',
      ),
  );
  it('is unknown when propagation is unknown', () =>
    expectUnknown(
      id,
      container({ mounts: [bind('/srv', { propagation: UNKNOWN })] }),
      'mounts[0].propagation',
    ));
  it('passes a container without mounts', () => expectPass(id, container({ mounts: undefined })));
  it('is unknown when the mount list is not known yet, or for an entry that is no mount', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    // Outside the model's types (hand-built or adversarial specs); it may hide any propagation.
    expectUnknown(id, container({ mounts: [bind('/srv'), UNKNOWN as never] }), 'mounts[1]');
  });
  it('reads the propagation mode without surrounding blanks', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/srv', { propagation: ' rshared ' })] }),
      'mounts[0].propagation',
    ));
});
