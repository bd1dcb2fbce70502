import type { StepCompletion } from './queries';

/**
 * Contacts reaching each step of a funnel. A contact enters with their first completion of step 1
 * (the caller passes only step-1 completions inside the date range); each later step counts
 * when the contact completes it after their completion of the step before (later in time, or at
 * the same millisecond with a later id, so a step may repeat the previous event) and no later
 * than `windowMs` after entering. Each step takes its earliest such completion, which leaves the
 * most room for the steps after it.
 *
 * `steps[k]` must be sorted oldest first (ties by id).
 */
export function countFunnel(steps: readonly (readonly StepCompletion[])[], windowMs: number): number[] {
  const [first, ...rest] = steps;
  if (!first) return [];
  const entered = new Map<string, { deadline: number; at: number; id: number }>();
  for (const completion of first) {
    if (!entered.has(completion.contact)) {
      entered.set(completion.contact, { deadline: completion.at + windowMs, at: completion.at, id: completion.id });
    }
  }
  const counts = [entered.size];
  let reached = entered;
  for (const step of rest) {
    const next = new Map<string, { deadline: number; at: number; id: number }>();
    for (const completion of step) {
      const previous = reached.get(completion.contact);
      if (!previous || next.has(completion.contact)) continue;
      const after = completion.at > previous.at || (completion.at === previous.at && completion.id > previous.id);
      if (after && completion.at <= previous.deadline) {
        next.set(completion.contact, { deadline: previous.deadline, at: completion.at, id: completion.id });
      }
    }
    counts.push(next.size);
    reached = next;
  }
  return counts;
}
