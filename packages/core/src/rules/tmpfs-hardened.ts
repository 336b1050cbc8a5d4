import { SECURE } from '../model/secure-values.js';
import { mapKeyPath } from '../model/value.js';
import { entries } from './support/lists.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** Flag pairs where the later of the two options wins, as in mount(8). */
const FLAGS = [
  ['noexec', 'exec'],
  ['nosuid', 'suid'],
  ['nodev', 'dev'],
] as const;

/** A tmpfs is memory: bound its size and keep executables, setuid and devices off it. */
export const tmpfsHardened: ContainerRule = {
  id: 'tmpfs-hardened',
  scope: 'container',
  title: 'tmpfs mounts must set size, noexec, nosuid and nodev',
  severity: 'low',
  level: 'restricted',
  rationale:
    'Without `size=` a tmpfs may grow to half of host memory, so one container can exhaust the host. ' +
    'Writable scratch space is where an intruder drops payloads: noexec stops running them, nosuid stops ' +
    'setuid binaries and nodev stops device nodes. Stating all four keeps the mount hardened whatever ' +
    'defaults the engine or another tool would apply.',
  remediation: {
    pulumi: `Give each \`tmpfs\` entry options such as \`"${SECURE.tmpfsOptions}"\`.`,
    compose: `Write each \`tmpfs\` entry as \`/tmp:${SECURE.tmpfsOptions}\`.`,
    dockerRun: `Pass \`--tmpfs /tmp:${SECURE.tmpfsOptions}\`.`,
  },
  references: {
    nist: '4.4.4',
    docs: 'https://docs.docker.com/engine/storage/tmpfs/',
  },
  example: { insecure: { tmpfs: { '/tmp': 'rw' } }, fails: 'tmpfs["/tmp"]' },
  check(spec) {
    const mounts = entries<string>(spec.tmpfs);
    if (mounts === 'unknown') return unknown('tmpfs');
    const out: Outcome[] = [];
    for (const [i, m] of mounts.entries()) {
      const path = mapKeyPath('tmpfs', spec.tmpfs, m.key, i);
      if (!m.known) {
        out.push(unknown(path));
        continue;
      }
      // One pass over the options; for each flag and for size the later option wins
      // (`noexec,exec` leaves the mount executable).
      let size: string | undefined;
      const last: (string | undefined)[] = [undefined, undefined, undefined];
      for (const part of String(m.value).split(',')) {
        const o = part.trim().toLowerCase();
        if (o.startsWith('size=')) size = o;
        else {
          for (let f = 0; f < FLAGS.length; f++) {
            if (o === FLAGS[f]![0] || o === FLAGS[f]![1]) last[f] = o;
          }
        }
      }
      const missing: string[] = [];
      if (!size || /^size=0*[kmg%]?$/.test(size)) missing.push('size');
      for (let f = 0; f < FLAGS.length; f++) {
        if (last[f] !== FLAGS[f]![0]) missing.push(FLAGS[f]![0]);
      }
      if (missing.length > 0) {
        out.push(fail(path, `tmpfs mount lacks ${missing.join(', ')}`));
      }
    }
    return collect(out);
  },
};
