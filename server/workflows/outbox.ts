import type { Kysely } from 'kysely';
import { matchesFilters, type PropertyFilter, type WorkflowStep, type WorkflowTrigger } from '../../lib/shared';
import type { Database } from '../storage/schema';
import { waitedEventNames } from './steps';

type Properties = Readonly<Record<string, string | number | boolean>>;

/**
 * Which completions of one event definition the workflow engine must see: every one when an
 * enabled workflow waits for the event (a waiting contact may be woken) or enrols on it without
 * filters; otherwise those whose properties pass some enrolment trigger's filters. Triggers are
 * looked up by one of their `eq` / `in` filters (property → value → triggers), so a completion is
 * checked only against the triggers that could match it: 100 workflows on `amount = N` cost one
 * map lookup per completion, not 100 filter checks.
 */
interface DefinitionWatch {
  all: boolean;
  byValue: Map<string, Map<string, PropertyFilter[][]>>;
  /** Triggers with no `eq` or `in` filter: checked in full. */
  scanned: PropertyFilter[][];
}

/** The engine decides again with the same filters; this only spares it completions no workflow could take. */
function needed(watch: DefinitionWatch, properties: Properties): boolean {
  if (watch.all) return true;
  for (const [property, byValue] of watch.byValue) {
    const raw = properties[property];
    if (raw === undefined) continue;
    for (const filters of byValue.get(String(raw)) ?? []) if (matchesFilters(properties, filters)) return true;
  }
  return watch.scanned.some((filters) => matchesFilters(properties, filters));
}

function addTrigger(watch: DefinitionWatch, trigger: WorkflowTrigger): void {
  if (trigger.filters.length === 0) {
    watch.all = true;
    return;
  }
  const key = trigger.filters.find((filter) => filter.operator === 'eq' || filter.operator === 'in');
  if (!key) {
    watch.scanned.push(trigger.filters);
    return;
  }
  const byValue = watch.byValue.get(key.property) ?? new Map<string, PropertyFilter[][]>();
  watch.byValue.set(key.property, byValue);
  for (const value of key.operator === 'eq' ? [key.value] : key.operator === 'in' ? key.values : []) {
    byValue.set(value, [...(byValue.get(value) ?? []), trigger.filters]);
  }
}

/** Parsed triggers and steps of a workflow version (a version never changes once written). */
const parsed = new Map<string, { triggers: WorkflowTrigger[]; steps: WorkflowStep[] }>();
const PARSED_MAX = 1000;

function parseWorkflow(row: { id: number; version: number; triggers_json: string; steps_json: string }) {
  const key = `${row.id}:${row.version}`;
  let entry = parsed.get(key);
  if (!entry) {
    entry = {
      triggers: JSON.parse(row.triggers_json) as WorkflowTrigger[],
      steps: JSON.parse(row.steps_json) as WorkflowStep[],
    };
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, entry);
  }
  return entry;
}

/**
 * What enabled workflows watch among these definitions, read in the caller's transaction (so a
 * workflow turned on by another server is seen as soon as its commit is). Empty when no workflow
 * listens to any of them, the common case: one indexed lookup.
 */
export async function loadWatches(
  db: Kysely<Database>,
  definitionIds: readonly number[],
): Promise<Map<number, DefinitionWatch>> {
  const watches = new Map<number, DefinitionWatch>();
  if (definitionIds.length === 0) return watches;
  const rows = await db
    .selectFrom('workflow_watches')
    .innerJoin('workflows', 'workflows.id', 'workflow_watches.workflow_id')
    .innerJoin('event_definitions', 'event_definitions.id', 'workflow_watches.definition_id')
    .select([
      'workflow_watches.definition_id',
      'event_definitions.name',
      'workflows.id',
      'workflows.version',
      'workflows.triggers_json',
      'workflows.steps_json',
    ])
    .where('workflow_watches.definition_id', 'in', [...new Set(definitionIds)])
    .where('workflows.enabled', '=', 1)
    .execute();
  for (const row of rows) {
    const watch = watches.get(row.definition_id) ?? { all: false, byValue: new Map(), scanned: [] };
    watches.set(row.definition_id, watch);
    const { triggers, steps } = parseWorkflow(row);
    if (waitedEventNames(steps).includes(row.name)) watch.all = true;
    for (const trigger of triggers) if (trigger.eventName === row.name) addTrigger(watch, trigger);
  }
  return watches;
}

/** Whether the watches need the stored completions' properties to decide (some trigger has filters). */
export function needsProperties(watches: ReadonlyMap<number, DefinitionWatch>): boolean {
  return [...watches.values()].some((watch) => !watch.all);
}

/**
 * Called by `insertCompletions` in the transaction that stores completions: writes one outbox row
 * for each stored completion an enabled workflow could act on (see `DefinitionWatch`). The engine
 * reads the outbox; a crash before it does loses nothing.
 */
export async function enqueueForWorkflows(
  db: Kysely<Database>,
  watches: ReadonlyMap<number, DefinitionWatch>,
  stored: readonly { id: number; definition_id: number; properties_json?: string; properties?: Properties }[],
): Promise<void> {
  if (watches.size === 0 || stored.length === 0) return;
  const rows: { completion_id: number }[] = [];
  for (const row of stored) {
    const watch = watches.get(row.definition_id);
    if (!watch) continue;
    if (watch.all || needed(watch, row.properties ?? (JSON.parse(row.properties_json ?? '{}') as Properties))) {
      rows.push({ completion_id: row.id });
    }
  }
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto('workflow_outbox')
      .values(rows.slice(start, start + 1000))
      .execute();
  }
}
