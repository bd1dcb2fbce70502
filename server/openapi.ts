/**
 * The OpenAPI document served at `/openapi.json`, generated from the same zod schemas that
 * validate requests (lib/shared), so the documentation cannot drift from the server.
 */
import { z } from 'zod';
import {
  accountDetailsSchema,
  apiErrorSchema,
  breakdownQuerySchema,
  breakdownSchema,
  contactQuerySchema,
  contactSchema,
  funnelQuerySchema,
  funnelSchema,
  multiSeriesQuerySchema,
  multiSeriesSchema,
  seriesQuerySchema,
  seriesSchema,
  timelineQuerySchema,
  timelineSchema,
  collectBodySchema,
  collectEventSchema,
  collectResultSchema,
  customCodeErrorsBodySchema,
  customCodeErrorsSchema,
  customCodeHistorySchema,
  contactExportSchema,
  erasureListSchema,
  ingestStatsSchema,
  privacySettingsPatchSchema,
  privacySettingsSchema,
  definitionHealthSchema,
  trackingSettingsSchema,
  trackingSettingsPatchSchema,
  allowedOriginAddSchema,
  allowedOriginAddedSchema,
  allowedOriginsSchema,
  completionBatchSchema,
  completionInputSchema,
  completionListSchema,
  completionQuerySchema,
  eventTypesSchema,
  trackerConfigSchema,
  elementTriggerSchema,
  eventDefinitionCreateSchema,
  eventDefinitionListSchema,
  eventDefinitionPatchSchema,
  eventDefinitionSchema,
  propertyDefinitionInputSchema,
  propertyDefinitionSchema,
  propertyPatchSchema,
  triggerSchema,
  deliveryListSchema,
  deliverySchema,
  enrolmentListSchema,
  importCancelSchema,
  importPreviewSchema,
  importStartSchema,
  importStatusSchema,
  webhookTestResultSchema,
  workflowCreateSchema,
  workflowListSchema,
  workflowPatchSchema,
  workflowSchema,
  IMPORT_LIMITS,
} from '../lib/shared';

type SchemaMap = Record<string, z.ZodType>;

/** Named schemas, in `components.schemas`. */
const COMPONENTS: SchemaMap = {
  EventDefinitionCreate: eventDefinitionCreateSchema,
  EventDefinitionPatch: eventDefinitionPatchSchema,
  EventDefinition: eventDefinitionSchema,
  EventDefinitionList: eventDefinitionListSchema,
  PropertyDefinitionInput: propertyDefinitionInputSchema,
  PropertyPatch: propertyPatchSchema,
  PropertyDefinition: propertyDefinitionSchema,
  Trigger: triggerSchema,
  ElementTrigger: elementTriggerSchema,
  AccountDetails: accountDetailsSchema,
  CompletionInput: completionInputSchema,
  CompletionBatch: completionBatchSchema,
  CompletionList: completionListSchema,
  EventTypes: eventTypesSchema,
  TrackerConfig: trackerConfigSchema,
  CollectBody: collectBodySchema,
  CollectEvent: collectEventSchema,
  CollectResult: collectResultSchema,
  CustomCodeHistory: customCodeHistorySchema,
  CustomCodeErrors: customCodeErrorsSchema,
  CustomCodeErrorsBody: customCodeErrorsBodySchema,
  PrivacySettings: privacySettingsSchema,
  DefinitionHealth: definitionHealthSchema,
  TrackingSettings: trackingSettingsSchema,
  TrackingSettingsPatch: trackingSettingsPatchSchema,
  AllowedOrigins: allowedOriginsSchema,
  AllowedOriginAdd: allowedOriginAddSchema,
  AllowedOriginAdded: allowedOriginAddedSchema,
  PrivacySettingsPatch: privacySettingsPatchSchema,
  IngestStats: ingestStatsSchema,
  ContactExport: contactExportSchema,
  ErasureList: erasureListSchema,
  Series: seriesSchema,
  MultiSeries: multiSeriesSchema,
  Breakdown: breakdownSchema,
  Funnel: funnelSchema,
  Contact: contactSchema,
  Timeline: timelineSchema,
  ImportPreview: importPreviewSchema,
  ImportStart: importStartSchema,
  ImportStatus: importStatusSchema,
  ImportCancel: importCancelSchema,
  WorkflowCreate: workflowCreateSchema,
  WorkflowPatch: workflowPatchSchema,
  Workflow: workflowSchema,
  WorkflowList: workflowListSchema,
  EnrolmentList: enrolmentListSchema,
  Delivery: deliverySchema,
  DeliveryList: deliveryListSchema,
  WebhookTestResult: webhookTestResultSchema,
  Error: apiErrorSchema,
};

