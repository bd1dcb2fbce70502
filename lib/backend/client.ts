/**
 * HTTP client for the Clicktrail backend. Only the background service worker uses it: content
 * scripts never call the backend, so the site's CSP and CORS never matter.
 */
import { formatNumber, t } from '../i18n';
import { localizeApiError } from '../i18n/error-messages';
import {
  accountDetailsSchema,
  breakdownSchema,
  contactSchema,
  funnelSchema,
  multiSeriesSchema,
  timelineSchema,
  type Breakdown,
  type Contact,
  type Funnel,
  type MultiSeries,
  type Timeline,
  apiErrorSchema,
  completionListSchema,
  customCodeErrorsSchema,
  definitionHealthSchema,
  type DefinitionHealth,
  customCodeHistorySchema,
  type CustomCodeChange,
  type CustomCodeErrorSummary,
  eventDefinitionListSchema,
  eventDefinitionSchema,
  deliveryListSchema,
  deliverySchema,
  webhookTestResultSchema,
  workflowListSchema,
  workflowSchema,
  type AccountDetails,
  type Delivery,
  type EventDefinition,
  type EventDefinitionCreate,
  type EventDefinitionPatch,
  type WebhookTestResult,
  type Workflow,
  type WorkflowCreate,
  type WorkflowPatch,
  contactExportSchema,
  enrolmentListSchema,
  importPreviewSchema,
  importStatusSchema,
  ingestStatsSchema,
  type ContactExport,
  type Enrolment,
  type HeaderLanguage,
  type ImportPreview,
  type ImportStart,
  type ImportStatus,
  type IngestStats,
  allowedOriginAddedSchema,
  allowedOriginsSchema,
  propertyDefinitionSchema,
  type AllowedOriginAdded,
  type PropertyDefinitionInput,
  type PropertyPatch,
} from '../shared';
import { MessageError } from '../messaging';
import { z } from 'zod';

const definitionPath = (name: string) => `/events/v3/event-definitions/${encodeURIComponent(name)}`;

