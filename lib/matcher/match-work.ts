import type { CandidateScore } from './score';

/**
 * Thrown by a budgeted `findMatches` whose time ran out (compared by identity: one object, made
 * once); the same `MatchWork` resumes it.
 */
export const OUT_OF_TIME = new Error('match out of time');

/**
 * A `findMatches` run that may be interrupted and resumed later (the tracker's selector health
 * spreads one check over several idle slices). Before each unit of new work — a stored selector's
 * query, the rival query, one candidate's score or card — the run throws `OUT_OF_TIME` once `now()`
 * passes `deadline`; everything it already did is remembered here, so calling it again with the
 * same work (and a later deadline) replays that from memory and carries on. The result is the
 * same as an uninterrupted run's as long as the DOM did not change in between: the caller must
 * discard the work when it did.
 */
export class MatchWork {
  deadline = Infinity;
  readonly queries = new Map<string, Element[]>();
  readonly scores = new Map<Element, CandidateScore | null>();
  /** Whether a candidate carries exactly the recorded link target or long text. */
  readonly exact = new Map<Element, boolean>();
  readonly contexts = new Map<Element, string | undefined>();

  constructor(private readonly now: () => number) {}

  /** Throws `OUT_OF_TIME` when the deadline passed. */
  spend(): void {
    if (this.now() > this.deadline) throw OUT_OF_TIME;
  }
}
