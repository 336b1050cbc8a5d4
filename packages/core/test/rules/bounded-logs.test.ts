import { UNKNOWN } from '../../src/model/value.js';
import { boundedLogs } from '../../src/rules/bounded-logs.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(boundedLogs, {
  mutations: [
    exampleMutation(boundedLogs),
    { name: 'passes the local driver', set: { logDriver: 'local', logOpts: undefined } },
  ],
});

describe('bounded-logs', () => {
  const id = 'bounded-logs';
  it('passes the compliant fixture, the local driver and remote drivers', () => {
    expectPass(id, container());
    expectPass(id, container({ logDriver: 'local', logOpts: undefined }));
    expectPass(id, container({ logDriver: 'syslog', logOpts: undefined }));
    expectPass(id, container({ logDriver: 'fluentd', logOpts: undefined }));
  });
  it('fails when json-file has no max-size', () =>
    void expectFail(id, container({ logOpts: { 'max-file': '3' } }), 'logOpts'));
  it('fails when the driver is the engine default and no max-size is set', () =>
    void expectFail(id, container({ logDriver: undefined, logOpts: undefined }), 'logDriver'));
  it.each(['10m', '10M', '1.5m', '1048576', '2g', '100k', ' 10mb ', '10 m', '1 t', '1gib', '5Mi'])(
    'passes max-size %j',
    (size) => expectPass(id, container({ logOpts: { 'max-size': size } })),
  );
  it.each(['-1', '0', '0.0k', 'lots', 'x10m', '10mx', '10xyz', '1.m', '10 x', ''])(
    'fails max-size %j (unbounded or unparsable)',
    (size) => void expectFail(id, container({ logOpts: { 'max-size': size } }), 'logOpts["max-size"]'),
  );
  it('says which: unbounded, or not parsable', () => {
    expect(expectFail(id, container({ logOpts: { 'max-size': '0' } }), 'logOpts["max-size"]')).toEqual([
      'sets an unbounded max-size',
    ]);
    expect(expectFail(id, container({ logOpts: { 'max-size': 'lots' } }), 'logOpts["max-size"]')).toEqual([
      'has a max-size the engine cannot parse',
    ]);
  });
  it('is unknown when the options or the driver are unknown', () => {
    expectUnknown(id, container({ logOpts: UNKNOWN }), 'logOpts');
    expectUnknown(id, container({ logDriver: UNKNOWN }), 'logDriver');
  });
});