export interface BackendConnection {
  baseUrl: string;
  apiKey: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 10_000;
/** An upload of up to 50 MB over a slow link, and an error report of many rejected rows. */
const TRANSFER_TIMEOUT_MS = 5 * 60_000;

export class BackendClient {
  constructor(
    private readonly connection: BackendConnection,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  /** Checks the URL and key; the account endpoint is the cheapest authenticated call. */
  account(): Promise<AccountDetails> {
    return this.request('GET', '/account-info/v3/details', accountDetailsSchema);
  }

  /** Every definition of the portal, archived ones included (the side panel lists them apart). */
  async listDefinitions(): Promise<EventDefinition[]> {
    const results: EventDefinition[] = [];
    let after: string | undefined;
    // Follow paging so the side panel sees every definition, not only the first page.
    do {
      const query = new URLSearchParams({ limit: '100', includeArchived: 'true', ...(after ? { after } : {}) });
      const page = await this.request('GET', `/events/v3/event-definitions?${query}`, eventDefinitionListSchema);
      results.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return results;
  }

  getDefinition(name: string): Promise<EventDefinition> {
    return this.request('GET', `/events/v3/event-definitions/${encodeURIComponent(name)}`, eventDefinitionSchema);
  }

  createDefinition(definition: EventDefinitionCreate): Promise<EventDefinition> {
    return this.request('POST', '/events/v3/event-definitions', eventDefinitionSchema, definition);
  }

  /** Adds a custom property if the event is still at `version`; answers the event as it is now. */
  async addProperty(name: string, version: number, property: PropertyDefinitionInput): Promise<EventDefinition> {
    await this.request('POST', `${definitionPath(name)}/property`, propertyDefinitionSchema, property, {
      'If-Match': `"${version}"`,
    });
    return this.getDefinition(name);
  }

  /** Changes a property's label, description or options if the event is still at `version`. */
  async updateProperty(
    name: string,
    version: number,
    property: string,
    changes: PropertyPatch,
  ): Promise<EventDefinition> {
    const path = `${definitionPath(name)}/property/${encodeURIComponent(property)}`;
    await this.request('PATCH', path, propertyDefinitionSchema, { ...changes, version });
    return this.getDefinition(name);
  }

  /** Deletes a property if the event is still at `version`. */
  async deleteProperty(name: string, version: number, property: string): Promise<EventDefinition> {
    const path = `${definitionPath(name)}/property/${encodeURIComponent(property)}`;
    await this.request('DELETE', path, z.undefined(), undefined, { 'If-Match': `"${version}"` });
    return this.getDefinition(name);
  }

  /** The portal's allowed site origins (where the tracker may load its config and send events). */
  async allowedOrigins(): Promise<string[]> {
    return (await this.request('GET', '/settings/v1/origins', allowedOriginsSchema)).results;
  }

  /** Allows a site origin for the portal's tracker. */
  addAllowedOrigin(origin: string): Promise<AllowedOriginAdded> {
    return this.request('POST', '/settings/v1/origins', allowedOriginAddedSchema, { origin });
  }

  /** When the event last fired (its newest completion, ISO 8601), or null if it never did. */
  async lastCompletionAt(fullyQualifiedName: string): Promise<string | null> {
    const query = new URLSearchParams({ eventType: fullyQualifiedName, limit: '1' });
    const page = await this.request('GET', `/events/v3/events?${query}`, completionListSchema);
    return page.results[0]?.occurredAt ?? null;
  }

  /** Changes a definition if it is still at `version` (else the server answers 409). */
  updateDefinition(name: string, version: number, changes: EventDefinitionPatch): Promise<EventDefinition> {
    return this.request('PATCH', `/events/v3/event-definitions/${encodeURIComponent(name)}`, eventDefinitionSchema, {
      ...changes,
      version,
    });
  }

  async customCodeHistory(name: string): Promise<CustomCodeChange[]> {
    const path = `/events/v3/event-definitions/${encodeURIComponent(name)}/custom-code/history`;
    return (await this.request('GET', path, customCodeHistorySchema)).results;
  }

  async customCodeErrors(name: string, days: number): Promise<CustomCodeErrorSummary[]> {
    const path = `/events/v3/event-definitions/${encodeURIComponent(name)}/custom-code/errors?days=${days}`;
    return (await this.request('GET', path, customCodeErrorsSchema)).results;
  }

  /** Selector health of a click event from the tracker's sampled page views. */
  definitionHealth(name: string, days: number): Promise<DefinitionHealth> {
    const path = `/events/v3/event-definitions/${encodeURIComponent(name)}/health?days=${days}`;
    return this.request('GET', path, definitionHealthSchema);
  }

  /** One series per event (`GET /analytics/v1/series`). */
  series(query: {
    eventNames: readonly string[];
    from: string;
    to: string;
    timeZone: string;
    interval: string;
    weekStart?: string;
  }): Promise<MultiSeries> {
    const params = new URLSearchParams({
      from: query.from,
      to: query.to,
      timeZone: query.timeZone,
      interval: query.interval,
    });
    if (query.weekStart) params.set('weekStart', query.weekStart);
    for (const name of query.eventNames) params.append('eventName', name);
    return this.request('GET', `/analytics/v1/series?${params}`, multiSeriesSchema);
  }

  breakdown(query: {
    eventName: string;
    property: string;
    from: string;
    to: string;
    timeZone: string;
    limit?: number;
  }): Promise<Breakdown> {
    const params = new URLSearchParams({
      property: query.property,
      from: query.from,
      to: query.to,
      timeZone: query.timeZone,
    });
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.request(
      'GET',
      `/analytics/v1/events/${encodeURIComponent(query.eventName)}/breakdown?${params}`,
      breakdownSchema,
    );
  }

  funnel(query: {
    steps: readonly string[];
    from: string;
    to: string;
    timeZone: string;
    window: string;
  }): Promise<Funnel> {
    const params = new URLSearchParams({
      from: query.from,
      to: query.to,
      timeZone: query.timeZone,
      window: query.window,
    });
    for (const step of query.steps) params.append('step', step);
    return this.request('GET', `/analytics/v1/funnel?${params}`, funnelSchema);
  }

  /**
   * The contact with this email, or the one (anonymous or identified) a visitor token resolves to;
   * null when the portal has none (a visitor token before its first completion).
   */
  async findContact(by: { email: string } | { utk: string }): Promise<Contact | null> {
    try {
      return await this.request('GET', `/contacts/v1/contacts?${new URLSearchParams(by)}`, contactSchema);
    } catch (error) {
      if (error instanceof MessageError && error.code === 'OBJECT_NOT_FOUND') return null;
      throw error;
    }
  }

  timeline(query: {
    contactId: string;
    eventNames?: readonly string[];
    after?: string;
    limit?: number;
  }): Promise<Timeline> {
    const params = new URLSearchParams();
    for (const name of query.eventNames ?? []) params.append('eventName', name);
    if (query.after) params.set('after', query.after);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.request(
      'GET',
      `/contacts/v1/contacts/${encodeURIComponent(query.contactId)}/timeline?${params}`,
      timelineSchema,
    );
  }

  listWorkflows(): Promise<Workflow[]> {
    return this.request('GET', '/automation/v1/workflows', workflowListSchema).then((list) => list.results);
  }

  createWorkflow(workflow: WorkflowCreate): Promise<Workflow> {
    return this.request('POST', '/automation/v1/workflows', workflowSchema, workflow);
  }

  /** Changes a workflow if it is still at `version` (else the server answers 409). */
  updateWorkflow(id: string, version: number, changes: Omit<WorkflowPatch, 'version'>): Promise<Workflow> {
    return this.request('PATCH', `/automation/v1/workflows/${id}`, workflowSchema, { ...changes, version });
  }

  async deleteWorkflow(id: string, version: number): Promise<void> {
    await this.request('DELETE', `/automation/v1/workflows/${id}`, z.undefined(), undefined, {
      'If-Match': `"${version}"`,
    });
  }

  testWorkflow(id: string, stepId?: string): Promise<WebhookTestResult> {
    return this.request(
      'POST',
      `/automation/v1/workflows/${id}/test`,
      webhookTestResultSchema,
      stepId ? { stepId } : {},
    );
  }

  listDeliveries(id: string): Promise<Delivery[]> {
    return this.request('GET', `/automation/v1/workflows/${id}/deliveries?limit=50`, deliveryListSchema).then(
      (page) => page.results,
    );
  }

  retryDelivery(id: string, deliveryId: string): Promise<Delivery> {
    return this.request('POST', `/automation/v1/workflows/${id}/deliveries/${deliveryId}/retry`, deliverySchema);
  }

  /** Everything the server stores about a contact (`GET /contacts/v1/contacts/{id}/export`). */
  exportContact(contactId: string): Promise<ContactExport> {
    return this.request('GET', `/contacts/v1/contacts/${contactId}/export`, contactExportSchema);
  }

  /** Erases a contact, its visitor tokens and every completion (204; 404 for an unknown contact). */
  async eraseContact(contactId: string): Promise<void> {
    await this.request('DELETE', `/contacts/v1/contacts/${contactId}`, z.undefined());
  }

  async contactEnrolments(contactId: string): Promise<Enrolment[]> {
    const path = `/automation/v1/contacts/${contactId}/enrolments?limit=50`;
    return (await this.request('GET', path, enrolmentListSchema)).results;
  }

  ingestStats(days: number): Promise<IngestStats> {
    return this.request('GET', `/settings/v1/privacy/ingest-stats?days=${days}`, ingestStatsSchema);
  }

  /** `POST /imports/v1`: the file as multipart/form-data; answers with its preview. */
  uploadImport(
    file: Blob,
    fields: { fileName: string; headerLanguage: HeaderLanguage; eventName?: string },
  ): Promise<ImportPreview> {
    const form = new FormData();
    form.append('headerLanguage', fields.headerLanguage);
    if (fields.eventName) form.append('eventName', fields.eventName);
    form.append('file', file, fields.fileName);
    return this.request(
      'POST',
      '/imports/v1',
      importPreviewSchema,
      undefined,
      {},
      { form, timeoutMs: TRANSFER_TIMEOUT_MS },
    );
  }

  startImport(id: string, start: ImportStart): Promise<ImportStatus> {
    return this.request('POST', `/imports/v1/${id}/start`, importStatusSchema, start);
  }

  importStatus(id: string): Promise<ImportStatus> {
    return this.request('GET', `/imports/v1/${id}`, importStatusSchema);
  }

  cancelImport(id: string, rollback: boolean): Promise<ImportStatus> {
    return this.request('POST', `/imports/v1/${id}/cancel`, importStatusSchema, { rollback });
  }

  /** The import's error report, CSV text (every rejected row: row number, column, reason). */
  async importErrors(id: string): Promise<string> {
    const response = await this.fetch('GET', `/imports/v1/${id}/errors.csv`, {}, { timeoutMs: TRANSFER_TIMEOUT_MS });
    return response.text();
  }

  private async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers: Record<string, string> = {},
    options: { form?: FormData; timeoutMs?: number } = {},
  ): Promise<T> {
    const response = await this.fetch(
      method,
      path,
      { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      { body: options.form ?? (body === undefined ? undefined : JSON.stringify(body)), timeoutMs: options.timeoutMs },
    );
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new MessageError({
        code: 'BAD_RESPONSE',
        message: t('errors.badResponse', { baseUrl: this.connection.baseUrl, method, path }),
      });
    }
    return parsed.data;
  }

  /** Sends a request with the API key; a failed one (network, timeout, HTTP error) throws `MessageError`. */
  private async fetch(
    method: string,
    path: string,
    headers: Record<string, string>,
    options: { body?: BodyInit; timeoutMs?: number },
  ): Promise<Response> {
    const url = new URL(path, this.connection.baseUrl.replace(/\/*$/, '/')).toString();
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: { Authorization: `Bearer ${this.connection.apiKey}`, ...headers },
        body: options.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new MessageError({
        code: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
        message: timedOut
          ? t('errors.timeout', { baseUrl: this.connection.baseUrl, seconds: formatNumber(timeoutMs / 1000) })
          : t('errors.unreachable', { baseUrl: this.connection.baseUrl }),
      });
    }
    if (!response.ok) {
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      throw toMessageError(response.status, json, this.connection.baseUrl);
    }
    return response;
  }
}

function toMessageError(status: number, json: unknown, baseUrl: string): MessageError {
  const apiError = apiErrorSchema.safeParse(json);
  if (status === 401) {
    return new MessageError({
      code: 'UNAUTHORIZED',
      message: t('errors.unauthorized'),
    });
  }
  if (apiError.success) {
    return new MessageError({ code: apiError.data.category, ...localizeApiError(apiError.data) });
  }
  if (status === 404) {
    return new MessageError({
      code: 'NOT_CLICKTRAIL',
      message: t('errors.notClicktrail', { baseUrl }),
    });
  }
  return new MessageError({ code: `HTTP_${status}`, message: t('errors.http', { status }) });
}
