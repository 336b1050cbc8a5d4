/**
 * The secret-canary scenario, shared by the pack's suites: resources with a canary in every value
 * the adapters read (half of them Pulumi secrets), through Analyze, AnalyzeStack and Remediate.
 */
import { exemptLabel, LABELS } from '@bulkhead/core';
import { type PolicyPackHandle, type ResourceInput, secret } from '@bulkhead/policy-harness';
import {
  CONTAINER,
  compliantContainer,
  compliantNetwork,
  container,
  MUTATIONS,
  NETWORK,
} from './fixtures.js';
import { FIXABLE } from './support.js';

/** A value that must never appear in a message. */
export const CANARY = 's3cr3t-canary';
/** Puts a canary value into every string input the adapters read, half of them as secrets. */
function canaried(): Record<string, unknown> {
  let n = 0;
  const k = (wrap: boolean) => {
    const v = `${CANARY}-${n++}`;
    return wrap ? secret(v) : v;
  };
  return {
    image: k(true),
    user: k(true),
    groupAdds: [k(false), k(true)],
    capabilities: { adds: [k(true)], drops: [k(false)] },
    securityOpts: [k(true), `seccomp=${CANARY}-json`, `apparmor=${CANARY}-profile`, `label=type:${CANARY}`],
    tmpfs: { '/tmp': k(true) },
    mounts: [{ type: 'bind', source: `/${CANARY}/dir`, target: k(false), readOnly: false }],
    volumes: [{ hostPath: `/var/${CANARY}`, containerPath: k(true) }],
    networkMode: k(true),
    networksAdvanced: [{ name: k(true), aliases: [k(false)] }],
    pidMode: k(false),
    ipcMode: k(true),
    usernsMode: k(false),
    cgroupnsMode: k(true),
    cgroupParent: k(true),
    cpus: k(false),
    devices: [{ hostPath: `/dev/${CANARY}`, containerPath: k(false) }],
    gpus: k(true),
    ports: [{ internal: 8080, external: 80, ip: k(true) }],
    restart: k(true),
    sysctls: { 'kernel.shmmax': k(true) },
    ulimits: [{ name: k(false), soft: 1, hard: 1 }],
    envs: [secret(`DB_PASSWORD=${CANARY}-env`), `API_TOKEN=${CANARY}-plain`, k(true)],
    logDriver: k(false),
    logOpts: { 'max-size': k(true) },
    runtime: k(true),
    hostname: k(false),
    command: [k(true)],
    labels: [
      { label: LABELS.links, value: k(true) },
      { label: LABELS.role, value: k(false) },
    ],
    workingDir: k(true),
  };
}

/** Every message and remediation text the pack gives for the canaried resources; `props` is one of them. */
export async function canaryMessages(
  pack: PolicyPackHandle,
): Promise<{ messages: string[]; props: Record<string, unknown> }> {
  await pack.configure({ all: 'mandatory' });
  const messages: string[] = [];
  const props = canaried();
  for (const v of await pack.analyze(container(props))) messages.push(v.message);
  for (const v of await pack.analyze({
    type: NETWORK,
    name: 'n',
    properties: { name: secret(`${CANARY}-net`), driver: `${CANARY}`, options: { x: secret(CANARY) } },
  })) {
    messages.push(v.message);
  }
  const stack: ResourceInput[] = [container(props, 'a'), container(canaried(), 'b')];
  for (const v of await pack.analyzeStack(stack)) messages.push(v.message);
  for (const m of Object.values(MUTATIONS)) {
    if (m.kind === 'stack') continue;
    const base = m.kind === 'network' ? compliantNetwork() : compliantContainer();
    const mutated = { ...m.mutate(base), envs: [secret(`SESSION_SECRET=${CANARY}-m`)] };
    const type = m.kind === 'network' ? NETWORK : CONTAINER;
    for (const v of await pack.analyze({ type, name: 'm', properties: mutated })) messages.push(v.message);
  }
  await pack.configure({
    ...Object.fromEntries([...FIXABLE].map((id) => [id, 'remediate' as const])),
  });
  const rem = await pack.remediate(container(props));
  for (const r of rem.remediations) messages.push(r.description, r.diagnostic ?? '');
  // Secret-wrapped maps hide their keys; a secret exemption reason (valid or a placeholder) is never shown.
  await pack.configure({ all: 'mandatory' });
  const wrapped = {
    ...compliantContainer(),
    privileged: true,
    sysctls: secret({ [`kernel.${CANARY}`]: '1' }),
    tmpfs: secret({ [`/run/${CANARY}`]: 'rw' }),
    labels: [
      ...(compliantContainer().labels as object[]),
      { label: exemptLabel('no-privileged'), value: secret(`the VPN needs it, ${CANARY}`) },
      { label: exemptLabel('no-new-privileges'), value: secret(`TODO ${CANARY}`) },
    ],
  };
  for (const v of await pack.analyze(container(wrapped, 'w'))) messages.push(v.message);
  for (const v of await pack.analyzeStack([container(wrapped, 'w')])) messages.push(v.message);
  const secretKeyed = secret([{ label: `dev.bulkhead.exempt.${CANARY}`, value: 'long enough reason here' }]);
  for (const v of await pack.analyzeStack([container({ ...compliantContainer(), labels: secretKeyed }, 'k')]))
    messages.push(v.message);
  return { messages, props };
}
