/**
 * HTTP client for the Clicktrail backend. Only the background service worker uses it: content
 * scripts never call the backend, so the site's CSP and CORS never matter.
 */
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
} from '../shared';
import { MessageError } from '../messaging';
import { z } from 'zod';

export interface BackendConnection {
  baseUrl: string;
  apiKey: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 10_000;

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

  createDefinition(definition: EventDefinitionCreate): Promise<EventDefinition> {
    return this.request('POST', '/events/v3/event-definitions', eventDefinitionSchema, definition);
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

  /** The contact (anonymous or identified) a visitor token resolves to, or null before its first completion. */
  async findContactByUtk(utk: string): Promise<Contact | null> {
    try {
      return await this.request('GET', `/contacts/v1/contacts?${new URLSearchParams({ utk })}`, contactSchema);
    } catch (error) {
      if (error instanceof MessageError && error.code === 'OBJECT_NOT_FOUND') return null;
      throw error;
    }
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

  /** The contact with this email, or null when the portal has none. */
  async findContact(email: string): Promise<Contact | null> {
    try {
      return await this.request('GET', `/contacts/v1/contacts?${new URLSearchParams({ email })}`, contactSchema);
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

  private async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(path, this.connection.baseUrl.replace(/\/*$/, '/')).toString();
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.connection.apiKey}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new MessageError({
        code: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
        message: timedOut
          ? `The Clicktrail server at ${this.connection.baseUrl} did not answer within ${TIMEOUT_MS / 1000} s.`
          : `Cannot reach the Clicktrail server at ${this.connection.baseUrl}. Is it running, and is the URL right?`,
      });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw toMessageError(response.status, json, this.connection.baseUrl);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new MessageError({
        code: 'BAD_RESPONSE',
        message: `${this.connection.baseUrl} answered, but not like a Clicktrail server (unexpected response to ${method} ${path}).`,
      });
    }
    return parsed.data;
  }
}

function toMessageError(status: number, json: unknown, baseUrl: string): MessageError {
  const apiError = apiErrorSchema.safeParse(json);
  if (status === 401) {
    return new MessageError({
      code: 'UNAUTHORIZED',
      message:
        'The server rejected the API key. Copy the key the server printed, or create one with `npm run server -- keys create`.',
    });
  }
  if (apiError.success) {
    return new MessageError({
      code: apiError.data.category,
      message: apiError.data.message,
      fields: apiError.data.errors,
    });
  }
  if (status === 404) {
    return new MessageError({
      code: 'NOT_CLICKTRAIL',
      message: `${baseUrl} does not look like a Clicktrail server (404).`,
    });
  }
  return new MessageError({ code: `HTTP_${status}`, message: `The server answered with HTTP ${status}.` });
}
