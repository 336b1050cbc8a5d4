/**
 * `bulkhead fix` on arbitrary compose services: the plan never throws for a file core reads, the
 * fixed text still parses, every finding it reports fixed is gone, no finding is new, and fixing
 * twice changes nothing more (idempotent). The engine checks are in fix-compose.test.ts.
 */
import { evaluate, type Finding, fromCompose } from '@bulkhead/core';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { planComposeFix } from '../src/fix/compose.js';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 60);
fc.configureGlobal({ baseSize: 'small' });
jest.setTimeout(60_000);

const COMPOSE = { environment: {} };
const fails = (text: string): Finding[] =>
  evaluate(fromCompose(text, 'compose.yaml', COMPOSE)).findings.filter((f) => f.status === 'fail');
const key = (f: Finding) => `${f.ruleId} ${f.resource.name} ${f.path}`;

const service = fc.record(
  {
    image: fc.constantFrom('busybox:1', 'nginx:1'),
    user: fc.constantFrom('0', 'root', 'app', '1000:1000'),
    read_only: fc.boolean(),
    init: fc.boolean(),
    cap_add: fc.subarray(['CHOWN', 'NET_RAW', 'NET_BIND_SERVICE'], { minLength: 1 }),
    cap_drop: fc.constantFrom(['NET_RAW'], ['ALL']),
    security_opt: fc.subarray(
      ['no-new-privileges:false', 'no-new-privileges:true', 'apparmor:docker-default'],
      {
        minLength: 1,
      },
    ),
    tmpfs: fc.oneof(
      fc.constant('/run'),
      fc.subarray(['/tmp', '/run:size=8m', '/var/cache:exec'], { minLength: 1 }),
    ),
    ports: fc.subarray(['80', '8080:80', '127.0.0.1:9090:90', '1000-1001:1000-1001/udp', '0.0.0.0:443:443'], {
      minLength: 1,
    }),
    ulimits: fc.constantFrom({ nofile: 4096 }, { nproc: 64 }),
    logging: fc.constantFrom(
      { driver: 'json-file' },
      { driver: 'syslog' },
      { driver: 'json-file', options: { 'max-size': '1m' } },
    ),
    restart: fc.constantFrom('always', 'no', 'on-failure:3'),
    mem_limit: fc.constantFrom('64m'),
    pids_limit: fc.constantFrom(64, -1),
  },
  { requiredKeys: ['image'] },
);
const project = fc.dictionary(fc.constantFrom('web', 'db', 'worker'), service, { minKeys: 1, maxKeys: 3 });

describe('bulkhead fix on arbitrary compose services', () => {
  it('clears what it says it fixed, adds no finding, keeps the file readable, and is idempotent', () => {
    fc.assert(
      fc.property(project, fc.boolean(), (services, setUser) => {
        const text = stringify({ services });
        const before = fails(text);
        const plan = planComposeFix(text, 'compose.yaml', { compose: COMPOSE, setUser });
        const after = fails(plan.text);
        const old = new Set(before.map(key));
        expect(after.filter((f) => !old.has(key(f))).map(key)).toEqual([]);
        const fixed = new Set(plan.fixed.map((n) => `${n.rule} ${n.service}`));
        expect(after.filter((f) => fixed.has(`${f.ruleId} ${f.resource.name}`)).map(key)).toEqual([]);
        const again = planComposeFix(plan.text, 'compose.yaml', { compose: COMPOSE, setUser });
        expect(again.fixed).toEqual([]);
        expect(again.text).toBe(plan.text);
      }),
      { numRuns },
    );
  });
});
