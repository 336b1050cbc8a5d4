import { SECURE } from '../model/secure-values.js';
import { sizeToBytes } from '../model/units.js';
import { editableObject } from './support/input-fixes.js';
import { entry } from './support/lists.js';
import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** Drivers that write to the engine host's disk and rotate only when told to. */
const NEEDS_MAX_SIZE = new Set(['json-file']);
/** Local drivers that rotate by default (local: 20 MB × 5 files). */
const ROTATES_BY_DEFAULT = new Set(['local']);

/**
 * Whether a `max-size` value bounds the log file: `true` for a positive size (`10m`, `1.5g`,
 * `1048576`), `false` for 0 or `-1` (unbounded), `undefined` when the engine could not parse it.
 * Sizes read as everywhere else in Bulkhead ({@link sizeToBytes}, Docker's `RAMInBytes` units).
 */
function boundsLog(v: string): boolean | undefined {
  const bytes = sizeToBytes(v);
  return typeof bytes === 'number' ? bytes > 0 : undefined;
}

/** Unrotated logs fill the host disk; the engine and every container on it then fail. */
export const boundedLogs: ContainerRule = {
  id: 'bounded-logs',
  scope: 'container',
  title: 'Container logs must be size-bounded',
  severity: 'low',
  level: 'restricted',
  rationale:
    "Docker's default json-file driver never rotates: a chatty or attacked container (log flooding is " +
    "cheap) fills the host disk, and then the engine, other containers and the host's own logging fail. " +
    'Set max-size (and max-file) on json-file, use the rotating local driver, or ship logs to a remote driver.',
  remediation: {
    pulumi: `Set \`logDriver: "${SECURE.logDriver}"\` with \`logOpts: { "max-size": "${SECURE.logMaxSize}", "max-file": "${SECURE.logMaxFiles}" }\` (or \`logDriver: "local"\`).`,
    compose: `Set \`logging: { driver: ${SECURE.logDriver}, options: { max-size: ${SECURE.logMaxSize}, max-file: "${SECURE.logMaxFiles}" } }\`.`,
    dockerRun: `Pass \`--log-driver ${SECURE.logDriver} --log-opt max-size=${SECURE.logMaxSize} --log-opt max-file=${SECURE.logMaxFiles}\`.`,
  },
  references: {
    docs: 'https://docs.docker.com/engine/logging/drivers/json-file/',
  },
  example: { insecure: { logOpts: undefined }, fails: 'logOpts' },
  pulumiFix: {
    apply(p, v) {
      if (v.plain(p.logDriver) !== SECURE.logDriver) return false;
      if (p.logOpts === undefined || p.logOpts === null) p.logOpts = {};
      const opts = p.logOpts;
      if (!editableObject(opts, v) || opts['max-size'] !== undefined) return false;
      opts['max-size'] = SECURE.logMaxSize;
      if (opts['max-file'] === undefined) opts['max-file'] = String(SECURE.logMaxFiles);
      return true;
    },
  },
  check(spec) {
    const gap = expressGap(spec, 'logDriver', 'a log driver');
    if (gap) return gap;
    const d = spec.logDriver;
    if (d !== undefined && typeof d !== 'string') return unknown('logDriver');
    const driver = typeof d === 'string' && d.trim() !== '' ? d.trim().toLowerCase() : undefined;
    if (driver !== undefined && !NEEDS_MAX_SIZE.has(driver) && !ROTATES_BY_DEFAULT.has(driver)) {
      return pass(); // none, or a driver that ships logs off the host (syslog, journald, fluentd, gelf…)
    }
    const max = entry<string>(spec.logOpts, 'max-size');
    if (max.state === 'unknown') return unknown('logOpts');
    if (max.state === 'absent') {
      if (driver !== undefined && ROTATES_BY_DEFAULT.has(driver)) return pass();
      return driver === undefined
        ? fail('logDriver', "uses the engine's default log driver with no max-size set here")
        : fail('logOpts', 'sets no max-size for the json-file log driver');
    }
    const bounded = boundsLog(String(max.value));
    if (bounded === undefined) return fail('logOpts["max-size"]', 'has a max-size the engine cannot parse');
    return bounded ? pass() : fail('logOpts["max-size"]', 'sets an unbounded max-size');
  },
};
