/**
 * The typed protocol between the extension's contexts. One map per direction:
 * - `BackgroundProtocol`: requests the background handles (from popup, side panel, content script);
 * - `ContentProtocol`: requests a tab's content script handles (from background, popup, side panel).
 * Every request is validated with its zod schema on arrival, so a malformed message gets a clear
 * error instead of reaching a handler. DOM elements never cross contexts: payloads are plain data.
 */
import { browser, type Browser } from 'wxt/browser';
import { z } from 'zod';
import {
  ANALYTICS_LIMITS,
  eventDefinitionCreateSchema,
  intervalSchema,
  localDateSchema,
  parseFunnelWindow,
  timeZoneSchema,
  weekStartSchema,
  type Breakdown,
  type Contact,
  type Funnel,
  type MultiSeries,
  type Timeline,
  eventDefinitionPatchSchema,
  eventNameSchema,
  type CustomCodeChange,
  type CustomCodeErrorSummary,
  workflowCreateSchema,
  workflowPatchSchema,
  type Delivery,
  type EventDefinition,
  type ErrorDetail,
  type WebhookTestResult,
  type Workflow,
} from './shared';
import { CLEARTEXT_WARNING, isCleartextRemote } from './backend/backend-origin';

/** Bumped on incompatible changes; a message of another version is refused with a clear error. */
export const PROTOCOL_VERSION = 1;

