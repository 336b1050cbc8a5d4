import { exemptLabel, LABELS, PULUMI_TYPES } from '@bulkhead/core';
import * as pulumi from '@pulumi/pulumi';
import { checkResolvedImage } from '../src/container/compute.js';
import {
  ComponentArgsError,
  computeContainerArgs,
  HARDENED_CONTAINER_TYPE,
  HARDENED_NETWORK_TYPE,
  HardenedContainer,
  HardenedNetwork,
  LINK_ICC_REASON,
  SEGMENTED_STACK_TYPE,
  SegmentedStack,
} from '../src/index.js';
import { findingsFor, type RegisteredResource, runProgramUnderMocks } from '../src/testkit/mocks.js';

const SIG = pulumi.runtime.specialSigKey;
const image = (n: string) => `registry.example/${n}@sha256:${'b'.repeat(64)}`;
const healthcheck = { test: ['/app/healthz'] };

const only = (res: RegisteredResource[], type: string, name: string) => {
  const found = res.filter((r) => r.type === type && r.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const labelMap = (inputs: Record<string, unknown>) =>
  Object.fromEntries((inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]));
/** Removes Pulumi's secret wrapper. */
const unwrap = (v: unknown) =>
  typeof v === 'object' && v !== null && SIG in v ? (v as unknown as { value: unknown }).value : v;

describe('HardenedContainer under mocks', () => {
  it('creates one docker.Container, child of the component, whose inputs are the computed args', async () => {
    const args = { image: image('api'), healthcheck, env: { PORT: '8080', API_TOKEN: 'tok-123456789' } };
    let component: HardenedContainer | undefined;
    const res = await runProgramUnderMocks(() => {
      component = new HardenedContainer('api', args);
    });
    expect(res.map((r) => r.type)).toEqual([HARDENED_CONTAINER_TYPE, PULUMI_TYPES.container]);
    const container = only(res, PULUMI_TYPES.container, 'api');
    expect(container.parent).toBe(only(res, HARDENED_CONTAINER_TYPE, 'api').urn);
    const expected = computeContainerArgs('api', args).containerArgs;
    expect({ ...container.inputs, envs: unwrap(container.inputs.envs) }).toEqual(expected);
    expect(component!.containerArgs).toEqual(expected);
    // Ids and state as the mock gave them: the container gets an id, the component none.
    expect(container.id).toBe('api-id');
    expect(container.state).toMatchObject({ image: expected.image, name: 'api-mock' });
    expect(only(res, HARDENED_CONTAINER_TYPE, 'api').id).toBeUndefined();
  });

  it('a preview gives no ids, and outputs() adds computed state', async () => {
    const res = await runProgramUnderMocks(
      () => new HardenedContainer('api', { image: image('api'), healthcheck }),
      {
        preview: true,
        outputs: (r) => (r.custom ? { ipAddress: '10.0.0.7' } : undefined),
      },
    );
    const container = only(res, PULUMI_TYPES.container, 'api');
    expect(container.id).toBeUndefined();
    expect(container.state?.ipAddress).toBe('10.0.0.7');
  });

  it('sends the whole envs list as a secret when one value is secret-looking', async () => {
    const res = await runProgramUnderMocks(
      () =>
        new HardenedContainer('api', {
          image: image('api'),
          healthcheck,
          env: { DB_PASSWORD: 'hunter2hunter2' },
        }),
    );
    expect(only(res, PULUMI_TYPES.container, 'api').inputs.envs).toEqual({
      [SIG]: pulumi.runtime.specialSecretSig,
      value: ['DB_PASSWORD=hunter2hunter2'],
    });
  });

  it('leaves envs plain when nothing in it is secret', async () => {
    const res = await runProgramUnderMocks(
      () => new HardenedContainer('api', { image: image('api'), healthcheck, env: { PORT: '8080' } }),
    );
    expect(only(res, PULUMI_TYPES.container, 'api').inputs.envs).toEqual(['PORT=8080']);
  });

  it('has no failing, unknown or exempt finding for the defaults, as the policy pack will see it', async () => {
    let component: HardenedContainer | undefined;
    const res = await runProgramUnderMocks(() => {
      component = new HardenedContainer('api', { image: image('api'), healthcheck });
    });
    expect(findingsFor(res).findings).toEqual([]);
    expect(component!.findings).toEqual([]);
  });

  it('records an insecure exception as a label and core reports an exempt finding with its reason', async () => {
    const reason = 'binds port 80 inside the container for a legacy client';
    const res = await runProgramUnderMocks(
      () =>
        new HardenedContainer('legacy', {
          image: image('legacy'),
          healthcheck,
          capAdd: ['NET_RAW'],
          exceptions: [
            { rule: 'no-net-raw', reason, expires: '2099-01-31' },
            { rule: 'capability-allowlist', reason },
          ],
        }),
    );
    const container = only(res, PULUMI_TYPES.container, 'legacy');
    expect(labelMap(container.inputs)).toMatchObject({
      [exemptLabel('no-net-raw')]: reason,
      [`${LABELS.exemptExpiresPrefix}no-net-raw`]: '2099-01-31',
      [LABELS.component]: 'HardenedContainer',
    });
    const findings = findingsFor(res).findings;
    expect(findings.filter((f) => f.status !== 'exempt')).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.status, f.exemption]).sort()).toEqual([
      ['capability-allowlist', 'exempt', { reason, from: 'label' }],
      ['no-net-raw', 'exempt', { reason, from: 'label', expires: '2099-01-31' }],
    ]);
  });

  it('throws before registering anything when an argument is insecure', async () => {
    let error: unknown;
    const res = await runProgramUnderMocks(() => {
      try {
        new HardenedContainer('api', { image: image('api'), healthcheck, privileged: true });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect(res).toEqual([]);
  });

  it('passes an image output through once it resolves to a pinned image', async () => {
    const res = await runProgramUnderMocks(
      () => new HardenedContainer('api', { image: pulumi.output(image('api')), healthcheck }),
    );
    expect(only(res, PULUMI_TYPES.container, 'api').inputs.image).toBe(image('api'));
  });

  it('rejects an image output that resolves to a tag (the check run inside the output)', () => {
    // Inside a program the error surfaces as the failed registration of the container, through
    // Pulumi's unhandled-rejection path (which jest reports on its own), so it is tested directly.
    const computed = computeContainerArgs('api', { image: pulumi.output(image('api')), healthcheck });
    expect(computed.report.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['image-digest-pinned', 'unknown'],
    ]);
    expect(checkResolvedImage('api', computed, image('api'))).toEqual([]);
    expect(checkResolvedImage('api', computed, 'nginx:latest')).toMatchInlineSnapshot(`
[
  {
    "message": "refers to the image by tag, not by digest (rule image-digest-pinned); pin the image by digest, "name@sha256:<64 hex>" (for example RemoteImage.repoDigest), or add an exception { rule: "image-digest-pinned", reason: "…" }",
    "path": "args.image",
  },
]
`);
  });

  it('joins a HardenedNetwork by its name output', async () => {
    const res = await runProgramUnderMocks(() => {
      const net = new HardenedNetwork('backend', { networkName: 'backend-net' });
      new HardenedContainer('api', { image: image('api'), healthcheck, networks: [net] });
    });
    const container = only(res, PULUMI_TYPES.container, 'api');
    expect(container.inputs.networksAdvanced).toEqual([{ name: 'backend-net' }]);
    expect(container.inputs.networkMode).toBeUndefined();
  });
});

