import { z } from 'zod';
import { EVENT_NAME_PATTERN, PROPERTY_NAME_PATTERN } from './names';
import { LIMITS } from './limits';

/** Limits of workflows (`/automation/v1/workflows`). */
export const WORKFLOW_LIMITS = {
  nameMaxLength: 200,
  triggersMax: 20,
  filtersPerTrigger: 10,
  /** Steps in the whole tree, branches included. */
  stepsMax: 50,
  /** Nesting of delay-until-event branches. */
  branchDepthMax: 5,
  anyOfMax: 100,
  urlMaxLength: 2048,
  /** One year: longer delays are better expressed as a delay until an event. */
  delayMaxSeconds: 366 * 24 * 3600,
  stepIdMaxLength: 40,
} as const;

const STEP_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

const propertyNameSchema = z
  .string()
  .regex(PROPERTY_NAME_PATTERN, 'property must be a property name (^[a-z][a-z0-9_]*$)')
  .max(LIMITS.propertyNameMaxLength, `property must be at most ${LIMITS.propertyNameMaxLength} characters`);

const textValueSchema = z
  .string()
  .max(LIMITS.propertyValueMaxLength, `value must be at most ${LIMITS.propertyValueMaxLength} characters`);

/**
 * A condition on one property of an event completion. A completion without the property never
 * matches (also for `neq`): "not equal to x" is about values that were sent.
 */
export const propertyFilterSchema = z.discriminatedUnion(
  'operator',
  [
    z.object({ property: propertyNameSchema, operator: z.literal('eq'), value: textValueSchema }).strict(),
    z.object({ property: propertyNameSchema, operator: z.literal('neq'), value: textValueSchema }).strict(),
    z
      .object({
        property: propertyNameSchema,
        operator: z.literal('contains'),
        value: textValueSchema.min(1, 'value must not be empty'),
      })
      .strict(),
    z
      .object({ property: propertyNameSchema, operator: z.literal('gt'), value: z.number('value must be a number') })
      .strict(),
    z
      .object({ property: propertyNameSchema, operator: z.literal('lt'), value: z.number('value must be a number') })
      .strict(),
    z
      .object({
        property: propertyNameSchema,
        operator: z.literal('in'),
        values: z
          .array(textValueSchema)
          .min(1, 'values must hold at least one option')
          .max(WORKFLOW_LIMITS.anyOfMax, `values holds at most ${WORKFLOW_LIMITS.anyOfMax} options`),
      })
      .strict(),
  ],
  { error: 'operator must be one of eq, neq, contains, gt, lt, in' },
);
export type PropertyFilter = z.infer<typeof propertyFilterSchema>;
export type FilterOperator = PropertyFilter['operator'];

const eventNameRefSchema = z
  .string()
  .regex(EVENT_NAME_PATTERN, 'eventName must be the internal name of an event (e.g. add_to_cart)')
  .max(LIMITS.eventNameMaxLength);

/** An enrolment trigger: a completion of the event whose properties pass every filter. */
export const workflowTriggerSchema = z
  .object({
    eventName: eventNameRefSchema,
    filters: z
      .array(propertyFilterSchema)
      .max(WORKFLOW_LIMITS.filtersPerTrigger, `a trigger has at most ${WORKFLOW_LIMITS.filtersPerTrigger} filters`)
      .default([]),
  })
  .strict();
export type WorkflowTrigger = z.infer<typeof workflowTriggerSchema>;

const stepIdSchema = z
  .string()
  .regex(STEP_ID_PATTERN, 'id must be letters, digits, "_" or "-"')
  .max(WORKFLOW_LIMITS.stepIdMaxLength);

const webhookUrlSchema = z
  .string()
  .max(WORKFLOW_LIMITS.urlMaxLength, `url must be at most ${WORKFLOW_LIMITS.urlMaxLength} characters`)
  .refine((value) => parseHttpUrl(value) !== undefined, 'url must be an absolute http(s) URL');

