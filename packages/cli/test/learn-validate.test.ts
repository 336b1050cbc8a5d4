import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { seccompToJson } from '@bulkhead/core';
import { learnedProfile } from '../src/learn/profile.js';
import { bulkhead, tempDir } from './support/cli.js';

let tmp: { dir: string; cleanup: () => void };
const profile = learnedProfile(['read', 'openat'], 'SCMP_ARCH_X86_64', 'image x');
const compose = (securityOpt: string[]) =>
  `services:\n  api:\n    image: busybox\n    security_opt: ${JSON.stringify(securityOpt)}\n`;

beforeAll(() => {
  tmp = tempDir();
  writeFileSync(path.join(tmp.dir, 'api.json'), seccompToJson(profile));
});
afterAll(() => tmp.cleanup());

const json = async (file: string, flag: string) => {
  const r = await bulkhead([
    'validate',
    file,
    '--learned-profile',
    flag,
    '--format',
    'json',
    '--fail-on',
    'none',
  ]);
  expect(r.code).toBe(0);
  const findings = JSON.parse(r.stdout).findings as { ruleId?: string; rule?: string; status: string }[];
  return findings.filter((f) => (f.ruleId ?? f.rule) === 'seccomp-within-learned-profile');
};

describe('bulkhead validate --learned-profile (built binary)', () => {
  it("fails seccomp-within-learned-profile for a service on Docker's default profile", async () => {
    const file = path.join(tmp.dir, 'default.yaml');
    writeFileSync(file, compose(['no-new-privileges:true']));
    const found = await json(file, `api=${path.join(tmp.dir, 'api.json')}`);
    expect(found.map((f) => f.status)).toEqual(['fail']);
  });

  it('passes a service that runs with the learned profile inline', async () => {
    const file = path.join(tmp.dir, 'learned.yaml');
    writeFileSync(file, compose(['no-new-privileges:true', `seccomp=${seccompToJson(profile)}`]));
    const found = await json(file, `api=${path.join(tmp.dir, 'api.json')}`);
    expect(found.filter((f) => f.status === 'fail')).toEqual([]);
  });

  it('exits 2 for a name no service has, or a value without NAME=FILE', async () => {
    const file = path.join(tmp.dir, 'default.yaml');
    const r = await bulkhead([
      'validate',
      file,
      '--learned-profile',
      `web=${path.join(tmp.dir, 'api.json')}`,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no container or service is named web');
    const bad = await bulkhead(['validate', file, '--learned-profile', 'api']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected NAME=FILE');
  });
});
