/** Thrown from inside css-selector-generator callbacks to abandon a search that ran out of time. */
export class BudgetExceededError extends Error {
  constructor() {
    super('selector generation exceeded its time budget');
    this.name = 'BudgetExceededError';
  }
}

/** A point in time after which selector generation stops looking for better candidates. */
export interface Deadline {
  expired(): boolean;
  /** Throws `BudgetExceededError` when expired. */
  check(): void;
  /** A deadline at most `ms` from now and never later than this one: a share for one step. */
  share(ms: number): Deadline;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function deadlineAt(end: number): Deadline {
  return {
    expired: () => now() > end,
    check() {
      if (now() > end) throw new BudgetExceededError();
    },
    share: (ms) => deadlineAt(Math.min(end, now() + ms)),
  };
}

/** Starts a budget of `ms` milliseconds from now. */
export function createDeadline(ms: number): Deadline {
  return deadlineAt(now() + ms);
}