describe('HardenedNetwork under mocks', () => {
  it('creates an internal network with ICC off as a child of the component', async () => {
    const res = await runProgramUnderMocks(() => new HardenedNetwork('backend'));
    const network = only(res, PULUMI_TYPES.network, 'backend');
    expect(network.parent).toBe(only(res, HARDENED_NETWORK_TYPE, 'backend').urn);
    expect(network.inputs).toMatchObject({
      internal: true,
      driver: 'bridge',
      options: { 'com.docker.network.bridge.enable_icc': 'false' },
    });
    expect(findingsFor(res).findings).toEqual([]);
  });
});

describe('SegmentedStack under mocks', () => {
  const args = {
    services: {
      proxy: { image: image('proxy'), healthcheck },
      api: { image: image('api'), healthcheck, env: { DB_PASSWORD: 'hunter2hunter2' } },
      db: { image: image('db'), healthcheck, volumes: [{ source: 'db-data', target: '/var/lib/db' }] },
      worker: { image: image('worker'), healthcheck },
    },
    links: ['proxy->api:8080', 'api->db:5432', 'worker->db:5432'],
    ingress: { proxy: [{ internal: 8080, external: 8443 }] },
    egress: { worker: { reason: 'sends mail through the SMTP relay' } },
  };

  let res: RegisteredResource[];
  let stack: SegmentedStack;
  beforeAll(async () => {
    res = await runProgramUnderMocks(() => {
      stack = new SegmentedStack('shop', args);
    });
  });

  const containerOf = (svc: string) => only(res, PULUMI_TYPES.container, `shop-${svc}`).inputs;
  const networksOf = (svc: string) =>
    ((containerOf(svc).networksAdvanced ?? []) as { name: string }[]).map((n) => n.name).sort();

  it('creates one network per link and attaches exactly its two ends', () => {
    expect(networksOf('proxy')).toEqual(['shop-proxy-api', 'shop-proxy-ingress']);
    expect(networksOf('api')).toEqual(['shop-api-db', 'shop-proxy-api']);
    expect(networksOf('db')).toEqual(['shop-api-db', 'shop-worker-db']);
    expect(networksOf('worker')).toEqual(['shop-worker-db', 'shop-worker-egress']);
    expect(Object.keys(stack.networks).sort()).toEqual([
      'api->db',
      'proxy->api',
      'proxy/ingress',
      'worker->db',
      'worker/egress',
    ]);
  });

  it('gives link networks ICC with the per-link reason, internal, and the link label', () => {
    const link = only(res, PULUMI_TYPES.network, 'shop-api-db').inputs;
    expect(link).toMatchObject({
      name: 'shop-api-db',
      internal: true,
      options: { 'com.docker.network.bridge.enable_icc': 'true' },
    });
    expect(labelMap(link)).toMatchObject({
      [LABELS.link]: 'api->db:5432',
      [exemptLabel('network-icc-disabled')]: LINK_ICC_REASON,
    });
  });

  it('opens egress only for the service given a reason', () => {
    const egress = only(res, PULUMI_TYPES.network, 'shop-worker-egress').inputs;
    expect(egress.internal).toBe(false);
    expect(labelMap(egress)[LABELS.egressReason]).toBe('sends mail through the SMTP relay');
    const open = res
      .filter((r) => r.type === PULUMI_TYPES.network && r.inputs.internal === false)
      .map((r) => r.name);
    expect(open.sort()).toEqual(['shop-proxy-ingress', 'shop-worker-egress']);
  });

  it('publishes ports only for the ingress service, on 127.0.0.1, and labels roles and links', () => {
    expect(containerOf('proxy').ports).toEqual([
      { internal: 8080, external: 8443, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    for (const svc of ['api', 'db', 'worker']) expect(containerOf(svc).ports).toBeUndefined();
    expect(labelMap(containerOf('proxy'))).toMatchObject({
      [LABELS.role]: 'ingress',
      [LABELS.links]: 'api:8080',
    });
    expect(labelMap(containerOf('api'))[LABELS.links]).toBe('db:5432');
    expect(labelMap(containerOf('api'))[LABELS.role]).toBeUndefined();
    expect(labelMap(containerOf('db'))[LABELS.links]).toBeUndefined();
  });

  it('gives every service its own uid', () => {
    const uids = ['proxy', 'api', 'db', 'worker'].map((s) => containerOf(s).user);
    expect(new Set(uids).size).toBe(4);
  });

  it('parents every container and network to the stack component', () => {
    const stackUrn = only(res, SEGMENTED_STACK_TYPE, 'shop').urn;
    for (const r of res.filter(
      (x) => x.type === HARDENED_CONTAINER_TYPE || x.type === HARDENED_NETWORK_TYPE,
    )) {
      expect(r.parent).toBe(stackUrn);
    }
  });

  it('has only exempt findings, each with its reason, for the stack as built and as registered', () => {
    const registered = findingsFor(res).findings;
    for (const findings of [registered, stack.findings]) {
      expect(findings.filter((f) => f.status !== 'exempt')).toEqual([]);
      expect(findings.map((f) => `${f.ruleId} ${f.resource.name}`).sort()).toEqual([
        'backend-on-internal-network shop-worker',
        'network-icc-disabled shop-api-db',
        'network-icc-disabled shop-proxy-api',
        'network-icc-disabled shop-worker-db',
        'network-internal shop-proxy-ingress',
        'network-internal shop-worker-egress',
      ]);
      const worker = findings.find((f) => f.ruleId === 'backend-on-internal-network')!;
      expect(worker.exemption?.reason).toBe('sends mail through the SMTP relay');
    }
  });

  it('rejects bad links, unknown services and wiring declared on a service, before creating anything', async () => {
    let message = '';
    const created = await runProgramUnderMocks(() => {
      try {
        new SegmentedStack('bad', {
          services: {
            api: { image: image('api'), healthcheck, ports: [{ internal: 80 }] } as never,
            db: { image: 'postgres:16', healthcheck },
          },
          links: ['api=>db', 'api->cache:6379'],
          ingress: { web: [{ internal: 80 }] },
        });
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(created).toEqual([]);
    expect(message).toMatchInlineSnapshot(`
"SegmentedStack "bad" has 4 problems:
  args.services.api.ports: declare published ports in args.ingress
  args.links[0]: must be "from->to" or "from->to:port", such as "api->db:5432"
  args.links[1]: to names unknown service "cache"; services are api, db
  args.ingress.web: names unknown service "web"; services are api, db"
`);
  });

  it('reports service argument problems under the service path', () => {
    expect(
      () =>
        new SegmentedStack('bad', {
          services: { api: { image: 'postgres:16', healthcheck }, db: { image: image('db') } },
          ingress: { api: [{ internal: 80, ip: '0.0.0.0' }] },
        }),
    ).toThrowErrorMatchingInlineSnapshot(`
"SegmentedStack "bad" has 3 problems:
  args.services.api.image: refers to the image by tag, not by digest (rule image-digest-pinned); pin the image by digest, "name@sha256:<64 hex>" (for example RemoteImage.repoDigest), or add an exception { rule: "image-digest-pinned", reason: "…" }
  args.ingress.api[0].ip: publishes a port on all host interfaces (no host IP) (rule ports-bound-to-interface); bind the port to 127.0.0.1 or one specific interface, or add an exception { rule: "ports-bound-to-interface", reason: "…" }
  args.services.db.healthcheck.test: declares no health check here (an image HEALTHCHECK, if any, is not visible) (rule healthcheck); pass healthcheck: { test: ["CMD", "/app/healthz"] } (a command the image can run), or add an exception { rule: "healthcheck", reason: "…" }"
`);
  });
});