export interface WebhookStep {
  id: string;
  type: 'webhook';
  url: string;
}
export interface SetContactPropertyStep {
  id: string;
  type: 'setContactProperty';
  property: string;
  value: string;
}
export interface DelayStep {
  id: string;
  type: 'delay';
  seconds: number;
}
export interface DelayUntilEventStep {
  id: string;
  type: 'delayUntilEvent';
  eventName: string;
  filter?: PropertyFilter;
  /** null: wait as long as possible. */
  maxWaitSeconds: number | null;
  /** Steps when the event occurred in time; then the steps after this one. */
  met: WorkflowStep[];
  /** Steps when the maximum wait passed; then the steps after this one. */
  notMet: WorkflowStep[];
}
export type WorkflowStep = WebhookStep | SetContactPropertyStep | DelayStep | DelayUntilEventStep;
export type WorkflowStepType = WorkflowStep['type'];

/** Input form of a step: the id may be left out and is then given by the server. */
export type WorkflowStepInput =
  | (Omit<WebhookStep, 'id'> & { id?: string })
  | (Omit<SetContactPropertyStep, 'id'> & { id?: string })
  | (Omit<DelayStep, 'id'> & { id?: string })
  | DelayUntilEventStepInput;
export interface DelayUntilEventStepInput {
  id?: string;
  type: 'delayUntilEvent';
  eventName: string;
  filter?: PropertyFilter;
  maxWaitSeconds: number | null;
  met?: WorkflowStepInput[];
  notMet?: WorkflowStepInput[];
}

const secondsSchema = z
  .number('seconds must be a number')
  .int('seconds must be a whole number')
  .min(1, 'seconds must be at least 1')
  .max(WORKFLOW_LIMITS.delayMaxSeconds, `seconds must be at most ${WORKFLOW_LIMITS.delayMaxSeconds} (366 days)`);

export const workflowStepSchema: z.ZodType<WorkflowStepInput> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.object({ id: stepIdSchema.optional(), type: z.literal('webhook'), url: webhookUrlSchema }).strict(),
      z
        .object({
          id: stepIdSchema.optional(),
          type: z.literal('setContactProperty'),
          property: propertyNameSchema,
          value: textValueSchema,
        })
        .strict(),
      z.object({ id: stepIdSchema.optional(), type: z.literal('delay'), seconds: secondsSchema }).strict(),
      z
        .object({
          id: stepIdSchema.optional(),
          type: z.literal('delayUntilEvent'),
          eventName: eventNameRefSchema,
          filter: propertyFilterSchema.optional(),
          maxWaitSeconds: secondsSchema.nullable(),
          met: z.array(workflowStepSchema).default([]),
          notMet: z.array(workflowStepSchema).default([]),
        })
        .strict(),
    ],
    { error: 'type must be one of webhook, setContactProperty, delay, delayUntilEvent' },
  ),
);

const nameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(WORKFLOW_LIMITS.nameMaxLength, `name must be at most ${WORKFLOW_LIMITS.nameMaxLength} characters`);

const triggersSchema = z
  .array(workflowTriggerSchema)
  .max(WORKFLOW_LIMITS.triggersMax, `a workflow has at most ${WORKFLOW_LIMITS.triggersMax} triggers`);

const stepsSchema = z.array(workflowStepSchema).superRefine((steps, ctx) => checkStepTree(steps, ctx));

/** Body of `POST /automation/v1/workflows`. */
export const workflowCreateSchema = z
  .object({
    name: nameSchema,
    enabled: z.boolean().default(false),
    reenrollment: z.boolean().default(false),
    triggers: triggersSchema.default([]),
    steps: stepsSchema.default([]),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.enabled && input.triggers.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['triggers'],
        message: 'a workflow needs a trigger before it is turned on',
      });
    }
  });
export type WorkflowCreate = z.input<typeof workflowCreateSchema>;