export const connectionInputSchema = z
  .object({
    baseUrl: z
      .string()
      .trim()
      .url('Enter the backend URL, e.g. http://localhost:8787')
      .refine((value) => /^https?:\/\//i.test(value), 'The backend URL must start with http:// or https://'),
    apiKey: z.string().trim().min(1, 'Enter the API key the server printed'),
    /** The user confirmed sending the API key over plain http:// to a host other than this computer. */
    allowCleartext: z.boolean().optional(),
  })
  .refine((input) => input.allowCleartext === true || !isCleartextRemote(input.baseUrl), {
    path: ['baseUrl'],
    message: CLEARTEXT_WARNING,
  });
export type ConnectionInput = z.infer<typeof connectionInputSchema>;

/** What the extension knows about its backend connection. */
export interface ConnectionStatus {
  connected: boolean;
  baseUrl?: string;
  portalId?: number;
  portalName?: string;
}

export const pickerModeSchema = z.enum(['element', 'pageview']);
export type PickerMode = z.infer<typeof pickerModeSchema>;

/**
 * A change to one definition from the side panel: label, description, archived (archive and its
 * undo), paused, or the custom code of a custom-script event. `version` is the one the user saw; the server refuses the write (409) if the event
 * changed since.
 */
export const definitionUpdateSchema = z.object({
  name: z.string().min(1),
  version: z.number().int().positive(),
  changes: eventDefinitionPatchSchema.pick({
    label: true,
    description: true,
    archived: true,
    paused: true,
    customCode: true,
  }),
});
export type DefinitionUpdate = z.input<typeof definitionUpdateSchema>;

/** Events whose last completion one `definitions/activity` request looks up. */
export const MAX_ACTIVITY_EVENTS = 200;

const eventNameListSchema = (min: number, max: number) => z.array(z.string().min(1).max(100)).min(min).max(max);

/** The date range of every analytics message: inclusive local dates in a time zone. */
const analyticsRangeShape = { from: localDateSchema('from'), to: localDateSchema('to'), timeZone: timeZoneSchema };

/** Analytics and contact requests the side panel's Analyze and Contact views send. */
export const analyticsRequestSchemas = {
  'analytics/series': z.object({
    ...analyticsRangeShape,
    eventNames: eventNameListSchema(1, ANALYTICS_LIMITS.maxSeriesEvents),
    interval: intervalSchema,
    weekStart: weekStartSchema.optional(),
  }),
  'analytics/breakdown': z.object({
    ...analyticsRangeShape,
    eventName: z.string().min(1).max(100),
    property: z.string().min(1).max(100),
    limit: z.number().int().min(1).max(ANALYTICS_LIMITS.breakdownMaxLimit).optional(),
  }),
  'analytics/funnel': z.object({
    ...analyticsRangeShape,
    steps: eventNameListSchema(ANALYTICS_LIMITS.funnelMinSteps, ANALYTICS_LIMITS.funnelMaxSteps),
    window: z.string().refine((value) => parseFunnelWindow(value) !== undefined, 'window must be like P7D'),
  }),
  'contacts/find': z.object({ email: z.string().trim().toLowerCase().email('Enter an email address') }),
  'contacts/timeline': z.object({
    contactId: z.string().regex(/^\d+$/, 'contactId must be a contact id'),
    eventNames: eventNameListSchema(0, 50).optional(),
    after: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(ANALYTICS_LIMITS.timelineMaxLimit).optional(),
  }),
} as const;

export interface AnalyticsResponses {
  'analytics/series': MultiSeries;
  'analytics/breakdown': Breakdown;
  'analytics/funnel': Funnel;
  /** Null when the portal has no contact with that email. */
  'contacts/find': Contact | null;
  'contacts/timeline': Timeline;
}

const workflowIdSchema = z.string().regex(/^\d+$/, 'id must be a workflow id');

/** A change to a workflow from the side panel, conditional on the version the user saw. */
export const workflowUpdateSchema = z.object({
  id: workflowIdSchema,
  version: z.number().int().positive(),
  changes: workflowPatchSchema.omit({ version: true }),
});
export type WorkflowUpdate = z.input<typeof workflowUpdateSchema>;

export const backgroundRequestSchemas = {
  ...analyticsRequestSchemas,
  'connection/get': z.undefined(),
  'connection/connect': connectionInputSchema,
  'connection/disconnect': z.undefined(),
  'definitions/list': z.undefined(),
  'definitions/create': eventDefinitionCreateSchema,
  'definitions/update': definitionUpdateSchema,
  'definitions/activity': z.object({ eventTypes: z.array(z.string().min(1)).max(MAX_ACTIVITY_EVENTS) }),
  'picker/start': z.object({ tabId: z.number().int().nonnegative(), mode: pickerModeSchema }),
  'custom-code/history': z.object({ name: eventNameSchema }),
  'custom-code/errors': z.object({ name: eventNameSchema, days: z.number().int().min(1).max(90) }),
  'workflows/list': z.undefined(),
  'workflows/create': workflowCreateSchema,
  'workflows/update': workflowUpdateSchema,
  'workflows/delete': z.object({ id: workflowIdSchema, version: z.number().int().positive() }),
  'workflows/test': z.object({ id: workflowIdSchema, stepId: z.string().min(1).optional() }),
  'workflows/deliveries': z.object({ id: workflowIdSchema }),
  'workflows/retry': z.object({
    id: workflowIdSchema,
    deliveryId: z.string().regex(/^\d+$/, 'deliveryId must be a delivery id'),
  }),
} as const;

/**
 * What the picker's content script may ask the background for; every other request must come from
 * one of the extension's own pages (popup, side panel). A page the picker runs on is the user's
 * site, not the extension: the less its tab can ask for, the less a compromised page could.
 */
export const CONTENT_SCRIPT_REQUESTS: readonly BackgroundRequestType[] = ['definitions/create'];

export interface BackgroundResponses extends AnalyticsResponses {
  'connection/get': ConnectionStatus;
  'connection/connect': ConnectionStatus;
  'connection/disconnect': ConnectionStatus;
  'definitions/list': EventDefinition[];
  'definitions/create': EventDefinition;
  'definitions/update': EventDefinition;
  /** By fully qualified name: when each event last fired (ISO 8601), or null if it never did. */
  'definitions/activity': Record<string, string | null>;
  'picker/start': { started: true };
  /** Every change of the event's custom code, newest first. */
  'custom-code/history': CustomCodeChange[];
  /** What the event's code threw on the site over the last `days` days. */
  'custom-code/errors': CustomCodeErrorSummary[];
  'workflows/list': Workflow[];
  'workflows/create': Workflow;
  'workflows/update': Workflow;
  'workflows/delete': { deleted: true };
  'workflows/test': WebhookTestResult;
  /** The newest deliveries first. */
  'workflows/deliveries': Delivery[];
  'workflows/retry': Delivery;
}

export const contentRequestSchemas = {
  'picker/start': z.object({ mode: pickerModeSchema }),
  'picker/stop': z.undefined(),
} as const;

export interface ContentResponses {
  'picker/start': { started: true };
  'picker/stop': { stopped: boolean };
}

export type BackgroundRequestType = keyof typeof backgroundRequestSchemas;
export type ContentRequestType = keyof typeof contentRequestSchemas;
export type BackgroundRequest<T extends BackgroundRequestType> = z.input<(typeof backgroundRequestSchemas)[T]>;
export type ContentRequest<T extends ContentRequestType> = z.input<(typeof contentRequestSchemas)[T]>;

/** An error that crosses contexts: a message for the user plus field-level details. */
export interface MessageErrorData {
  message: string;
  code: string;
  fields?: ErrorDetail[];
}

export class MessageError extends Error {
  readonly code: string;
  readonly fields: ErrorDetail[];
  constructor(data: MessageErrorData) {
    super(data.message);
    this.name = 'MessageError';
    this.code = data.code;
    this.fields = data.fields ?? [];
  }
  toData(): MessageErrorData {
    return { message: this.message, code: this.code, fields: this.fields };
  }
}

interface Envelope {
  protocol: number;
  target: 'background' | 'content';
  type: string;
  payload: unknown;
}

type Reply<R> = { ok: true; data: R } | { ok: false; error: MessageErrorData };

type SchemaMap = Record<string, z.ZodType>;

/**
 * Decides whether a sender may make a request: `undefined` to accept it, or the reason it is
 * refused (logged by the receiver and sent back as a `FORBIDDEN_SENDER` error).
 */
export type SenderCheck = (
  type: string,
  sender: Browser.runtime.MessageSender,
) => string | undefined | Promise<string | undefined>;
type Handlers<S extends SchemaMap, R extends Record<keyof S, unknown>> = {
  [K in keyof S]: (payload: z.output<S[K]>, sender: Browser.runtime.MessageSender) => Promise<R[K]> | R[K];
};

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && 'protocol' in value && 'target' in value && 'type' in value;
}

