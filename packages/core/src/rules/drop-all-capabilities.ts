import { SECURE } from '../model/secure-values.js';
import { capDrops } from './support/capabilities.js';
import { editableObject, knownList } from './support/input-fixes.js';
import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.4, PSS restricted: start from no capabilities and add back only what is needed. */
export const dropAllCapabilities: ContainerRule = {
  id: 'drop-all-capabilities',
  scope: 'container',
  title: 'Containers must drop all capabilities',
  severity: 'high',
  level: 'restricted',
  rationale:
    "Docker's default capability set still includes CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW, " +
    'MKNOD and others that most services never use but an attacker can. Dropping ALL and adding back a ' +
    'named few makes the needed privileges explicit and reviewable.',
  remediation: {
    pulumi: `Set \`capabilities: { drops: ["${SECURE.capDrop}"], adds: [/* only what the workload needs */] }\`.`,
    compose: `Add \`cap_drop: [${SECURE.capDrop}]\` and list needed capabilities under \`cap_add\`.`,
    dockerRun: `Pass \`--cap-drop ${SECURE.capDrop}\` and \`--cap-add <CAP>\` for each needed capability.`,
  },
  references: {
    nist: '4.4.3',
    cis: '5.4',
    pss: 'Capabilities (restricted)',
    docs: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
  },
  example: { insecure: { capDrop: undefined }, fails: 'capDrop' },
  pulumiFix: {
    apply(p, v) {
      if (p.capabilities === undefined || p.capabilities === null) {
        p.capabilities = { drops: [SECURE.capDrop] };
        return true;
      }
      const caps = p.capabilities;
      if (!editableObject(caps, v)) return false;
      const adds = knownList(caps.adds, v);
      if (adds === 'other' || (adds !== undefined && adds.length > 0)) return false;
      const drops = knownList(caps.drops, v);
      if (drops === 'other') return false;
      caps.drops = [SECURE.capDrop];
      return true;
    },
  },
  check(spec) {
    const gap = expressGap(spec, 'capDrop', 'dropped capabilities');
    if (gap) return gap;
    const drops = capDrops(spec);
    if (drops === 'unknown') return unknown('capDrop');
    if (drops.caps.some((c) => c.name === 'ALL')) return pass();
    if (drops.unknownAt.length > 0) return unknown(`capDrop[${drops.unknownAt[0]}]`);
    return fail('capDrop', 'does not drop ALL capabilities');
  },
};
