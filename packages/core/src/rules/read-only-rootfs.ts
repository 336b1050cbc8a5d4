import { SECURE } from '../model/secure-values.js';
import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.13: an immutable root filesystem; writable paths become explicit tmpfs or volumes. */
export const readOnlyRootfs: ContainerRule = {
  id: 'read-only-rootfs',
  scope: 'container',
  title: 'Containers must mount their root filesystem read-only',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A writable root filesystem lets an intruder drop tools, rewrite binaries or persist across process ' +
    'restarts. Read-only root with a few declared tmpfs or volume paths keeps the container equal to its ' +
    'image and makes every writable location visible in review.',
  remediation: {
    pulumi:
      `Set \`readOnly: true\` and give writable paths as \`tmpfs: { "/tmp": "${SECURE.tmpfsOptions}" }\` ` +
      'or volumes.',
    compose: 'Set `read_only: true` and list writable paths under `tmpfs`.',
    dockerRun: `Pass \`--read-only\` with \`--tmpfs /tmp:${SECURE.tmpfsOptions}\` for writable paths.`,
  },
  references: {
    nist: '4.4.4',
    cis: '5.13',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#read-only',
  },
  example: { insecure: { readOnlyRootfs: false }, fails: 'readOnlyRootfs' },
  check(spec) {
    const gap = expressGap(spec, 'readOnlyRootfs', 'a read-only root filesystem');
    if (gap) return gap;
    const v = spec.readOnlyRootfs;
    if (v === undefined) return fail('readOnlyRootfs', 'the root filesystem is writable (not set read-only)');
    if (typeof v !== 'boolean') return unknown('readOnlyRootfs');
    return v ? pass() : fail('readOnlyRootfs', 'the root filesystem is writable');
  },
};
