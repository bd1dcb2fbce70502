/**
 * The typed protocol between the extension's contexts. One map per direction:
 * - `BackgroundProtocol`: requests the background handles (from popup, side panel, content script);
 * - `ContentProtocol`: requests a tab's content script handles (from background, popup, side panel).
 * Every request is validated with its zod schema on arrival, so a malformed message gets a clear
 * error instead of reaching a handler. DOM elements never cross contexts: payloads are plain data.
 */
import { browser, type Browser } from 'wxt/browser';
import { z } from 'zod';
import { t } from './i18n';
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
  clickTriggerSchema,
  type CustomCodeChange,
  type CustomCodeErrorSummary,
  workflowCreateSchema,
  workflowPatchSchema,
  type Delivery,
  type EventDefinition,
  type ErrorDetail,
  type WebhookTestResult,
  type Workflow,
  type DefinitionHealth,
  type TimelineEntry,
  visitorTokenSchema,
  headerLanguageSchema,
  importStartSchema,
  type ContactExport,
  type Enrolment,
  type ImportPreview,
  type ImportStatus,
  type IngestStats,
  LIMITS,
  PROPERTY_NAME_PATTERN,
  originSchema,
  propertyDefinitionInputSchema,
  propertyPatchSchema,
  type AllowedOriginAdded,
} from './shared';
import {
  IMPORT_FILE_NAME_PATTERN,
  MAX_CHUNK_BASE64_LENGTH,
  PANEL_UPLOAD_LIMITS,
  tooLargeForPanelMessage,
} from './imports/panel-upload';
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
 * Re-pick the element of an existing click event (picker mode `element`): `url`, when given, is
 * the page of the event's site to open first (where health saw it break).
 */
export const repickSchema = z.object({ name: eventNameSchema, url: z.string().url().max(2048).optional() });

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
    // The side panel's trigger editor: URL rule, conditions, page properties, another selector.
    trigger: true,
  }),
});
export type DefinitionUpdate = z.input<typeof definitionUpdateSchema>;

/** Events whose last completion one `definitions/activity` request looks up. */
export const MAX_ACTIVITY_EVENTS = 200;

const versionSchema = z.number().int().positive();
const tabIdSchema = z.number().int().nonnegative();
const propertyNameSchema = z
  .string()
  .min(1)
  .max(LIMITS.propertyNameMaxLength)
  .regex(PROPERTY_NAME_PATTERN, 'property must be a property name (^[a-z][a-z0-9_]*$)');

/** Click events one page inspection evaluates at most (the panel sends those of this page first). */
export const MAX_INSPECTED_TRIGGERS = 1000;
const namedTriggersSchema = z
  .array(z.object({ name: eventNameSchema, trigger: clickTriggerSchema }))
  .max(MAX_INSPECTED_TRIGGERS);

/**
 * The side panel's events workspace (issue 10): a definition's properties (each change
 * conditional on the version the user saw), the portal's allowed site origins, and what the
 * click events find on the tab in front.
 */
export const workspaceRequestSchemas = {
  'definitions/property-add': z.object({
    name: eventNameSchema,
    version: versionSchema,
    property: propertyDefinitionInputSchema,
  }),
  'definitions/property-update': z.object({
    name: eventNameSchema,
    version: versionSchema,
    property: propertyNameSchema,
    // The API's own rules; the internal name and the type of a property never change.
    changes: propertyPatchSchema.refine(
      (changes) => changes.name === undefined && changes.type === undefined && changes.version === undefined,
      'the internal name and the type of a property cannot change',
    ),
  }),
  'definitions/property-delete': z.object({
    name: eventNameSchema,
    version: versionSchema,
    property: propertyNameSchema,
  }),
  'origins/list': z.undefined(),
  'origins/add': z.object({ origin: originSchema }),
  'page/inspect': z.object({ tabId: tabIdSchema, triggers: namedTriggersSchema }),
  'page/highlight': z.object({ tabId: tabIdSchema, trigger: clickTriggerSchema.nullable() }),
} as const;

/** What a click trigger finds on a page. */
export interface TriggerMatches {
  /** Whether the page is under the trigger's URL rule. */
  urlMatches: boolean;
  /** Elements its selector and fingerprint find (before conditions). */
  found: number;
  /** Of those, the ones that pass its conditions. */
  passing: number;
}

/** What the side panel learns about the page in front. */
export interface PageInspection {
  href: string;
  origin: string;
  /** `src` of every script on the page that loads a Clicktrail tracker (`…/tracker.js`). */
  trackerScripts: string[];
  /** By event name. */
  matches: Record<string, TriggerMatches>;
}

export interface WorkspaceResponses {
  'definitions/property-add': EventDefinition;
  'definitions/property-update': EventDefinition;
  'definitions/property-delete': EventDefinition;
  'origins/list': string[];
  'origins/add': AllowedOriginAdded;
  'page/inspect': PageInspection;
  /** What the highlighted trigger finds (`null` trigger: highlights cleared, nothing found). */
  'page/highlight': TriggerMatches;
}

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

