import { Hono } from 'hono';
import {
  ANALYTICS_LIMITS,
  contactQuerySchema,
  fullyQualifiedName,
  timelineQuerySchema,
  type Contact,
  type Timeline,
} from '../../lib/shared';
import { resolveEvent } from '../analytics/events';
import {
  contactTimeline,
  findContact,
  getContact,
  timelineDefinitions,
  type ContactRecord,
} from '../analytics/timeline';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { parseQuery, queryObject } from '../http/query';
import { decodeCursor, encodeCursor } from './completion-query';

/**
 * `/contacts/v1/contacts`: find a contact by email or visitor token, and read the contact's
 * timeline (completions newest first, with event labels and property labels, paged, filterable by
 * one or several events).
 */
export function contactReadRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const query = parseQuery(contactQuerySchema, queryObject(c));
    const contact = await findContact(db, c.get('portalId'), query);
    if (!contact) {
      throw HttpError.notFound(
        query.email !== undefined
          ? `No contact has the email "${query.email}".`
          : `No contact has the utk "${query.utk}".`,
      );
    }
    return c.json(toContact(contact));
  });

  app.get('/:contactId/timeline', async (c) => {
    const portalId = c.get('portalId');
    const contact = await contactOf(c.req.param('contactId'), portalId);
    const query = parseQuery(timelineQuerySchema, queryObject(c, ['eventName']));
    let definitionIds: number[] | undefined;
    if (query.eventName) {
      definitionIds = [];
      for (const name of new Set(query.eventName)) {
        definitionIds.push(Number((await resolveEvent(db, portalId, name, 'eventName')).id));
      }
    }
    const limit = query.limit === undefined ? ANALYTICS_LIMITS.timelineDefaultLimit : Number(query.limit);
    const page = await contactTimeline(db, portalId, contact.id, {
      definitionIds,
      after: query.after === undefined ? undefined : decodeCursor(query.after, 'after'),
      limit,
    });
    const definitions = await timelineDefinitions(
      db,
      portalId,
      page.rows.map((row) => row.definitionId),
    );
    const last = page.rows.at(-1);
    const body: Timeline = {
      contactId: String(contact.id),
      results: page.rows.map((row) => {
        const definition = definitions.get(row.definitionId)!;
        return {
          id: String(row.id),
          eventName: definition.name,
          eventType: fullyQualifiedName(portalId, definition.name),
          eventLabel: definition.label,
          occurredAt: new Date(row.occurredAt).toISOString(),
          properties: Object.entries(row.properties).map(([name, raw]) => {
            const value = String(raw);
            const property = definition.properties.get(name);
            const displayValue = property?.options.size
              ? value
                  .split(';')
                  .map((part) => property.options.get(part) ?? part)
                  .join('; ')
              : value;
            return { name, label: property?.label ?? name, value, displayValue };
          }),
        };
      }),
      ...(page.hasMore && last ? { paging: { next: { after: encodeCursor(last.occurredAt, last.id) } } } : {}),
    };
    return c.json(body);
  });

  /** The portal's contact with this path id; 404 for ids that are not numbers or not the portal's. */
  async function contactOf(raw: string, portalId: number): Promise<ContactRecord> {
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    const contact = id === undefined ? undefined : await getContact(db, portalId, id);
    if (!contact) throw HttpError.notFound(`No contact has the id "${raw}".`);
    return contact;
  }

  return app;
}

function toContact(contact: ContactRecord): Contact {
  return { id: String(contact.id), email: contact.email, createdAt: contact.createdAt, utks: contact.utks };
}