/** Body of `PATCH /automation/v1/workflows/{id}`: any subset, conditional on `version` (or If-Match). */
export const workflowPatchSchema = z
  .object({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    reenrollment: z.boolean().optional(),
    triggers: triggersSchema.optional(),
    steps: stepsSchema.optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();
export type WorkflowPatch = z.input<typeof workflowPatchSchema>;

const storedStepSchema: z.ZodType<WorkflowStep> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ id: z.string(), type: z.literal('webhook'), url: z.string() }),
    z.object({ id: z.string(), type: z.literal('setContactProperty'), property: z.string(), value: z.string() }),
    z.object({ id: z.string(), type: z.literal('delay'), seconds: z.number() }),
    z.object({
      id: z.string(),
      type: z.literal('delayUntilEvent'),
      eventName: z.string(),
      filter: propertyFilterSchema.optional(),
      maxWaitSeconds: z.number().nullable(),
      met: z.array(storedStepSchema),
      notMet: z.array(storedStepSchema),
    }),
  ]),
);

export const workflowCountsSchema = z.object({
  enrolled: z.number().int(),
  active: z.number().int(),
  finished: z.number().int(),
  failedDeliveries: z.number().int(),
});
export type WorkflowCounts = z.infer<typeof workflowCountsSchema>;

/** A workflow as the API answers it. */
export const workflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  /** When it was last turned on: only completions stored from then on enrol. */
  enabledAt: z.string().nullable(),
  reenrollment: z.boolean(),
  triggers: z.array(workflowTriggerSchema),
  steps: z.array(storedStepSchema),
  /** Key of the HMAC-SHA256 signature of its webhooks (`X-Clicktrail-Signature`). */
  secret: z.string(),
  version: z.number().int(),
  counts: workflowCountsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workflow = z.infer<typeof workflowSchema>;

export const workflowListSchema = z.object({ results: z.array(workflowSchema) });

export const enrolmentHistoryKindSchema = z.enum([
  'enrolled',
  'step',
  'delayed',
  'waiting',
  'met',
  'notMet',
  'deliveryFailed',
  'finished',
  'unenrolled',
]);
export type EnrolmentHistoryKind = z.infer<typeof enrolmentHistoryKindSchema>;

export const enrolmentStatusSchema = z.enum(['active', 'waiting', 'finished', 'unenrolled']);

/** One enrolment of a contact in a workflow, with what happened to it. */
export const enrolmentSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  contactId: z.string(),
  status: enrolmentStatusSchema,
  /** The step it is at (or waiting in); null once finished. */
  stepId: z.string().nullable(),
  /** When its next step is due (delay, wait deadline, webhook retry); null when not scheduled. */
  nextRunAt: z.string().nullable(),
  enrolledAt: z.string(),
  finishedAt: z.string().nullable(),
  history: z.array(
    z.object({
      at: z.string(),
      kind: enrolmentHistoryKindSchema,
      stepId: z.string().nullable(),
      detail: z.string().nullable(),
    }),
  ),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;
export const enrolmentListSchema = z.object({ results: z.array(enrolmentSchema) });

export const deliveryStatusSchema = z.enum(['pending', 'retrying', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** One webhook delivery (all its attempts) in the delivery log. */
export const deliverySchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  enrolmentId: z.string(),
  contactId: z.string(),
  stepId: z.string(),
  url: z.string(),
  idempotencyKey: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  /** HTTP status of the last attempt that got an answer. */
  responseStatus: z.number().int().nullable(),
  /** Duration of the last attempt in milliseconds. */
  latencyMs: z.number().int().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;
export const deliveryListSchema = z.object({
  results: z.array(deliverySchema),
  paging: z.object({ next: z.object({ after: z.string() }) }).optional(),
});

/** Answer of `POST /automation/v1/workflows/{id}/test`: one attempt with a sample payload. */
export const webhookTestResultSchema = z.object({
  stepId: z.string(),
  url: z.string(),
  ok: z.boolean(),
  responseStatus: z.number().int().nullable(),
  latencyMs: z.number().int(),
  /** The start of the response body (at most 2,000 characters). */
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
});
export type WebhookTestResult = z.infer<typeof webhookTestResultSchema>;

// --- Pure helpers ----------------------------------------------------------------------------------

/** The URL when it is an absolute http(s) URL without credentials, else undefined. */
export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.username || url.password) return undefined;
    return url;
  } catch {
    return undefined;
  }
}

