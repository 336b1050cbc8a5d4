/**
 * The pack under the real analyzer protocol: started by `run-policy-pack` as the Pulumi engine
 * starts it, driven over gRPC by @bulkhead/policy-harness.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { catalog, exemptLabel, LABELS, type Rule } from '@bulkhead/core';
import {
  compliantContainer as kitCompliantContainer,
  compliantNetwork as kitCompliantNetwork,
  stackExampleSet,
  type Written,
  withOverrides,
  writePulumi,
  writePulumiNetwork,
} from '@bulkhead/core/testing';
import {
  isSecretValue,
  type PolicyPackHandle,
  type ResourceInput,
  secret,
  startPolicyPack,
  unknown,
  type Violation,
} from '@bulkhead/policy-harness';
import { CANARY, canaryMessages } from './canary.js';
import {
  CONTAINER,
  compliantContainer,
  compliantNetwork,
  compliantStack,
  container,
  MUTATIONS,
  NETWORK,
  SECCOMP,
  SERVICE,
} from './fixtures.js';
import { assertBuilt, FIXABLE, PACK_DIR, strings } from './support.js';

jest.setTimeout(120_000);

const SETTINGS = 'bulkhead-settings';
const blocking = (vs: readonly Violation[]) => vs.filter((v) => v.enforcementLevel === 'mandatory');
const of = (vs: readonly Violation[], rule: string) => vs.filter((v) => v.policyName === rule);
const expectedLevel = (r: Rule) =>
  r.severity === 'critical' || r.severity === 'high' ? 'mandatory' : 'advisory';

let pack: PolicyPackHandle;

beforeAll(async () => {
  assertBuilt(catalog.rules.map((r) => r.id));
  pack = await startPolicyPack(PACK_DIR);
});
afterAll(async () => {
  await pack?.close();
});
afterEach(async () => {
  await pack.configure(undefined);
});

describe('policies generated from the catalog', () => {
  it('serves one policy per catalog rule plus the settings policy, with metadata taken from the rule', async () => {
    const info = await pack.info();
    expect(info.name).toBe('bulkhead-docker-hardening');
    expect(info.policies.map((p) => p.name).sort()).toEqual(
      [...catalog.rules.map((r) => r.id), SETTINGS].sort(),
    );
    for (const rule of catalog.rules) {
      const p = info.policies.find((x) => x.name === rule.id)!;
      expect(p).toMatchObject({
        description: rule.title,
        remediationSteps: rule.remediation.pulumi,
        url: rule.references.docs,
        enforcementLevel: expectedLevel(rule),
        type: rule.scope === 'stack' ? 'stack' : 'resource',
        severity: rule.severity === 'info' ? 'low' : rule.severity,
      });
      if (rule.references.cis) {
        expect(p.framework).toMatchObject({ name: 'CIS Docker Benchmark', reference: rule.references.cis });
      } else expect(p.framework).toBeUndefined();
    }
  });

  it('documents the settings in the settings policy config schema', async () => {
    const settings = (await pack.info()).policies.find((p) => p.name === SETTINGS)!;
    expect(Object.keys(settings.configSchema!.properties).sort()).toEqual([
      'exemptions',
      'maxExpiryDays',
      'profile',
    ]);
    expect(settings.enforcementLevel).toBe('mandatory');
  });
});

describe('compliant resources', () => {
  it('a container with the HardenedContainer secure defaults has no violations', async () => {
    const res = await pack.analyzeDetailed(container(compliantContainer()));
    expect(res.violations).toEqual([]);
  });

  it('a hardened network has no violations', async () => {
    expect(await pack.analyze({ type: NETWORK, name: 'backend', properties: compliantNetwork() })).toEqual(
      [],
    );
  });

  it('a segmented stack passes every resource and stack policy (its one exemption is a note)', async () => {
    const res = await pack.preview(compliantStack());
    expect(res.violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ['network-internal', 'advisory'],
    ]);
    expect(res.violations[0]!.message).toContain('exempt (label dev.bulkhead.exempt.network-internal)');
  });

  it('ignores resources that are not docker containers, services or networks', async () => {
    const res = await pack.analyzeDetailed({
      type: 'aws:s3/bucket:Bucket',
      name: 'b',
      properties: { privileged: true },
    });
    expect(res.violations).toEqual([]);
  });
});

describe('every rule fails through the protocol with its default enforcement', () => {
  it('has an insecure mutation for every catalog rule', () => {
    const missing = catalog.rules.map((r) => r.id).filter((id) => !MUTATIONS[id]);
    expect(missing).toEqual([]);
  });

  it.each(catalog.rules.map((r) => [r.id, r] as const))('%s', async (id, rule) => {
    const m = MUTATIONS[id];
    if (!m) throw new Error(`no mutation for ${id}: add one to test/fixtures.ts`);
    let violations: Violation[];
    if (m.kind === 'stack') violations = await pack.analyzeStack(m.resources());
    else if (m.kind === 'network')
      violations = await pack.analyze({ type: NETWORK, name: 'n', properties: m.mutate(compliantNetwork()) });
    else violations = await pack.analyze(container(m.mutate(compliantContainer())));
    const mine = of(violations, id);
    if (m.kind === 'not-expressible') {
      expect(mine).toEqual([]);
      return;
    }
    expect(mine.length).toBeGreaterThan(0);
    for (const v of mine) {
      expect(v.enforcementLevel).toBe(expectedLevel(rule));
      expect(v.message).toContain(rule.title);
      expect(v.message).toContain(rule.remediation.pulumi);
      expect(v.message).toMatch(/\(at `[^`]+`/);
    }
    if (m.kind === 'stack') expect(mine.every((v) => v.urn?.startsWith('urn:pulumi:'))).toBe(true);
  });
});

describe("every rule fires on its own insecure example (the rule's metadata, as Pulumi inputs)", () => {
  // The example core's tests and the rule docs use, written as `ContainerArgs` by the core test kit.
  const compliant = kitCompliantContainer();
  const cannotWrite = (touched: readonly string[], ...written: Written[]) =>
    touched.filter((f) => written.some((w) => f in w.unrepresentable));
  const notExpressible: string[] = [];

  it.each(catalog.rules.map((r) => [r.id, r] as const))('%s', async (id, rule) => {
    let violations: Violation[];
    if (rule.scope === 'stack') {
      const set = stackExampleSet(rule.example!);
      violations = await pack.analyzeStack([
        ...set.networks.map((n) => ({
          type: NETWORK,
          name: n.source.name,
          properties: writePulumiNetwork(n).input as Record<string, unknown>,
        })),
        ...set.containers.map((c) =>
          container(writePulumi(c).input as Record<string, unknown>, c.source.name),
        ),
      ]);
    } else if (rule.scope === 'network') {
      const spec = withOverrides(kitCompliantNetwork(), rule.example!.insecure);
      const props = writePulumiNetwork(spec).input as Record<string, unknown>;
      violations = await pack.analyze({ type: NETWORK, name: 'n', properties: props });
    } else {
      const spec = withOverrides(compliant, rule.example!.insecure);
      const written = writePulumi(spec);
      const blocked = cannotWrite(Object.keys(rule.example!.insecure), written, writePulumi(compliant));
      violations = await pack.analyze(container(written.input as Record<string, unknown>));
      if (blocked.length > 0) {
        // The example needs a field `docker.Container` has no input for: the pack must stay silent.
        notExpressible.push(id);
        expect(of(violations, id)).toEqual([]);
        return;
      }
    }
    const mine = of(violations, id);
    expect(mine.length).toBeGreaterThan(0);
    for (const v of mine) expect(v.message).toContain(rule.title);
  });

  it('declares which examples Pulumi cannot write (the same gaps the docs name)', () =>
    expect(notExpressible.sort()).toEqual(['no-host-uts', 'pids-limit', 'seccomp-within-learned-profile']));
});

describe('enforcement from config', () => {
  it('overrides one policy’s level, and "all" sets every level', async () => {
    const insecure = container({ ...compliantContainer(), privileged: true });
    await pack.configure({ 'no-privileged': 'advisory' });
    expect(of(await pack.analyze(insecure), 'no-privileged')[0]!.enforcementLevel).toBe('advisory');
    await pack.configure({ all: 'mandatory' });
    const all = await pack.analyze(container({ ...compliantContainer(), healthcheck: undefined }));
    expect(of(all, 'healthcheck')[0]!.enforcementLevel).toBe('mandatory');
    await pack.configure({ all: 'disabled' });
    expect(await pack.analyze(insecure)).toEqual([]);
  });
});

describe('settings: profile and exemptions', () => {
  const insecure = () =>
    container({ ...compliantContainer(), privileged: true, capabilities: { drops: ['MKNOD'] } }, 'web-1');

  it('profile baseline runs the baseline rules only; restricted runs all', async () => {
    const restricted = await pack.analyze(insecure());
    expect(of(restricted, 'drop-all-capabilities')).toHaveLength(1);
    await pack.configure({ [SETTINGS]: { profile: 'baseline' } });
    const res = await pack.analyzeDetailed(insecure());
    expect(of(res.violations, 'drop-all-capabilities')).toEqual([]);
    expect(of(res.violations, 'no-privileged')).toHaveLength(1);
    expect(res.notApplicable).toContainEqual({
      policyName: 'drop-all-capabilities',
      reason: 'rule is in the restricted profile; bulkhead-settings selects baseline',
    });
  });

  it('a config exemption turns the finding into an advisory note with its reason', async () => {
    const reason = 'Runs the legacy VPN client; tracked in SEC-42';
    await pack.configure({
      [SETTINGS]: {
        exemptions: [{ rule: 'no-privileged', resource: 'web-*', reason, expires: '2999-01-01' }],
      },
    });
    const [v, ...rest] = of(await pack.analyze(insecure()), 'no-privileged');
    expect(rest).toEqual([]);
    expect(v!.enforcementLevel).toBe('advisory');
    expect(v!.message).toContain(`exempt (${SETTINGS} exemptions, expires 2999-01-01): ${reason}`);
    // Other resources are not covered by the glob.
    const other = of(await pack.analyze({ ...insecure(), name: 'db' }), 'no-privileged');
    expect(other[0]!.enforcementLevel).toBe('mandatory');
  });

  it('a dev.bulkhead.exempt.<rule> label (written by HardenedContainer) exempts with its reason', async () => {
    const props = insecure().properties!;
    const reason = 'GPU driver needs it, approved by platform team';
    const labelled = container({
      ...props,
      labels: [...(props.labels as object[]), { label: exemptLabel('no-privileged'), value: reason }],
    });
    const [v] = of(await pack.analyze(labelled), 'no-privileged');
    expect(v!.enforcementLevel).toBe('advisory');
    expect(v!.message).toContain(`exempt (label ${exemptLabel('no-privileged')}): ${reason}`);
  });

  it('accepts the example config shipped with the README', async () => {
    const config = JSON.parse(readFileSync(path.join(PACK_DIR, 'examples', 'config.json'), 'utf8'));
    await pack.configure(config);
    const vpn = container({ ...compliantContainer(), privileged: true }, 'vpn-client');
    const res = await pack.analyze(vpn);
    expect(of(res, SETTINGS)).toEqual([]);
    expect(of(res, 'no-privileged')[0]!.message).toContain(
      'exempt (bulkhead-settings exemptions, expires 2027-06-30)',
    );
  });

  it('invalid settings are one mandatory violation naming each bad field', async () => {
    await pack.configure({
      [SETTINGS]: { exemptions: [{ rule: 'no-such-rule', reason: 'short' }, { rule: 'no-privileged' }] },
    });
    const [v, ...rest] = of(await pack.analyze(container(compliantContainer())), SETTINGS);
    expect(rest).toEqual([]);
    expect(v!.enforcementLevel).toBe('mandatory');
    expect(v!.message).toMatchSnapshot();
  });

  it('flags placeholder reasons (TODO) and expiries beyond maxExpiryDays as invalid settings', async () => {
    await pack.configure({
      [SETTINGS]: {
        maxExpiryDays: 30,
        exemptions: [
          { rule: 'no-privileged', resource: 'vpn', reason: 'TODO: write the reason', expires: '2020-01-01' },
          {
            rule: 'no-privileged',
            resource: 'vpn',
            reason: 'the VPN client needs the tun device',
            expires: '2999-01-01',
          },
          { rule: 'no-privileged', resource: 'vpn', reason: 'the VPN client needs the tun device' },
        ],
      },
    });
    const [v] = of(await pack.analyze(container(compliantContainer())), SETTINGS);
    expect(v!.enforcementLevel).toBe('mandatory');
    expect(v!.message).toMatch(/exemptions\[0\]\.reason: reason is a placeholder/);
    expect(v!.message).toMatch(/exemptions\[1\]\.expires: expires is more than 30 days away/);
    expect(v!.message).toMatch(/exemptions\[2\]\.expires: expires is required/);
  });

  it('flags an exemption label with a placeholder reason and does not honour it', async () => {
    const props = compliantContainer();
    const properties = {
      ...props,
      privileged: true,
      labels: [...(props.labels as object[]), { label: exemptLabel('no-privileged'), value: 'TODO fill in' }],
    };
    const res = await pack.analyzeStack([{ type: CONTAINER, name: 'vpn', properties }]);
    expect(of(res, 'exemption-labels-valid')[0]!.message).toMatch(/placeholder/);
    const [privileged] = of(await pack.analyze(container(properties, 'vpn')), 'no-privileged');
    expect(privileged!.enforcementLevel).toBe('mandatory');
    expect(privileged!.message).not.toMatch(/exempt \(label/);
  });

  it('reports expired and unused exemptions once, at the end of the stack analysis', async () => {
    await pack.configure({
      [SETTINGS]: {
        exemptions: [
          {
            rule: 'no-privileged',
            resource: 'web',
            reason: 'was needed for the migration',
            expires: '2001-01-01',
          },
          { rule: 'no-host-pid', resource: 'nothing-*', reason: 'nothing matches this glob' },
        ],
      },
    });
    const notes = of(await pack.analyzeStack(compliantStack()), SETTINGS);
    expect(notes.map((v) => [v.enforcementLevel, v.message])).toEqual([
      ['advisory', `${SETTINGS}.exemptions[0] expired on 2001-01-01`],
      ['advisory', `${SETTINGS}.exemptions[1] (rule no-host-pid) matched no finding`],
    ]);
  });
});

describe('remediate enforcement', () => {
  const REMEDIATE = Object.fromEntries([...FIXABLE].map((id) => [id, 'remediate' as const]));
  const fixable = () => {
    const { logOpts: _l, ...p } = compliantContainer();
    return container(
      {
        ...p,
        capabilities: undefined,
        securityOpts: [`seccomp=${SECCOMP}`],
        ports: [{ internal: 8080, external: 8080 }],
        labels: [{ label: LABELS.role, value: 'ingress' }],
        envs: [secret('API_TOKEN_FILE=/run/secrets/token')],
      },
      'fixable',
    );
  };

  it('fixes what it can without changing behaviour, and the fixed inputs then pass', async () => {
    await pack.configure(REMEDIATE);
    const res = await pack.remediate(fixable());
    expect(res.remediations.map((r) => r.policyName).sort()).toEqual([...FIXABLE].sort());
    expect(res.properties).toMatchObject({
      securityOpts: [`seccomp=${SECCOMP}`, 'no-new-privileges:true'],
      capabilities: { drops: ['ALL'] },
      ports: [{ internal: 8080, external: 8080, ip: '127.0.0.1' }],
      logOpts: { 'max-size': '10m', 'max-file': '3' },
    });
    expect(isSecretValue((res.properties.envs as unknown[])[0])).toBe(true);
    const after = await pack.analyze({ ...fixable(), properties: res.properties });
    expect(after.filter((v) => FIXABLE.has(v.policyName))).toEqual([]);
  });

  it('runs fixes the way the engine does in a preview: remediate, then analyze the result', async () => {
    await pack.configure(REMEDIATE);
    const res = await pack.preview([fixable()]);
    expect(res.violations.filter((v) => FIXABLE.has(v.policyName))).toEqual([]);
  });

  it('leaves explicit choices alone: added capabilities, no-new-privileges:false, a given ip', async () => {
    await pack.configure(REMEDIATE);
    const res = await pack.remediate(
      container({
        ...compliantContainer(),
        capabilities: { adds: ['NET_BIND_SERVICE'] },
        securityOpts: ['no-new-privileges:false'],
        ports: [{ internal: 80, external: 8080, ip: '0.0.0.0' }],
        labels: [{ label: LABELS.role, value: 'ingress' }],
      }),
    );
    expect(res.remediations).toEqual([]);
  });

  it('does not remediate an exempt finding or a value that is not known yet', async () => {
    await pack.configure({
      ...REMEDIATE,
      [SETTINGS]: {
        exemptions: [{ rule: 'no-new-privileges', resource: 'fixable', reason: 'legacy setuid helper' }],
      },
    });
    const res = await pack.remediate({
      ...fixable(),
      properties: { ...fixable().properties, ports: unknown() },
    });
    const fixed = res.remediations.map((r) => r.policyName);
    expect(fixed).not.toContain('no-new-privileges');
    expect(fixed).not.toContain('ports-bound-to-interface');
    expect(fixed).toContain('drop-all-capabilities');
  });

  it('is mandatory, not remediated, for rules without a fix', async () => {
    await pack.configure({ 'no-privileged': 'remediate' });
    const insecure = container({ ...compliantContainer(), privileged: true });
    expect((await pack.remediate(insecure)).remediations).toEqual([]);
    expect(of(await pack.analyze(insecure), 'no-privileged')[0]!.enforcementLevel).toBe('mandatory');
  });
});

describe('unknown values (preview)', () => {
  it('never fail a policy: an all-unknown container gives advisory notes only', async () => {
    const props = Object.fromEntries(Object.keys(compliantContainer()).map((k) => [k, unknown()]));
    const res = await pack.analyze(container({ ...props, privileged: unknown(), ports: unknown() }));
    expect(blocking(res)).toEqual([]);
    expect(res.length).toBeGreaterThan(0);
    for (const v of res) expect(v.message).toContain('not decided during preview');
  });

  it('never fail a policy when nested inside lists and objects', async () => {
    const props = {
      ...compliantContainer(),
      capabilities: { drops: [unknown()], adds: [unknown()] },
      securityOpts: [unknown(), unknown()],
      user: unknown(),
      ports: [{ internal: 8080, external: unknown(), ip: unknown() }],
      networksAdvanced: [{ name: unknown() }],
      tmpfs: { '/tmp': unknown() },
      image: unknown(),
    };
    expect(blocking(await pack.analyze(container(props)))).toEqual([]);
  });

  it('never fail a stack policy or a network policy', async () => {
    const stack = compliantStack().map((r) => ({
      ...r,
      properties: {
        ...r.properties,
        networksAdvanced: [{ name: unknown() }],
        internal: unknown(),
        labels: unknown(),
      },
    }));
    expect(blocking(await pack.analyzeStack(stack))).toEqual([]);
    expect(
      blocking(
        await pack.analyze({
          type: NETWORK,
          name: 'n',
          properties: { internal: unknown(), options: unknown() },
        }),
      ),
    ).toEqual([]);
  });

  it('still fail what is known next to what is not', async () => {
    const v = await pack.analyze(container({ ...compliantContainer(), image: unknown(), privileged: true }));
    expect(blocking(v).map((x) => x.policyName)).toEqual(['no-privileged']);
  });
});

describe('swarm services', () => {
  it('report plainly what a service cannot express', async () => {
    const service: ResourceInput = {
      type: SERVICE,
      name: 'svc',
      properties: {
        taskSpec: {
          containerSpec: {
            image: 'registry.example/app@sha256:' + 'b'.repeat(64),
            user: '10001:10001',
            capDrops: ['ALL'],
            readOnly: true,
          },
          networksAdvanceds: [{ name: 'backend' }],
        },
      },
    };
    const v = of(await pack.analyze(service), 'no-new-privileges');
    expect(v[0]!.message).toContain('a swarm service cannot set security options');
    expect(v[0]!.enforcementLevel).toBe('mandatory');
  });
});

describe('secrets', () => {
  it('rules see which values were secret, though the SDK unwraps them for policy code', async () => {
    const env = 'DB_PASSWORD=correct-horse-battery-staple';
    const plain = of(
      await pack.analyze(container({ ...compliantContainer(), envs: [env] })),
      'no-secrets-in-env',
    );
    expect(plain.map((v) => v.enforcementLevel)).toEqual(['mandatory']);
    const wrapped = await pack.analyze(container({ ...compliantContainer(), envs: [secret(env)] }));
    expect(of(wrapped, 'no-secrets-in-env')).toEqual([]);
    const wholeList = await pack.analyze(container({ ...compliantContainer(), envs: secret([env, 'A=b']) }));
    expect(of(wholeList, 'no-secrets-in-env')).toEqual([]);
  });

  it('no canary value reaches any violation message, for resources, stacks and remediations', async () => {
    const { messages, props } = await canaryMessages(pack);
    expect(messages.some((m) => m.includes('exempt (label'))).toBe(true);
    expect(messages.length).toBeGreaterThan(40);
    expect(messages.filter((m) => m.includes(CANARY))).toEqual([]);
    // The canaries did arrive: the same resources yield findings on exactly those fields.
    expect(strings(props).some((s) => s.includes(CANARY))).toBe(true);
  });
});

describe('Pulumi semantics the stack view settles (issue 16)', () => {
  const STACK = 'urn:pulumi:stack::project';
  const REMOTE = `${STACK}::docker:index/remoteImage:RemoteImage::app-image`;
  const ctrUrn = (name: string) => `${STACK}::docker:index/container:Container::${name}`;
  const remote: ResourceInput = {
    type: 'docker:index/remoteImage:RemoteImage',
    name: 'app-image',
    urn: REMOTE,
    properties: { name: 'registry.example/app:1.2' },
  };
  const web = (imageFrom: string[]): ResourceInput => ({
    ...container({ ...compliantContainer(), image: unknown() }),
    urn: ctrUrn('web'),
    propertyDependencies: { image: imageFrom },
    dependencies: imageFrom,
  });

  it('image-digest-pinned: an unknown image is not reported by Analyze; AnalyzeStack passes it when it is RemoteImage.repoDigest', async () => {
    expect(of(await pack.analyze(web([REMOTE])), 'image-digest-pinned')).toEqual([]);
    expect(
      of(await pack.analyzeStack([compliantStack()[0]!, remote, web([REMOTE])]), 'image-digest-pinned'),
    ).toEqual([]);
  });
  it('image-digest-pinned: AnalyzeStack notes an unknown image that came from something else, as advisory', async () => {
    const net = compliantStack()[0]!;
    const netUrn = `${STACK}::${NETWORK}::${net.name}`;
    const notes = of(
      await pack.analyzeStack([{ ...net, urn: netUrn }, web([netUrn])]),
      'image-digest-pinned',
    );
    expect(notes.map((v) => [v.enforcementLevel, v.urn])).toEqual([['advisory', ctrUrn('web')]]);
  });
  it('image-digest-pinned: a known tag still fails in Analyze', async () => {
    const vs = of(
      await pack.analyze(container({ ...compliantContainer(), image: 'app:latest' })),
      'image-digest-pinned',
    );
    expect(vs).toHaveLength(1);
  });

  const onShared = (name: string, extra: Partial<ResourceInput> = {}): ResourceInput => ({
    ...container({ ...compliantContainer(), networksAdvanced: [{ name: 'backend' }] }, name),
    urn: ctrUrn(name),
    ...extra,
  });
  it('shared-network-needs-link: dependsOn between two containers is a declared link', async () => {
    const net = compliantStack().find((r) => r.type === NETWORK)!;
    const linked = [net, onShared('db'), onShared('api', { dependencies: [ctrUrn('db')] })];
    expect(of(await pack.analyzeStack(linked), 'shared-network-needs-link')).toEqual([]);
    const unlinked = [net, onShared('db'), onShared('api')];
    const vs = of(await pack.analyzeStack(unlinked), 'shared-network-needs-link');
    // One violation per container, each naming its peer.
    expect(vs.map((v) => v.urn).sort()).toEqual([ctrUrn('api'), ctrUrn('db')]);
  });

  it('no-sensitive-mounts: the violation carries the severity of the mounted location', async () => {
    const mounting = (source: string) =>
      container({
        ...compliantContainer(),
        mounts: [{ type: 'bind', source, target: '/data', readOnly: true }],
      });
    const nginx = of(await pack.analyze(mounting('/etc/nginx')), 'no-sensitive-mounts');
    expect(nginx.map((v) => v.severity)).toEqual(['medium']);
    const shadow = of(await pack.analyze(mounting('/etc/shadow')), 'no-sensitive-mounts');
    expect(shadow.map((v) => v.severity)).toEqual(['critical']);
    expect(of(await pack.analyze(mounting('/etc/localtime')), 'no-sensitive-mounts')).toEqual([]);
  });
});
