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
