import { items } from './support/lists.js';
import { canExpress, collect } from './support/outcomes.js';
import { parseUser } from './support/user.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/**
 * Groups whose members own host-sensitive files: root (0), disk (6, raw block devices), shadow (42),
 * docker (the engine socket) and kmem (raw kernel memory).
 */
const PRIVILEGED_GROUPS = new Set(['0', 'root', 'disk', '6', 'shadow', '42', 'docker', 'kmem']);

/** A non-root uid in the root or disk group still reads and writes what those groups own. */
export const noPrivilegedGroups: ContainerRule = {
  id: 'no-privileged-groups',
  scope: 'container',
  title: 'Containers must not run in privileged groups',
  severity: 'high',
  level: 'baseline',
  rationale:
    'Group membership grants file access even to a non-root uid: gid 0 owns many files in images and on ' +
    'bind mounts, disk gives raw access to block devices, shadow reads password hashes and docker means ' +
    'the engine socket. Running in one of them undoes much of what a non-root user buys.',
  remediation: {
    pulumi:
      'Use a non-zero gid in `user` (`"10001:10001"`) and remove root, disk, shadow, kmem and docker from ' +
      '`groupAdds`.',
    compose: 'Use a non-zero gid in `user` and remove those groups from `group_add`.',
    dockerRun: 'Pass `--user uid:gid` with a non-zero gid and no `--group-add` for those groups.',
  },
  references: {
    nist: '4.4.3',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#group-add',
  },
  example: { insecure: { groupAdd: ['docker'] }, fails: 'groupAdd[0]' },
  check(spec) {
    const out: Outcome[] = [];
    const u = parseUser(spec.user);
    if (u.state === 'unknown') out.push(unknown('user'));
    else if (u.state === 'known' && u.group !== undefined && PRIVILEGED_GROUPS.has(u.group.toLowerCase())) {
      out.push(fail('user', 'runs with a privileged primary group'));
    }
    if (canExpress(spec, 'groupAdd')) {
      const groups = items<string>(spec.groupAdd);
      if (groups === 'unknown') out.push(unknown('groupAdd'));
      else {
        for (const g of groups) {
          if (!g.known) out.push(unknown(`groupAdd[${g.index}]`));
          else if (PRIVILEGED_GROUPS.has(String(g.value).trim().toLowerCase())) {
            out.push(fail(`groupAdd[${g.index}]`, 'adds a privileged supplementary group'));
          }
        }
      }
    }
    return collect(out);
  },
};
