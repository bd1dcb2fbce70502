import { queryAll } from '../matcher';

/** Thrown from inside css-selector-generator callbacks to abandon a search that ran out of budget. */
export class BudgetExceededError extends Error {
  constructor() {
    super('selector generation exceeded its work budget');
    this.name = 'BudgetExceededError';
  }
}

/**
 * A bound on the work selector generation may do, counted in work units rather than
 * milliseconds so the selectors chosen are the same on a fast and a slow (or busy) machine, and a
 * test can check the bound without timing anything. One unit is one element a selector query
 * has to look at: a query over a root costs the number of elements in that root (browsers test
 * each one, the id fast path aside), so a query on a 20 000-element page costs 200 times one on
 * a 100-element widget, as it does in time.
 */
export interface Budget {
  /** Units spent so far by this budget and every share of it. */
  readonly spent: number;
  /** The units this budget may spend in all (its limit, counted from 0). */
  readonly limit: number;
  /** Whether the units spent reached the limit. */
  expired(): boolean;
  /** Throws `BudgetExceededError` when expired. */
  check(): void;
  /** Spends `units` of work done outside `query` (one step of a library's search). */
  charge(units: number): void;
  /** Runs `querySelectorAll(selector)` on `root` (never throws: invalid selectors give []) and pays for it. */
  query(root: Document | ShadowRoot, selector: string): Element[];
  /** Pays for one query over `root` that the caller runs itself (a library's own query). */
  chargeQuery(root: Document | ShadowRoot): void;
  /** A budget of at most `units` more, never beyond this one's limit, spending from the same account: a share for one step. */
  share(units: number): Budget;
}

interface Account {
  spent: number;
  readonly sizes: WeakMap<Document | ShadowRoot, number>;
}

/** Elements under `root`, counted once per root and budget. */
function sizeOf(account: Account, root: Document | ShadowRoot): number {
  let size = account.sizes.get(root);
  if (size === undefined) {
    size = 'getElementsByTagName' in root ? root.getElementsByTagName('*').length : root.querySelectorAll('*').length;
    account.sizes.set(root, size);
  }
  return size;
}

function budgetOn(account: Account, limit: number): Budget {
  const budget: Budget = {
    get spent() {
      return account.spent;
    },
    limit,
    expired: () => account.spent >= limit,
    check() {
      if (account.spent >= limit) throw new BudgetExceededError();
    },
    charge(units) {
      account.spent += units;
    },
    chargeQuery(root) {
      account.spent += 1 + sizeOf(account, root);
    },
    query(root, selector) {
      budget.chargeQuery(root);
      return queryAll(root, selector);
    },
    share: (units) => budgetOn(account, Math.min(limit, account.spent + units)),
  };
  return budget;
}

/** Starts a budget of `units` work units. */
export function createBudget(units: number): Budget {
  return budgetOn({ spent: 0, sizes: new WeakMap() }, units);
}
