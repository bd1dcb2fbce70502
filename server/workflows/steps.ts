import type { WorkflowStep } from '../../lib/shared';

interface Located {
  step: WorkflowStep;
  list: readonly WorkflowStep[];
  index: number;
  /** The delay-until-event step whose branch holds the list; undefined at the top level. */
  parent?: WorkflowStep;
}

/** Finds a step anywhere in the tree by its id. */
export function locateStep(steps: readonly WorkflowStep[], id: string, parent?: WorkflowStep): Located | undefined {
  for (const [index, step] of steps.entries()) {
    if (step.id === id) return { step, list: steps, index, parent };
    if (step.type === 'delayUntilEvent') {
      const found = locateStep(step.met, id, step) ?? locateStep(step.notMet, id, step);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The id of the step that follows `id`: the next one in its list, or, at the end of a branch, the
 * one after the branching step (branches rejoin the main path); null when the workflow is done.
 */
export function nextStepId(steps: readonly WorkflowStep[], id: string): string | null {
  const found = locateStep(steps, id);
  if (!found) return null;
  const following = found.list[found.index + 1];
  if (following) return following.id;
  return found.parent ? nextStepId(steps, found.parent.id) : null;
}

/** The first step of a branch of a delay-until-event step, or the step after it for an empty branch. */
export function branchStartId(steps: readonly WorkflowStep[], waitStepId: string, branch: 'met' | 'notMet') {
  const found = locateStep(steps, waitStepId);
  if (found?.step.type !== 'delayUntilEvent') return nextStepId(steps, waitStepId);
  return found.step[branch][0]?.id ?? nextStepId(steps, waitStepId);
}

/** Every event name the steps wait for. */
export function waitedEventNames(steps: readonly WorkflowStep[]): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (step.type !== 'delayUntilEvent') continue;
    names.push(step.eventName, ...waitedEventNames(step.met), ...waitedEventNames(step.notMet));
  }
  return names;
}
