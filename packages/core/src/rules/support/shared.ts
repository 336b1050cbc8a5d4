/** Number of the evaluation running now; 0 when none is. */
let running = 0;

let evaluations = 0;

/**
 * Runs `fn` as one evaluation: while it runs, the parsers below ({@link securityOpts}, {@link caps},
 * {@link hostSources}, {@link attachments}) parse each spec or list once and every rule shares the
 * result, instead of each of the seven security-option rules parsing the same list again
 * (`securityOpts` and `hostSources` keep only the latest spec's parse: evaluate runs a spec's
 * rules together).
 * Outside it they parse on every call, so a spec changed between evaluations is read afresh.
 * Shared results must be treated as read-only.
 */
export function sharingParses<T>(fn: () => T): T {
  const outer = running;
  running = ++evaluations;
  try {
    return fn();
  } finally {
    running = outer;
  }
}

/**
 * `parse`, with its result for the latest input object (a spec) shared within one
 * {@link sharingParses} evaluation: `evaluate` runs one spec's rules one after another, so the
 * rules of a spec share one parse. For parsers that only container rules call.
 */
export function sharedPerSpec<A extends object, R>(parse: (input: A) => R): (input: A) => R {
  let cacheFor = 0;
  let last: A | undefined;
  let lastResult: R | undefined;
  return (input) => {
    if (running === 0) return parse(input);
    if (cacheFor === running && input === last) return lastResult as R;
    const r = parse(input);
    cacheFor = running;
    last = input;
    lastResult = r;
    return r;
  };
}

/**
 * `parse`, with its result per input object (a spec, a list) shared within one
 * {@link sharingParses} evaluation: for parsers that stack rules call again after every spec's
 * rules ran ({@link attachments}). Inputs that are not objects are parsed on every call.
 */
export function shared<A, R>(parse: (input: A) => R): (input: A) => R {
  let cache = new Map<A, R>();
  let cacheFor = 0;
  // The latest input and result: evaluate runs a spec's rules one after another, so most calls
  // ask for the same input as the call before.
  let last: A | undefined;
  let lastResult: R | undefined;
  return (input) => {
    if (running === 0 || typeof input !== 'object' || input === null) return parse(input);
    if (cacheFor !== running) {
      cache = new Map();
      cacheFor = running;
      last = undefined;
    } else if (input === last) {
      return lastResult as R;
    }
    let r = cache.get(input);
    if (r === undefined) {
      r = parse(input);
      cache.set(input, r);
    }
    last = input;
    lastResult = r;
    return r;
  };
}
