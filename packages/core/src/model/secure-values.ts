/**
 * The secure values Bulkhead recommends and applies, stated once. Rules' remediations, the
 * components' defaults, the policy pack's machine fixes, fixtures and benchmarks read them from
 * here, so a change to one (a larger log file, another retry) reaches every surface.
 */
const TMPFS_SIZE = '16m';

export const SECURE = Object.freeze({
  /** Capabilities to drop: every one; add back only what the workload needs. */
  capDrop: 'ALL',
  /** The security option that stops setuid binaries and file capabilities gaining privileges. */
  noNewPrivileges: 'no-new-privileges:true',
  /** AppArmor profile applied when none is named. */
  apparmor: 'docker-default',
  /** Host interface published ports bind to when none is given. */
  portIp: '127.0.0.1',
  /** Log driver and its rotation: at most `logMaxFiles` files of `logMaxSize` each. */
  logDriver: 'json-file',
  logMaxSize: '10m',
  logMaxFiles: 3,
  /** Restart policy and its bound. */
  restartPolicy: 'on-failure',
  restartRetries: 3,
  /** Resource limits applied when none are given. */
  memoryMb: 256,
  cpus: '0.5',
  maxProcesses: 256,
  maxOpenFiles: 1024,
  /** Writable tmpfs directories: size, mode, and the one applied when none are listed. */
  tmpfsSize: TMPFS_SIZE,
  /** The options a writable tmpfs gets (tmpfs-hardened): its size, no exec, no setuid, no devices. */
  tmpfsOptions: `size=${TMPFS_SIZE},noexec,nosuid,nodev`,
  tmpfsMode: '0700',
  tmpfsPath: '/tmp',
  /** Health check timings applied when a health check gives none. */
  healthcheck: Object.freeze({ interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' }),
  /** An example numeric non-root user, as remediations write it. */
  exampleUser: '10001:10001',
} as const);

/** The type of {@link SECURE}. */
export type SecureValues = typeof SECURE;
