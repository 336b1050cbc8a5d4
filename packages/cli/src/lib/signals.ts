/** Signals an interrupted command cleans up on, and the exit code it then uses (128 + signal). */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const SIGNALS = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];

/**
 * Runs `work`; on SIGHUP, SIGINT or SIGTERM meanwhile, runs `cleanup` (which must not throw) and
 * exits with 128 + the signal, so an interrupted command leaves no temporary file behind.
 */
export async function cleanUpOnSignal<T>(cleanup: () => void, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    return await work();
  } finally {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  }
}
