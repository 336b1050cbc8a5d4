import { SECURE } from '../model/secure-values.js';
import { expressGap } from './support/outcomes.js';
import { parseUser } from './support/user.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 4.1, PSS restricted: run as a non-root user. */
export const nonRootUser: ContainerRule = {
  id: 'non-root-user',
  scope: 'container',
  title: 'Containers must run as a non-root user',
  severity: 'high',
  level: 'baseline',
  rationale:
    'Root in a container is uid 0 on the host unless user namespaces are remapped: every kernel or ' +
    'runtime escape then lands as root, and files on any bind mount are writable. Setting the user ' +
    'explicitly also avoids inheriting whatever the image declares, which is root for most images.',
  remediation: {
    pulumi: `Set \`user: "${SECURE.exampleUser}"\` (a numeric uid:gid that exists in, or works with, the image).`,
    compose: `Set \`user: "${SECURE.exampleUser}"\` on the service.`,
    dockerRun: `Pass \`--user ${SECURE.exampleUser}\`.`,
  },
  references: {
    nist: '4.4.3',
    cis: '4.1',
    pss: 'Running as Non-root (restricted)',
    docs: 'https://docs.docker.com/engine/containers/run/#user',
  },
  example: { insecure: { user: '0' }, fails: 'user' },
  check(spec) {
    const gap = expressGap(spec, 'user', 'the user to run as');
    if (gap) return gap;
    const u = parseUser(spec.user);
    if (u.state === 'unknown') return unknown('user');
    if (u.state === 'absent' || u.user === '') {
      return fail('user', "no user is set, so the image's default user applies, and that is often root");
    }
    return u.root ? fail('user', 'runs as root') : pass();
  },
};
