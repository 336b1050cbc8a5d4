import { SECURE } from '../model/secure-values.js';
import { knownList } from './support/input-fixes.js';
import { expressGap } from './support/outcomes.js';
import { parseSecurityOpt, securityOpts } from './support/security-opts.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** Values Go's strconv.ParseBool reads as true (an empty value means on too). */
export const NNP_ON: ReadonlySet<string> = new Set(['', 'true', 't', '1']);

/**
 * What one `securityOpt` entry says of no-new-privileges, as the engine reads it: `on`, `off`
 * (`no-new-privileges=0`, `:false`, `: FALSE`…), or `undefined` for another option. The machine
 * fixes read it to leave an explicit `off` to the user.
 */
export function noNewPrivilegesEntry(entry: string): 'on' | 'off' | undefined {
  const { key, value } = parseSecurityOpt(entry);
  if (key !== 'no-new-privileges') return undefined;
  return NNP_ON.has(value.trim().toLowerCase()) ? 'on' : 'off';
}

/** CIS 5.26: block setuid/setcap privilege escalation with no_new_privs. */
export const noNewPrivileges: ContainerRule = {
  id: 'no-new-privileges',
  scope: 'container',
  title: 'Containers must set no-new-privileges',
  severity: 'high',
  level: 'baseline',
  rationale:
    'Without no_new_privs a process can gain privileges through setuid or file-capability binaries ' +
    '(su, ping, mount helpers) even after capabilities were dropped.',
  remediation: {
    pulumi: `Add \`"${SECURE.noNewPrivileges}"\` to \`securityOpts\`.`,
    compose: `Add \`${SECURE.noNewPrivileges}\` under \`security_opt\`.`,
    dockerRun: `Pass \`--security-opt ${SECURE.noNewPrivileges}\`.`,
  },
  references: {
    nist: '4.4.3',
    cis: '5.26',
    pss: 'Privilege Escalation (restricted)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
  },
  example: { insecure: { securityOpt: ['apparmor=docker-default'] }, fails: 'securityOpt' },
  pulumiFix: {
    apply(p, v) {
      const opts = knownList(p.securityOpts, v);
      if (opts === 'other') return false;
      const list = opts ?? [];
      if (list.some((o) => noNewPrivilegesEntry(String(v.plain(o))) !== undefined)) return false;
      p.securityOpts = [...list, SECURE.noNewPrivileges];
      return true;
    },
  },
  check(spec) {
    const gap = expressGap(spec, 'securityOpt', 'security options such as no-new-privileges');
    if (gap) return gap;
    const parsed = securityOpts(spec);
    if (parsed === 'unknown') return unknown('securityOpt');
    const opt = parsed.opts.findLast((o) => o.key === 'no-new-privileges');
    const later = parsed.unknownAt.find((i) => opt === undefined || i > opt.index);
    if (opt && later === undefined) {
      // The engine parses the value with Go's strconv.ParseBool: 1, t, true (any case) mean on.
      return NNP_ON.has(opt.value.trim().toLowerCase())
        ? pass()
        : fail(`securityOpt[${opt.index}]`, 'no-new-privileges is switched off');
    }
    if (later !== undefined) return unknown(`securityOpt[${later}]`);
    return fail('securityOpt', 'no-new-privileges is not set');
  },
};
