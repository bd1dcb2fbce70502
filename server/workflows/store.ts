import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DEFAULT_EVENT_PROPERTIES,
  walkSteps,
  type ErrorDetail,
  type PropertyFilter,
  type Workflow,
  type WorkflowCounts,
  type WorkflowStep,
  type WorkflowTrigger,
} from '../../lib/shared';
import type { Database } from '../storage/schema';
import { definitionsWithProperties } from '../storage/definition-properties';
import type { WorkflowTable } from './tables';
import { urlProblem, type WebhookPolicy } from './url-policy';
import { waitedEventNames } from './steps';

/** A workflow row with its JSON parsed. */
export interface WorkflowRecord {
  id: number;
  portalId: number;
  name: string;
  enabled: boolean;
  enabledAt: number | null;
  reenrollment: boolean;
  triggers: WorkflowTrigger[];
  steps: WorkflowStep[];
  secret: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export class WorkflowNotFoundError extends Error {}
export class WorkflowVersionConflictError extends Error {
  constructor(readonly current: number) {
    super(`The workflow was changed meanwhile (it is at version ${current}); load it again and reapply the change.`);
  }
}
/** The workflow refers to events or properties the portal does not have, or breaks the URL policy. */
export class WorkflowReferenceError extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super(`Invalid workflow: ${details[0]?.in}: ${details[0]?.message}`);
  }
}

export function toRecord(row: Omit<WorkflowTable, 'id'> & { id: number }): WorkflowRecord {
  return {
    id: row.id,
    portalId: row.portal_id,
    name: row.name,
    enabled: Boolean(row.enabled),
    enabledAt: row.enabled_at === null ? null : Number(row.enabled_at),
    reenrollment: Boolean(row.reenrollment),
    triggers: JSON.parse(row.triggers_json) as WorkflowTrigger[],
    steps: JSON.parse(row.steps_json) as WorkflowStep[],
    secret: row.secret,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toWorkflow(record: WorkflowRecord, counts: WorkflowCounts): Workflow {
  return {
    id: String(record.id),
    name: record.name,
    enabled: record.enabled,
    enabledAt: record.enabledAt === null ? null : new Date(record.enabledAt).toISOString(),
    reenrollment: record.reenrollment,
    triggers: record.triggers,
    steps: record.steps,
    secret: record.secret,
    version: record.version,
    counts,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

type DefinitionInfo = { id: number; archived: boolean; properties: Map<string, { type: string; options: string[] }> };

async function loadDefinitions(db: Kysely<Database>, portalId: number, names: string[]) {
  const definitions = await definitionsWithProperties(db, portalId, { names });
  return new Map<string, DefinitionInfo>(
    definitions.map((definition) => [
      definition.name,
      {
        id: definition.id,
        archived: definition.archived,
        properties: new Map(
          definition.properties.map((property) => [
            property.name,
            { type: property.type, options: property.options.map((option) => option.value) },
          ]),
        ),
      },
    ]),
  );
}

/**
 * Checks what the schema cannot: events exist (and are not archived), filtered properties exist on
 * their event with a type the operator fits, webhook URLs obey the server's policy. Returns the
 * definition ids the workflow listens to.
 */
export async function checkReferences(
  db: Kysely<Database>,
  portalId: number,
  triggers: readonly WorkflowTrigger[],
  steps: readonly WorkflowStep[],
  policy: WebhookPolicy,
): Promise<number[]> {
  const names = [...triggers.map((trigger) => trigger.eventName), ...waitedEventNames(steps)];
  const definitions = await loadDefinitions(db, portalId, names);
  const details: ErrorDetail[] = [];
  const checkEvent = (name: string, path: string): DefinitionInfo | undefined => {
    const definition = definitions.get(name);
    if (!definition) details.push({ message: `no event named "${name}"`, in: path, code: 'unknown_event' });
    else if (definition.archived) {
      details.push({ message: `the event "${name}" is archived; restore it first`, in: path, code: 'archived_event' });
    }
    return definition;
  };
  const checkFilter = (definition: DefinitionInfo | undefined, filter: PropertyFilter, path: string) => {
    if (!definition) return;
    const defaultType = DEFAULT_EVENT_PROPERTIES[filter.property];
    const property = definition.properties.get(filter.property) ?? (defaultType && { type: defaultType, options: [] });
    if (!property) {
      details.push({
        message: `the event has no property "${filter.property}"`,
        in: `${path}.property`,
        code: 'unknown_property',
      });
      return;
    }
    if ((filter.operator === 'gt' || filter.operator === 'lt') && property.type !== 'number') {
      details.push({
        message: `"${filter.property}" is a ${property.type} property; greater/less than apply to numbers`,
        in: `${path}.operator`,
        code: 'operator_type',
      });
    }
    if (filter.operator === 'in') {
      if (property.type !== 'enumeration') {
        details.push({
          message: `"${filter.property}" is a ${property.type} property; "is any of" applies to enumerations`,
          in: `${path}.operator`,
          code: 'operator_type',
        });
      } else {
        filter.values.forEach((value, index) => {
          if (!property.options.includes(value)) {
            details.push({
              message: `"${value}" is not an option of "${filter.property}" (${property.options.join(', ')})`,
              in: `${path}.values.${index}`,
              code: 'unknown_option',
            });
          }
        });
      }
    }
  };
  triggers.forEach((trigger, index) => {
    const definition = checkEvent(trigger.eventName, `triggers.${index}.eventName`);
    trigger.filters.forEach((filter, filterIndex) =>
      checkFilter(definition, filter, `triggers.${index}.filters.${filterIndex}`),
    );
  });
  for (const { step, path } of walkSteps(steps)) {
    const where = `steps.${path.join('.')}`;
    if (step.type === 'webhook') {
      const problem = urlProblem(step.url, policy);
      if (problem) details.push({ message: problem, in: `${where}.url`, code: 'url_not_allowed' });
    }
    if (step.type === 'delayUntilEvent') {
      const definition = checkEvent(step.eventName, `${where}.eventName`);
      if (step.filter) checkFilter(definition, step.filter, `${where}.filter`);
    }
  }
  if (details.length > 0) throw new WorkflowReferenceError(details);
  return [...new Set(names.map((name) => definitions.get(name)!.id))];
}

/** A new per-workflow signing secret. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}