/** Test mode and selector health (issue 9). */
export const testModeRequestSchemas = {
  /** From the side panel: turn test mode on or off in a tab. */
  'testmode/set': z.object({ tabId: z.number().int().nonnegative(), on: z.boolean() }),
  /** Is test mode on in a tab: the side panel names it, a starting content script asks for its own. */
  'testmode/state': z.object({ tabId: z.number().int().nonnegative() }).optional(),
  /** From the side panel: what the backend received from this browser's visitor token on a site. */
  'testmode/feed': z.object({
    utk: visitorTokenSchema,
    origin: z.string().url().max(2048),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  'definitions/health': z.object({ name: eventNameSchema, days: z.number().int().min(1).max(90) }),
} as const;

/** What the live feed shows of one completion the backend received. */
export interface FeedItem {
  id: string;
  eventName: string;
  eventLabel: string;
  occurredAt: string;
  /** The page it happened on (its `hs_url`). */
  url: string | null;
  properties: TimelineEntry['properties'];
}

export interface TestModeResponses {
  'testmode/set': { on: boolean };
  'testmode/state': { on: boolean };
  /** Newest first; `contactFound` false while the visitor token has no completion yet. */
  'testmode/feed': { contactFound: boolean; items: FeedItem[] };
  'definitions/health': DefinitionHealth;
}

const contactIdSchema = z.string().regex(/^[1-9]\d{0,14}$/, 'contactId must be a contact id');

/** The Contact view's privacy and workflow requests, and the ingest statistics (bots dropped). */
export const contactRequestSchemas = {
  'contacts/export': z.object({ contactId: contactIdSchema }),
  'contacts/erase': z.object({ contactId: contactIdSchema }),
  'contacts/enrolments': z.object({ contactId: contactIdSchema }),
  'privacy/ingest-stats': z.object({ days: z.number().int().min(1).max(400) }),
} as const;

export interface ContactResponses {
  /** Everything the server stores about the contact. */
  'contacts/export': ContactExport;
  'contacts/erase': { erased: true };
  /** The contact's workflow enrolments, newest first, each with its history. */
  'contacts/enrolments': Enrolment[];
  'privacy/ingest-stats': IngestStats;
}

const importIdSchema = z.uuid('id must be an import id');
const uploadIdSchema = z.uuid('uploadId must be an upload id');

/**
 * The import wizard's requests. The file travels in chunks (see lib/imports/panel-upload.ts):
 * `upload-begin` announces it, `upload-chunk` carries each slice in order, `upload-finish` posts it
 * to the server and answers with its preview.
 */
export const importRequestSchemas = {
  'imports/upload-begin': z.object({
    fileName: z
      .string()
      .min(1)
      .max(255)
      .regex(IMPORT_FILE_NAME_PATTERN, 'The file must be a .csv, .xlsx or .xls spreadsheet.'),
    sizeBytes: z
      .number()
      .int()
      .min(1, 'The file is empty.')
      .refine((size) => size <= PANEL_UPLOAD_LIMITS.maxBytes, {
        error: (issue) => tooLargeForPanelMessage(Number(issue.input)),
      }),
    headerLanguage: headerLanguageSchema,
    eventName: z.string().min(1).max(100).optional(),
  }),
  'imports/upload-chunk': z.object({
    uploadId: uploadIdSchema,
    offset: z.number().int().nonnegative(),
    data: z
      .string()
      .min(1)
      .max(MAX_CHUNK_BASE64_LENGTH, 'An upload chunk is larger than 1 MB.')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'An upload chunk must be base64.'),
  }),
  'imports/upload-finish': z.object({ uploadId: uploadIdSchema }),
  'imports/start': z.object({ id: importIdSchema, start: importStartSchema }),
  'imports/status': z.object({ id: importIdSchema }),
  'imports/errors': z.object({ id: importIdSchema }),
  'imports/cancel': z.object({ id: importIdSchema, rollback: z.boolean() }),
  'imports/active': z.undefined(),
  'imports/forget': z.object({ id: importIdSchema }),
} as const;

export interface ImportResponses {
  'imports/upload-begin': { uploadId: string };
  /** Bytes the background holds so far. */
  'imports/upload-chunk': { received: number };
  'imports/upload-finish': ImportPreview;
  'imports/start': ImportStatus;
  'imports/status': ImportStatus;
  /** The error report (every rejected row) as CSV text. */
  'imports/errors': { fileName: string; csv: string };
  'imports/cancel': ImportStatus;
  /** The import the panel last started on this connection and has not dismissed, if any. */
  'imports/active': { id: string } | null;
  'imports/forget': { forgotten: true };
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
  ...contactRequestSchemas,
  ...importRequestSchemas,
  'connection/get': z.undefined(),
  'connection/connect': connectionInputSchema,
  'connection/disconnect': z.undefined(),
  'definitions/list': z.undefined(),
  'definitions/create': eventDefinitionCreateSchema,
  'definitions/update': definitionUpdateSchema,
  'definitions/activity': z.object({ eventTypes: z.array(z.string().min(1)).max(MAX_ACTIVITY_EVENTS) }),
  'picker/start': z.object({
    tabId: z.number().int().nonnegative(),
    mode: pickerModeSchema,
    repick: repickSchema.optional(),
  }),
  'definitions/get': z.object({ name: eventNameSchema }),
  /** A re-pick's save: only the click trigger changes, if the event is still at `version`. */
  'definitions/set-trigger': z.object({
    name: eventNameSchema,
    version: z.number().int().positive(),
    trigger: clickTriggerSchema,
  }),
  'custom-code/history': z.object({ name: eventNameSchema }),
  'custom-code/errors': z.object({ name: eventNameSchema, days: z.number().int().min(1).max(90) }),
  /** Runs unsaved custom code once on a tab's page with a `clicktrail` that only reports (test mode). */
  'custom-code/dry-run': z.object({
    tabId: z.number().int().nonnegative(),
    label: z.string().min(1).max(100),
    code: z
      .string()
      .min(1, 'There is no code to run.')
      .max(LIMITS.customCodeMaxBytes, `Custom code may be at most ${LIMITS.customCodeMaxBytes / 1024} KB.`),
  }),
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
  ...testModeRequestSchemas,
  ...workspaceRequestSchemas,
} as const;

/**
 * What the picker's content script may ask the background for; every other request must come from
 * one of the extension's own pages (popup, side panel). A page the picker runs on is the user's
 * site, not the extension: the less its tab can ask for, the less a compromised page could.
 */
export const CONTENT_SCRIPT_REQUESTS: readonly BackgroundRequestType[] = [
  'definitions/create',
  // Re-pick: load the event, then replace only its trigger.
  'definitions/get',
  'definitions/set-trigger',
  // Re-pick: a page property picked while re-picking becomes a property of the event first.
  'definitions/property-add',
  // Test mode: is it on in my tab, and the definitions to evaluate (read only).
  'testmode/state',
  'definitions/list',
];

export interface BackgroundResponses
  extends AnalyticsResponses, TestModeResponses, ContactResponses, ImportResponses, WorkspaceResponses {
  'connection/get': ConnectionStatus;
  'connection/connect': ConnectionStatus;
  'connection/disconnect': ConnectionStatus;
  'definitions/list': EventDefinition[];
  'definitions/create': EventDefinition;
  'definitions/update': EventDefinition;
  'definitions/get': EventDefinition;
  'definitions/set-trigger': EventDefinition;
  /** By fully qualified name: when each event last fired (ISO 8601), or null if it never did. */
  'definitions/activity': Record<string, string | null>;
  'picker/start': { started: true };
  /** Every change of the event's custom code, newest first. */
  'custom-code/history': CustomCodeChange[];
  /** What the event's code threw on the site over the last `days` days. */
  'custom-code/errors': CustomCodeErrorSummary[];
  /** `error`: what the code threw when it ran (or why it could not run there). */
  'custom-code/dry-run': { ran: true; error?: string };
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
  'picker/start': z.object({ mode: pickerModeSchema, repick: repickSchema.optional() }),
  'picker/stop': z.undefined(),
  'testmode/start': z.undefined(),
  'testmode/stop': z.undefined(),
  /** The page's visitor token (the tracker's first-party cookie) and origin, for the live feed. */
  'testmode/visitor': z.undefined(),
  /** The side panel's look at the page: the tracker's script tags and what each click event finds. */
  'page/inspect': z.object({ triggers: namedTriggersSchema }),
  /** Outline what a click trigger finds (the panel's hover or focus on an event); `null` clears. */
  'page/highlight': z.object({ trigger: clickTriggerSchema.nullable() }),
} as const;

export interface ContentResponses {
  'picker/start': { started: true };
  'picker/stop': { stopped: boolean };
  'testmode/start': { started: true };
  'testmode/stop': { stopped: boolean };
  /** `utk` null when the site's tracker keeps no cookie (not installed, cookieless, no consent yet). */
  'testmode/visitor': { utk: string | null; origin: string };
  'page/inspect': PageInspection;
  'page/highlight': TriggerMatches;
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

/** Any failure as a `MessageErrorData` for the UI (a `MessageError` keeps its code and fields). */
export function errorDataOf(error: unknown, fallback = t('common.somethingWentWrong')): MessageErrorData {
  return error instanceof MessageError
    ? error.toData()
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : fallback };
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
      message: t('sidepanel.noContentScript'),
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