function unwrap<R>(reply: unknown, type: string): R {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new MessageError({ code: 'NO_RECEIVER', message: `Nothing answered the "${type}" request.` });
  }
  const typed = reply as Reply<R>;
  if (!typed.ok) throw new MessageError(typed.error);
  return typed.data;
}

/** Sends a request to the background and returns its answer; failures throw `MessageError`. */
export async function sendToBackground<T extends BackgroundRequestType>(
  type: T,
  ...payload: BackgroundRequest<T> extends undefined ? [] : [BackgroundRequest<T>]
): Promise<BackgroundResponses[T]> {
  const envelope: Envelope = { protocol: PROTOCOL_VERSION, target: 'background', type, payload: payload[0] };
  return unwrap<BackgroundResponses[T]>(await browser.runtime.sendMessage(envelope), type);
}

/** Sends a request to the content script of a tab; failures throw `MessageError`. */
export async function sendToTab<T extends ContentRequestType>(
  tabId: number,
  type: T,
  ...payload: ContentRequest<T> extends undefined ? [] : [ContentRequest<T>]
): Promise<ContentResponses[T]> {
  const envelope: Envelope = { protocol: PROTOCOL_VERSION, target: 'content', type, payload: payload[0] };
  let reply: unknown;
  try {
    // The top frame's picker only: it is the one the background injects.
    reply = await browser.tabs.sendMessage(tabId, envelope, { frameId: 0 });
  } catch {
    throw new MessageError({
      code: 'NO_CONTENT_SCRIPT',
      message: 'Clicktrail cannot reach this page. Reload the page and try again (browser pages cannot be tracked).',
    });
  }
  return unwrap<ContentResponses[T]>(reply, type);
}

