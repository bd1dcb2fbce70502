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
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Starts a budget of `ms` milliseconds from now. */
export function createDeadline(ms: number): Deadline {
  const end = now() + ms;
  return {
    expired: () => now() > end,
    check() {
      if (now() > end) throw new BudgetExceededError();
    },
  };
}