const ref = (name: keyof typeof COMPONENTS) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { description: ERROR_TEXT[status] ?? 'Error', ...json('Error') }]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request; `errors[].in` names each field that is wrong',
  401: 'Missing, unknown or revoked API key',
  404: 'No such event definition or property in this portal',
  409: 'Name already used, or the write was conditional on a stale version',
  413: 'Body larger than 1 MB',
  429: 'Too many requests',
};
const eventName = { name: 'eventName', in: 'path', required: true, schema: { type: 'string' } };
const portalId = { name: 'portalId', in: 'path', required: true, schema: { type: 'integer' } };
const propertyName = { name: 'propertyName', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Apply the write only if the definition is still at this version, e.g. `"3"`; else 409.',
  schema: { type: 'string' },
};
const noContent = { description: 'Done' };
const importId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const workflowId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } };
const enrolmentLimit = {
  name: 'limit',
  in: 'query',
  schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
};
const contactId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

/** Query parameters from the fields of a zod object schema (all optional strings on the wire). */
function queryParameters(schema: z.ZodObject): object[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    ...((field as z.ZodType).description ? { description: (field as z.ZodType).description } : {}),
    schema: { type: 'string' },
  }));
}

/** Every documented route; a test checks this against the app's routes. */
const PATHS: Record<string, object> = {
  '/events/v3/event-definitions': {
    get: {
      summary: 'List event definitions',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'after', in: 'query', description: 'Cursor from `paging.next.after`', schema: { type: 'string' } },
        { name: 'includeArchived', in: 'query', schema: { type: 'boolean', default: false } },
      ],
      responses: { 200: { description: 'One page', ...json('EventDefinitionList') }, ...errors(400, 401) },
    },
    post: {
      summary: 'Create an event definition',
      description:
        'The internal `name` is derived from the label when absent; `name` and `primaryObject` are immutable.',
      requestBody: { required: true, ...json('EventDefinitionCreate') },
      responses: { 201: { description: 'Created', ...json('EventDefinition') }, ...errors(400, 401, 409, 413) },
    },
  },
  '/events/v3/event-definitions/{eventName}': {
    parameters: [eventName],
    get: {
      summary: 'Read an event definition (ETag = version)',
      responses: { 200: { description: 'The definition', ...json('EventDefinition') }, ...errors(401, 404) },
    },
    patch: {
      summary: 'Update label, description, trigger or archive state',
      parameters: [ifMatch],
      requestBody: { required: true, ...json('EventDefinitionPatch') },
      responses: { 200: { description: 'Updated', ...json('EventDefinition') }, ...errors(400, 401, 404, 409) },
    },
    delete: {
      summary: 'Archive an event definition (restore with PATCH {"archived": false})',
      parameters: [ifMatch],
      responses: { 204: noContent, ...errors(401, 404, 409) },
    },
  },
  '/events/v3/event-definitions/{eventName}/custom-code/history': {
    parameters: [eventName],
    get: {
      summary: "Every change of a custom-script event's code, newest first, with the API key that made it",
      responses: { 200: { description: 'History', ...json('CustomCodeHistory') }, ...errors(401, 404) },
    },
  },
  '/events/v3/event-definitions/{eventName}/custom-code/errors': {
    parameters: [eventName],
    get: {
      summary: "Errors the event's custom code threw on the site, per UTC day, page path and error name",
      parameters: [
        {
          name: 'days',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 90, default: 7 },
        },
      ],
      responses: { 200: { description: 'Error counts', ...json('CustomCodeErrors') }, ...errors(400, 401, 404) },
    },
  },
  '/events/v3/event-definitions/{eventName}/health': {
    parameters: [eventName],
    get: {
      summary:
        "Selector health from the tracker's sampled page views: how often the click trigger found its element, and by which signal, overall and per page path",
      parameters: [
        {
          name: 'days',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 90, default: 7 },
        },
      ],
      responses: { 200: { description: 'Health counts', ...json('DefinitionHealth') }, ...errors(400, 401, 404) },
    },
  },
  '/events/v3/event-definitions/{eventName}/property': {
    parameters: [eventName],
    post: {
      summary: 'Add a property',
      parameters: [ifMatch],
      requestBody: { required: true, ...json('PropertyDefinitionInput') },
      responses: { 201: { description: 'Created', ...json('PropertyDefinition') }, ...errors(400, 401, 404, 409) },
    },
  },
  '/events/v3/event-definitions/{eventName}/property/{propertyName}': {
    parameters: [eventName, propertyName],
    patch: {
      summary: 'Edit a property (label, description, options; name and type are immutable)',
      parameters: [ifMatch],
      requestBody: { required: true, ...json('PropertyPatch') },
      responses: { 200: { description: 'Updated', ...json('PropertyDefinition') }, ...errors(400, 401, 404, 409) },
    },
    delete: {
      summary: 'Delete a property',
      parameters: [ifMatch],
      responses: { 204: noContent, ...errors(401, 404, 409) },
    },
  },
  '/events/v3/send': {
    post: {
      summary: 'Send one event completion (stored before the 204)',
      requestBody: { required: true, ...json('CompletionInput') },
      responses: { 204: { description: 'Stored (or already stored under this uuid)' }, ...errors(400, 401, 413) },
    },
  },
  '/events/v3/send/batch': {
    post: {
      summary: 'Send up to 500 completions; all are stored or none',
      requestBody: { required: true, ...json('CompletionBatch') },
      responses: { 204: { description: 'All stored' }, ...errors(400, 401, 413) },
    },
  },
  '/events/v3/events': {
    get: {
      summary: 'Read completions, newest first (sort=occurredAt for oldest first)',
      description:
        'Every route also answers with a trailing slash (`/events/v3/events/`), as HubSpot clients call it. ' +
        'Unknown parameters are a 400 naming them, never ignored.',
      parameters: [
        ...queryParameters(completionQuerySchema),
        {
          name: 'property.{name}',
          in: 'query',
          required: false,
          description: 'Only completions whose property `{name}` has exactly this value (up to 10 such filters).',
          schema: { type: 'string' },
        },
        {
          name: 'objectProperty.email',
          in: 'query',
          required: false,
          description: 'Only the completions of the contact with this email (other record properties: 400).',
          schema: { type: 'string' },
        },
      ],
      responses: { 200: { description: 'One page', ...json('CompletionList') }, ...errors(400, 401) },
    },
  },
  '/events/v3/events/event-types': {
    get: {
      summary: "The fully qualified names of the portal's events (archived ones included)",
      responses: { 200: { description: 'Event types', ...json('EventTypes') }, ...errors(401) },
    },
  },
  '/t/{portalId}/config': {
    parameters: [portalId],
    get: {
      summary: "The tracker's view of the portal: active click and page-view definitions (ETag, no API key)",
      security: [],
      responses: {
        200: { description: 'Config', ...json('TrackerConfig') },
        304: { description: 'Unchanged since If-None-Match' },
        ...errors(403, 404, 429),
      },
    },
  },
  '/t/{portalId}/collect': {
    parameters: [portalId],
    post: {
      summary: 'Completions from the site tracker (text/plain JSON, lenient like the JS API, no API key)',
      security: [],
      requestBody: { required: true, content: { 'text/plain': { schema: ref('CollectBody') } } },
      responses: {
        200: { description: 'Stored and left-out events', ...json('CollectResult') },
        ...errors(400, 403, 404, 429),
      },
    },
  },
  '/t/{portalId}/custom.js': {
    parameters: [portalId],
    get: {
      summary:
        "The active custom code of the portal's events as one script, for allowed origins only (ETag; cacheable for good with ?v= from the config)",
      security: [],
      responses: {
        200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } },
        304: { description: 'Unchanged since If-None-Match' },
        ...errors(403, 404, 429),
      },
    },
  },
  '/t/{portalId}/errors': {
    parameters: [portalId],
    post: {
      summary: 'Errors custom code threw on the site (text/plain JSON, no API key); unknown events are ignored',
      security: [],
      requestBody: { required: true, content: { 'text/plain': { schema: ref('CustomCodeErrorsBody') } } },
      responses: {
        200: { description: 'Counted and ignored reports' },
        ...errors(400, 403, 404, 429),
      },
    },
  },
  '/settings/v1/privacy': {
    get: {
      summary: "The portal's privacy settings: consent mode, retention, Do Not Track, bots",
      responses: { 200: { description: 'Settings', ...json('PrivacySettings') }, ...errors(401) },
    },
    patch: {
      summary: 'Change any of the privacy settings; the others keep their values',
      requestBody: { required: true, ...json('PrivacySettingsPatch') },
      responses: { 200: { description: 'The new settings', ...json('PrivacySettings') }, ...errors(400, 401) },
    },
  },
  '/settings/v1/tracking': {
    get: {
      summary: "The portal's tracking settings: the share of page views whose selector health the tracker reports",
      responses: { 200: { description: 'Settings', ...json('TrackingSettings') }, ...errors(401) },
    },
    patch: {
      summary: 'Change the tracking settings',
      requestBody: { required: true, ...json('TrackingSettingsPatch') },
      responses: { 200: { description: 'The new settings', ...json('TrackingSettings') }, ...errors(400, 401) },
    },
  },
  '/settings/v1/origins': {
    get: {
      summary: "The portal's allowed site origins: pages there may load the tracker config and send events",
      responses: { 200: { description: 'Origins, sorted', ...json('AllowedOrigins') }, ...errors(401) },
    },
    post: {
      summary: 'Allow a site origin (what `npm run server -- origins add` does); adding one already allowed is a no-op',
      requestBody: { required: true, ...json('AllowedOriginAdd') },
      responses: {
        201: { description: 'Added', ...json('AllowedOriginAdded') },
        200: { description: 'It was already allowed', ...json('AllowedOriginAdded') },
        ...errors(400, 401),
      },
    },
    delete: {
      summary: 'Stop accepting tracker requests from a site origin',
      parameters: [{ name: 'origin', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { 204: { description: 'Removed' }, ...errors(400, 401, 404) },
    },
  },
  '/settings/v1/privacy/ingest-stats': {
    get: {
      summary: 'Completions the collect endpoint dropped (bots), per UTC day',
      parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 400, default: 30 } }],
      responses: { 200: { description: 'Counts', ...json('IngestStats') }, ...errors(400, 401) },
    },
  },
  '/contacts/v1/contacts': {
    get: {
      summary: 'Find a contact by email or utk',
      parameters: queryParameters(contactQuerySchema),
      responses: { 200: { description: 'The contact', ...json('Contact') }, ...errors(400, 401, 404) },
    },
    delete: {
      summary: 'Erase the contact with this email: its completions, visitor tokens and the contact, in one transaction',
      parameters: [{ name: 'email', in: 'query', required: true, schema: { type: 'string', format: 'email' } }],
      responses: { 204: { description: 'Erased' }, ...errors(400, 401, 404) },
    },
  },
  '/contacts/v1/contacts/{id}': {
    parameters: [contactId],
    delete: {
      summary: 'Erase a contact: its completions, visitor tokens and the contact, in one transaction',
      responses: { 204: { description: 'Erased' }, ...errors(400, 401, 404) },
    },
  },
  '/contacts/v1/contacts/{id}/export': {
    parameters: [contactId],
    get: {
      summary: 'Everything stored about a contact, as JSON (a download)',
      responses: { 200: { description: 'The export', ...json('ContactExport') }, ...errors(400, 401, 404) },
    },
  },
  '/contacts/v1/erasures': {
    get: {
      summary: 'That erasures happened, newest first (never what was erased)',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      ],
      responses: { 200: { description: 'Erasure records', ...json('ErasureList') }, ...errors(400, 401) },
    },
  },
  '/analytics/v1/events/{eventName}/series': {
    parameters: [eventName],
    get: {
      summary:
        'Completions and unique contacts of one event per day, week or month (local dates in timeZone, zero-filled)',
      parameters: queryParameters(seriesQuerySchema),
      responses: { 200: { description: 'The series', ...json('Series') }, ...errors(400, 401) },
    },
  },
  '/analytics/v1/series': {
    get: {
      summary: 'One series per event (repeat eventName, at most 10)',
      parameters: queryParameters(multiSeriesQuerySchema),
      responses: { 200: { description: 'The series', ...json('MultiSeries') }, ...errors(400, 401) },
    },
  },
  '/analytics/v1/events/{eventName}/breakdown': {
    parameters: [eventName],
    get: {
      summary: 'Completions and unique contacts by property value (enumeration labels, multi-values split)',
      parameters: queryParameters(breakdownQuerySchema),
      responses: { 200: { description: 'The breakdown', ...json('Breakdown') }, ...errors(400, 401) },
    },
  },
  '/analytics/v1/funnel': {
    get: {
      summary: 'Contacts reaching each of 2–5 steps (repeat step) in order within a window of the first',
      parameters: queryParameters(funnelQuerySchema),
      responses: { 200: { description: 'The funnel', ...json('Funnel') }, ...errors(400, 401) },
    },
  },
  '/contacts/v1/contacts/{contactId}/timeline': {
    parameters: [{ name: 'contactId', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      summary: "A contact's completions, newest first, with event and property labels (repeat eventName to filter)",
      parameters: queryParameters(timelineQuerySchema),
      responses: { 200: { description: 'One page', ...json('Timeline') }, ...errors(400, 401, 404) },
    },
  },
  '/imports/v1': {
    post: {
      summary: 'Upload a spreadsheet (.csv, .xlsx, .xls) to import event completions; answers with a preview',
      description:
        'The file is streamed to disk. The preview has the first 20 rows, the columns with samples and fitting ' +
        'date formats, the proposed mapping (headers matched in `headerLanguage`) and the required fields. ' +
        'Nothing is imported until `/start`.',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: { type: 'string', format: 'binary', description: '.csv, .xlsx or .xls' },
                headerLanguage: { type: 'string', enum: ['en', 'sv'], default: 'en' },
                eventName: {
                  type: 'string',
                  description: 'An existing contact event, to map columns to its properties',
                },
              },
            },
          },
        },
      },
      responses: {
        201: { description: 'Uploaded; the preview', ...json('ImportPreview') },
        ...errors(400, 401),
        413: { description: `File larger than ${IMPORT_LIMITS.maxUploadBytes} bytes`, ...json('Error') },
      },
    },
  },
  '/imports/v1/{id}': {
    parameters: [importId],
    get: {
      summary: 'Status of an import: rows read, imported and rejected, rate and estimated time left',
      responses: { 200: { description: 'The status', ...json('ImportStatus') }, ...errors(401, 404) },
    },
  },
  '/imports/v1/{id}/start': {
    parameters: [importId],
    post: {
      summary: 'Start an uploaded import with its mapping, target event (existing or new), date format and consent',
      requestBody: { required: true, ...json('ImportStart') },
      responses: { 202: { description: 'Queued', ...json('ImportStatus') }, ...errors(400, 401, 404, 409) },
    },
  },
  '/imports/v1/{id}/cancel': {
    parameters: [importId],
    post: {
      summary: 'Cancel an import; with `rollback` also remove the completions it stored (also after it finished)',
      requestBody: { required: false, ...json('ImportCancel') },
      responses: { 202: { description: 'Cancelling', ...json('ImportStatus') }, ...errors(400, 401, 404, 409) },
    },
  },
  '/imports/v1/{id}/errors.csv': {
    parameters: [importId],
    get: {
      summary: 'Every rejected row: row number, column, value and reason (CSV)',
      responses: {
        200: { description: 'The error report', content: { 'text/csv': { schema: { type: 'string' } } } },
        ...errors(401, 404),
      },
    },
  },
  '/automation/v1/workflows': {
    get: {
      summary: "The portal's workflows with their counts",
      responses: { 200: { description: 'Every workflow', ...json('WorkflowList') }, ...errors(401) },
    },
    post: {
      summary: 'Create a workflow: enrolment triggers (OR-ed, with property filters), re-enrolment and steps',
      requestBody: { required: true, ...json('WorkflowCreate') },
      responses: { 201: { description: 'Created', ...json('Workflow') }, ...errors(400, 401) },
    },
  },
  '/automation/v1/workflows/{id}': {
    parameters: [workflowId],
    get: {
      summary: 'Read a workflow (ETag = version)',
      responses: { 200: { description: 'The workflow', ...json('Workflow') }, ...errors(401, 404) },
    },
    patch: {
      summary: 'Change a workflow if it is still at `version` (or `If-Match`)',
      parameters: [ifMatch],
      requestBody: { required: true, ...json('WorkflowPatch') },
      responses: { 200: { description: 'The new workflow', ...json('Workflow') }, ...errors(400, 401, 404, 409) },
    },
    delete: {
      summary: 'Delete a workflow with its enrolments and delivery log',
      parameters: [ifMatch],
      responses: { 204: noContent, ...errors(401, 404, 409) },
    },
  },
  '/automation/v1/workflows/{id}/deliveries': {
    parameters: [workflowId],
    get: {
      summary: "The workflow's webhook delivery log, newest first",
      parameters: [
        {
          name: 'status',
          in: 'query',
          schema: { type: 'string', enum: ['pending', 'retrying', 'succeeded', 'failed'] },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'after', in: 'query', description: 'Cursor from `paging.next.after`', schema: { type: 'string' } },
      ],
      responses: { 200: { description: 'One page', ...json('DeliveryList') }, ...errors(400, 401, 404) },
    },
  },
  '/automation/v1/workflows/{id}/deliveries/{deliveryId}/retry': {
    parameters: [workflowId, { name: 'deliveryId', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      summary: 'Deliver a failed webhook again (same idempotency key)',
      responses: { 200: { description: 'The delivery', ...json('Delivery') }, ...errors(401, 404, 409) },
    },
  },
  '/automation/v1/workflows/{id}/test': {
    parameters: [workflowId],
    post: {
      summary:
        "Send a sample payload to one of the workflow's webhooks (the first unless `stepId`) and show the answer",
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object', properties: { stepId: { type: 'string' } } } } },
      },
      responses: { 200: { description: 'The answer', ...json('WebhookTestResult') }, ...errors(400, 401, 404) },
    },
  },
  '/automation/v1/workflows/{id}/enrolments': {
    parameters: [workflowId],
    get: {
      summary: "The workflow's enrolments with their history, newest first",
      parameters: [enrolmentLimit],
      responses: { 200: { description: 'Enrolments', ...json('EnrolmentList') }, ...errors(400, 401, 404) },
    },
  },
  '/automation/v1/contacts/{contactId}/enrolments': {
    parameters: [{ name: 'contactId', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      summary:
        'The workflows a contact is or was enrolled in, newest first: status, step, and its history ' +
        '(enrolled, each step, waiting until, met / not met, finished)',
      parameters: [enrolmentLimit],
      responses: { 200: { description: 'Enrolments', ...json('EnrolmentList') }, ...errors(400, 401, 404) },
    },
  },
  '/account-info/v3/details': {
    get: {
      summary: 'The portal the API key belongs to',
      responses: { 200: { description: 'Portal', ...json('AccountDetails') }, ...errors(401) },
    },
  },
};

/** Builds the whole document; the server caches it. */
export function buildOpenApiDocument(): object {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas;
  const schemas = Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clicktrail API',
      version: '1',
      description:
        'HubSpot v3-compatible custom-event API. Authenticate with `Authorization: Bearer <api key>`. ' +
        'Errors: `{status: "error", category, message, correlationId, errors: [{message, in, code}]}`.',
    },
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Clicktrail API key (ct_...)' } },
    },
    security: [{ apiKey: [] }],
    paths: PATHS,
  };
}
