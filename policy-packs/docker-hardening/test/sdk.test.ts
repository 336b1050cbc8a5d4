/**
 * sdk.ts, the one module that knows `@pulumi/policy` beyond its public API: the pinned SDK is the
 * version it was verified with, and on any other version the pack runs on the SDK's plain path
 * (test/unverified-sdk-pack: the built pack with another trusted version) with one warning,
 * every value treated as a secret and remediation off. Both packs run under the real protocol.
 */
import * as path from 'node:path';
import { catalog, exemptLabel } from '@bulkhead/core';
import {
  type PolicyPackHandle,
  type ResourceInput,
  secret,
  startPolicyPack,
  unknown,
  type Violation,
} from '@bulkhead/policy-harness';
import { installedSdkVersion, VERIFIED_SDK_VERSION } from '../src/sdk.js';
import { CANARY, canaryMessages } from './canary.js';
import { compliantContainer, compliantNetwork, container, MUTATIONS, NETWORK } from './fixtures.js';
import { assertBuilt, FIXABLE, PACK_DIR, strings } from './support.js';

jest.setTimeout(120_000);

const UNVERIFIED_DIR = path.join(__dirname, 'unverified-sdk-pack');
const of = (vs: readonly Violation[], rule: string) => vs.filter((v) => v.policyName === rule);
const warnings = (p: PolicyPackHandle) =>
  p.logs.filter((l) => l.message.includes('bulkhead-docker-hardening was verified with @pulumi/policy'));

let verified: PolicyPackHandle;
let unverified: PolicyPackHandle;

beforeAll(async () => {
  assertBuilt(catalog.rules.map((r) => r.id));
  [verified, unverified] = await Promise.all([startPolicyPack(PACK_DIR), startPolicyPack(UNVERIFIED_DIR)]);
});
afterAll(async () => {
  await Promise.all([verified?.close(), unverified?.close()]);
});
afterEach(async () => {
  await Promise.all([verified.configure(undefined), unverified.configure(undefined)]);
});

describe('the SDK version sdk.ts was verified with', () => {
  it('is the @pulumi/policy the pack depends on and installs (re-verify sdk.ts before changing either)', () => {
    expect(installedSdkVersion()).toBe(VERIFIED_SDK_VERSION);
    expect(require('../package.json').dependencies['@pulumi/policy']).toBe(VERIFIED_SDK_VERSION);
  });

  it('starts the pack without a warning', async () => {
    await verified.analyze(container(compliantContainer()));
    expect(warnings(verified)).toEqual([]);
  });
});

describe('on an SDK it was not verified with', () => {
  it('warns once at start-up, naming both versions and what is lost', async () => {
    await unverified.analyze(container(compliantContainer()));
    const [w, ...rest] = warnings(unverified);
    expect(rest).toEqual([]);
    expect(w!.message).toContain(
      `verified with @pulumi/policy 0.0.0-not-installed, found ${VERIFIED_SDK_VERSION}`,
    );
    expect(w!.message).toContain('remediation is off');
  });

  it('still reports every rule a resource breaks, as the verified pack does', async () => {
    for (const [id, m] of Object.entries(MUTATIONS)) {
      if (m.kind === 'stack') continue;
      const r: ResourceInput =
        m.kind === 'network'
          ? { type: NETWORK, name: 'n', properties: m.mutate(compliantNetwork()) }
          : container(m.mutate(compliantContainer()));
      const levels = (vs: Violation[]) => of(vs, id).map((v) => v.enforcementLevel);
      expect([id, levels(await unverified.analyze(r))]).toEqual([id, levels(await verified.analyze(r))]);
    }
  });

  it('fails closed on secrets in env: a Pulumi secret it cannot tell from plain text is reported', async () => {
    const env = 'DB_PASSWORD=correct-horse-battery-staple';
    const wrapped = container({ ...compliantContainer(), envs: [secret(env)] });
    expect(of(await verified.analyze(wrapped), 'no-secrets-in-env')).toEqual([]);
    const reported = of(await unverified.analyze(wrapped), 'no-secrets-in-env');
    expect(reported.map((v) => v.enforcementLevel)).toEqual(['mandatory']);
    expect(reported[0]!.message).not.toContain('correct-horse');
  });

  it('shows no value, map key or exemption reason that could have been a secret', async () => {
    const { messages, props } = await canaryMessages(unverified);
    expect(messages.length).toBeGreaterThan(40);
    expect(messages.filter((m) => m.includes(CANARY))).toEqual([]);
    expect(strings(props).some((s) => s.includes(CANARY))).toBe(true);
    // A plain exemption reason is hidden too: the pack cannot know it was not a secret.
    const reason = 'GPU driver needs it, approved by platform team';
    const labels = [
      ...(compliantContainer().labels as object[]),
      { label: exemptLabel('no-privileged'), value: reason },
    ];
    const [v] = of(
      await unverified.analyze(container({ ...compliantContainer(), privileged: true, labels })),
      'no-privileged',
    );
    expect(v!.enforcementLevel).toBe('advisory');
    expect(v!.message).not.toContain(reason);
  });

  it('never fails a value that is not known yet', async () => {
    const props = Object.fromEntries(Object.keys(compliantContainer()).map((k) => [k, unknown()]));
    const res = await unverified.analyze(
      container({ ...props, privileged: unknown(), ports: [{ ip: unknown() }] }),
    );
    expect(res.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
    expect(res.length).toBeGreaterThan(0);
  });

  it('remediates nothing (a fix could turn a secret into plain text)', async () => {
    await unverified.configure(Object.fromEntries([...FIXABLE].map((id) => [id, 'remediate' as const])));
    const { logOpts: _l, ...p } = compliantContainer();
    const res = await unverified.remediate(
      container({ ...p, capabilities: undefined, envs: [secret('A=b')] }),
    );
    expect(res.remediations).toEqual([]);
  });
});
