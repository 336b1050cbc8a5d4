import { UNKNOWN } from '../../src/model/value.js';
import { memoryLimit } from '../../src/rules/memory-limit.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(memoryLimit, {
  mutations: [
    exampleMutation(memoryLimit),
    { name: 'fails when only the memory limit is missing', set: { memory: undefined }, fails: 'memory' },
    { name: 'is unknown when memory is unknown', set: { memory: UNKNOWN }, unknown: 'memory' },
  ],
});

const MB = 1024 * 1024;

describe('memory-limit', () => {
  const id = 'memory-limit';
  it('passes the compliant fixture (swap equal to memory)', () => expectPass(id, container()));
  it('passes when swap is not set', () => expectPass(id, container({ memorySwap: undefined })));
  it('fails when memory is absent or 0', () => {
    expectFail(id, container({ memory: undefined }), 'memory');
    expectFail(id, container({ memory: 0 }), 'memory');
  });
  it('fails when swap is above memory', () =>
    void expectFail(id, container({ memory: 256 * MB, memorySwap: 512 * MB }), 'memorySwap'));
  it('fails when swap is unlimited (-1)', () =>
    void expectFail(id, container({ memorySwap: -1 }), 'memorySwap'));
  it('is unknown when memory is unknown', () => expectUnknown(id, container({ memory: UNKNOWN }), 'memory'));
  it('is unknown when swap is unknown', () =>
    expectUnknown(id, container({ memorySwap: UNKNOWN }), 'memorySwap'));
  it('reports plainly that a resource type without memory limits cannot be limited', () => {
    const [msg] = expectFail(id, container({}, ['memory']), 'memory');
    expect(msg).toMatch(/^a swarm service cannot set a memory limit/);
  });
});