/**
 * Handles one message: validates envelope and payload, runs the handler, and turns every
 * failure into a serialisable error reply. Exported for tests; use `listen` in entrypoints.
 */
export async function dispatch<S extends SchemaMap, R extends Record<keyof S, unknown>>(
  target: Envelope['target'],
  schemas: S,
  handlers: Handlers<S, R>,
  message: Envelope,
  sender: Browser.runtime.MessageSender,
  checkSender?: SenderCheck,
): Promise<Reply<unknown>> {
  try {
    const refusal = await checkSender?.(String(message.type), sender);
    if (refusal !== undefined) {
      console.warn(`Clicktrail refused a "${String(message.type)}" ${target} request: ${refusal}`);
      throw new MessageError({
        code: 'FORBIDDEN_SENDER',
        message: `Clicktrail does not take this request from here: ${refusal}`,
      });
    }
    if (message.protocol !== PROTOCOL_VERSION) {
      throw new MessageError({
        code: 'PROTOCOL_MISMATCH',
        message: `Message protocol ${String(message.protocol)} is not supported (expected ${PROTOCOL_VERSION}); reload the extension.`,
      });
    }
    if (!Object.hasOwn(schemas, message.type)) {
      throw new MessageError({ code: 'UNKNOWN_MESSAGE', message: `Unknown ${target} request "${message.type}".` });
    }
    const type = message.type as keyof S & string;
    const parsed = schemas[type]!.safeParse(message.payload);
    if (!parsed.success) {
      throw new MessageError({
        code: 'INVALID_MESSAGE',
        message: parsed.error.issues[0]?.message ?? `Invalid "${type}" request.`,
        fields: parsed.error.issues.map((issue) => ({
          message: issue.message,
          in: issue.path.map(String).join('.') || 'payload',
          code: issue.code,
        })),
      });
    }
    const data = await handlers[type](parsed.data as z.output<S[typeof type]>, sender);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof MessageError) return { ok: false, error: error.toData() };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: error instanceof Error ? error.message : 'Unexpected error.' },
    };
  }
}

function listen<S extends SchemaMap, R extends Record<keyof S, unknown>>(
  target: Envelope['target'],
  schemas: S,
  handlers: Handlers<S, R>,
  signal?: AbortSignal,
  checkSender?: SenderCheck,
): void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (r: unknown) => void) => {
    if (!isEnvelope(message) || message.target !== target) return false;
    // sendResponse + `return true` works in every Chrome and Firefox version, unlike returning a promise.
    void dispatch(target, schemas, handlers, message, sender, checkSender).then(sendResponse);
    return true;
  };
  browser.runtime.onMessage.addListener(listener);
  signal?.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener));
}

/**
 * Registers the background's handlers; every request type must have one. `checkSender` refuses
 * requests from anything but the extension's pages and the tabs the user started Clicktrail on.
 */
export function listenInBackground(
  handlers: Handlers<typeof backgroundRequestSchemas, BackgroundResponses>,
  checkSender: SenderCheck,
  signal?: AbortSignal,
): void {
  listen('background', backgroundRequestSchemas, handlers, signal, checkSender);
}

/** Registers a content script's handlers; every request type must have one. Only this extension may ask. */
export function listenInContent(
  handlers: Handlers<typeof contentRequestSchemas, ContentResponses>,
  signal?: AbortSignal,
): void {
  listen('content', contentRequestSchemas, handlers, signal, (_type, sender) =>
    sender.id === browser.runtime.id ? undefined : `it comes from ${sender.id ?? 'outside the extension'}`,
  );
}
