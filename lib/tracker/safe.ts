/**
 * Runs tracker code so that nothing it does can throw into the customer's page: any error is
 * swallowed (and logged once when `debug` is on).
 */
export function safe<A extends unknown[], R>(fn: (...args: A) => R, fallback?: R): (...args: A) => R | undefined {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (error) {
      report(error);
      return fallback;
    }
  };
}

let debug = false;

export function setDebug(on: boolean): void {
  debug = on;
}

export function report(error: unknown): void {
  if (debug) console.warn('[clicktrail]', error);
}
