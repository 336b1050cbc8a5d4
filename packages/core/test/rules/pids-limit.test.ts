import { UNKNOWN } from '../../src/model/value.js';
import { pidsLimit } from '../../src/rules/pids-limit.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(pidsLimit, {
  mutations: [exampleMutation(pidsLimit)],
  skip: {
    pulumi: 'docker.Container has no pids limit input; the rule reads the per-UID nproc ulimit there instead',
  },
});

describe('pids-limit', () => {
  const id = 'pids-limit';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when pids_limit is absent, 0 or -1', () => {
    expectFail(id, container({ pidsLimit: undefined }), 'pidsLimit');
    expectFail(id, container({ pidsLimit: 0 }), 'pidsLimit');
    expectFail(id, container({ pidsLimit: -1 }), 'pidsLimit');
  });
  it('is unknown when pids_limit is unknown', () =>
    expectUnknown(id, container({ pidsLimit: UNKNOWN }), 'pidsLimit'));

  describe('for a Pulumi docker.Container, which cannot set a PIDs limit', () => {
    const pulumi = (o: Parameters<typeof container>[0] = {}) => {
      const spec = container({ pidsLimit: undefined, ...o });
      spec.source.cannotExpress = new Set(['pidsLimit']);
      return spec;
    };
    it('passes with an nproc ulimit and a numeric non-root uid (the documented workaround)', () =>
      expectPass(id, pulumi()));
    it('fails without an nproc ulimit, explaining the gap', () => {
      const [msg] = expectFail(id, pulumi({ ulimits: [{ name: 'nofile', soft: 1, hard: 1 }] }), 'ulimits');
      expect(msg).toContain('cannot set a PIDs limit');
      expect(msg).toContain('nproc ulimit');
    });
    it('fails when the user is a name or root, since nproc counts per uid', () => {
      expectFail(id, pulumi({ user: 'app' }), 'user');
      expectFail(id, pulumi({ user: '0:0' }), 'user');
      expectFail(id, pulumi({ user: undefined }), 'user');
    });
    it('fails when the nproc ulimit is unbounded', () =>
      void expectFail(id, pulumi({ ulimits: [{ name: 'nproc', soft: -1, hard: -1 }] }), 'ulimits[0]'));
    it('is unknown when the user or the ulimits are unknown', () => {
      expectUnknown(id, pulumi({ user: UNKNOWN }), 'user');
      expectUnknown(id, pulumi({ ulimits: UNKNOWN }), 'ulimits');
    });
  });
});
