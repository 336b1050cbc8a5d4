import { SECURE } from '../model/secure-values.js';
import { parseUser } from './support/user.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** A numeric uid:gid can be verified as non-root without reading the image's /etc/passwd. */
export const numericUser: ContainerRule = {
  id: 'numeric-user',
  scope: 'container',
  title: 'Containers must name their user and group by number',
  severity: 'low',
  level: 'restricted',
  rationale:
    'A user name is resolved inside the image at start: nobody reviewing the program can tell whether it ' +
    'maps to uid 0, and a rebuilt image can change it. A numeric uid:gid is what the kernel checks, can be ' +
    'verified non-root before deployment, and keeps a per-container uid unique for nproc limits.',
  remediation: {
    pulumi: `Set \`user\` to numbers, such as \`"${SECURE.exampleUser}"\`, instead of a name.`,
    compose: `Set \`user: "${SECURE.exampleUser}"\` instead of a name.`,
    dockerRun: `Pass \`--user ${SECURE.exampleUser}\` instead of a name.`,
  },
  references: {
    nist: '4.4.3',
    docs: 'https://docs.docker.com/engine/containers/run/#user',
  },
  example: { insecure: { user: 'app' }, fails: 'user' },
  check(spec) {
    const u = parseUser(spec.user);
    if (u.state === 'unknown') return unknown('user');
    // No user at all is non-root-user's finding; there is nothing to judge here.
    if (u.state === 'absent' || u.user === '') return pass();
    if (u.uid === undefined) return fail('user', 'names the user instead of giving a numeric uid');
    if (u.group === undefined || u.group === '') {
      return fail(
        'user',
        'gives no numeric gid: the group then comes from the image, or is root (0) for a uid it does not list',
      );
    }
    if (u.gid === undefined) return fail('user', 'names the group instead of giving a numeric gid');
    return pass();
  },
};
