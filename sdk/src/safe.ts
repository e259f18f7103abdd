/** Shared guard rails: nothing the SDK does may throw into the host page. */
let debug = false;

/** Turns debug logging of swallowed SDK faults on or off. */
export const setDebug = (on: boolean): void => {
  debug = on;
};

/** Logs to the console in debug mode only. */
export const log = (...args: unknown[]): void => {
  if (debug) console.warn('gosight:', ...args);
};

/** Wraps a function so that any fault inside it is swallowed (and logged in debug mode). */
export const safe =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch (e) {
      log(e);
      return undefined;
    }
  };

/** Adds a guarded event listener; `opts` defaults to capture so host code cannot hide events. */
export const on = <E extends Event>(
  target: EventTarget,
  type: string,
  fn: (event: E) => void,
  opts: AddEventListenerOptions | boolean = true,
): void => target.addEventListener(type, safe(fn) as EventListener, opts);

/**
 * Observes performance entries of `type` (buffered ones too), handing each batch to
 * `cb` guarded; returns a function that hands over the entries not yet delivered,
 * or nothing where the browser does not support the type.
 */
export const observe = (
  type: string,
  cb: (list: PerformanceEntry[]) => void,
  opts?: object,
): (() => void) | undefined => {
  try {
    const po = new PerformanceObserver((l) => safe(cb)(l.getEntries()));
    po.observe({ type, buffered: true, ...opts });
    return () => cb(po.takeRecords());
  } catch {
    // entry type not supported by this browser (or no PerformanceObserver)
    return undefined;
  }
};