/** Whether a completion's properties pass one filter (a missing property never does). */
export function matchesFilter(properties: Readonly<Record<string, string | number | boolean>>, filter: PropertyFilter) {
  const raw = properties[filter.property];
  if (raw === undefined) return false;
  const text = String(raw);
  switch (filter.operator) {
    case 'eq':
      return text === filter.value;
    case 'neq':
      return text !== filter.value;
    case 'contains':
      return text.toLowerCase().includes(filter.value.toLowerCase());
    case 'gt':
    case 'lt': {
      const number = typeof raw === 'number' ? raw : text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(number)) return false;
      return filter.operator === 'gt' ? number > filter.value : number < filter.value;
    }
    case 'in':
      return filter.values.includes(text);
  }
}

/** Whether properties pass every filter (filters of one trigger are AND-ed). */
export function matchesFilters(
  properties: Readonly<Record<string, string | number | boolean>>,
  filters: readonly PropertyFilter[],
): boolean {
  return filters.every((filter) => matchesFilter(properties, filter));
}

/** Every step of a tree, depth first, with its path (`steps.2.met.0`) for error messages. */
export function* walkSteps<S extends { type: string; met?: S[]; notMet?: S[] }>(
  steps: readonly S[],
  path: (string | number)[] = [],
  depth = 0,
): Generator<{ step: S; path: (string | number)[]; depth: number }> {
  for (const [index, step] of steps.entries()) {
    const here = [...path, index];
    yield { step, path: here, depth };
    if (step.type === 'delayUntilEvent') {
      yield* walkSteps(step.met ?? [], [...here, 'met'], depth + 1);
      yield* walkSteps(step.notMet ?? [], [...here, 'notMet'], depth + 1);
    }
  }
}

function checkStepTree(steps: readonly WorkflowStepInput[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  let count = 0;
  for (const { step, path, depth } of walkSteps(steps as (WorkflowStepInput & { type: string })[])) {
    count++;
    if (depth >= WORKFLOW_LIMITS.branchDepthMax) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `branches nest at most ${WORKFLOW_LIMITS.branchDepthMax} deep`,
      });
    }
    if (step.id === undefined) continue;
    const earlier = seen.get(step.id);
    if (earlier !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `id "${step.id}" is already used by ${earlier}` });
    }
    seen.set(step.id, `steps.${path.join('.')}`);
  }
  if (count > WORKFLOW_LIMITS.stepsMax) {
    ctx.addIssue({ code: 'custom', path: [], message: `a workflow has at most ${WORKFLOW_LIMITS.stepsMax} steps` });
  }
}

/** Gives every step without an id a fresh one (`s1`, `s2`, ... not used elsewhere in the tree). */
export function assignStepIds(steps: readonly WorkflowStepInput[]): WorkflowStep[] {
  const used = new Set<string>();
  for (const { step } of walkSteps(steps as (WorkflowStepInput & { type: string })[])) {
    if (step.id !== undefined) used.add(step.id);
  }
  let counter = 0;
  const fresh = () => {
    let id: string;
    do id = `s${++counter}`;
    while (used.has(id));
    used.add(id);
    return id;
  };
  const assign = (list: readonly WorkflowStepInput[]): WorkflowStep[] =>
    list.map((step): WorkflowStep => {
      const id = step.id ?? fresh();
      if (step.type === 'delayUntilEvent') {
        return { ...step, id, met: assign(step.met ?? []), notMet: assign(step.notMet ?? []) };
      }
      return { ...step, id };
    });
  return assign(steps);
}
