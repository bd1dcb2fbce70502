import { Hono } from 'hono';
import { z } from 'zod';
import { deriveEventName, eventDefinitionCreateSchema, eventNameSchema, type TrackingType } from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { HttpError, readJson } from '../http/errors';
import {
  createDefinition,
  DuplicateNameError,
  getDefinitionByName,
  listDefinitions,
} from '../storage/event-definitions';

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z
    .string()
    .regex(/^\d+$/, 'after must be the cursor returned in paging.next.after')
    .transform(Number)
    .optional(),
  includeArchived: z.enum(['true', 'false']).default('false'),
});

/** `/events/v3/event-definitions`: HubSpot's event-definition API. */
export function eventDefinitionRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const parsed = eventDefinitionCreateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'event definition');
    const input = parsed.data;
    const name = input.name ?? deriveEventName(input.label);
    if (!name) {
      throw HttpError.validation('Invalid event definition: name could not be derived from the label.', [
        {
          message: 'the label has no letters or digits to derive a name from; send "name"',
          in: 'name',
          code: 'custom',
        },
      ]);
    }
    try {
      const definition = await createDefinition(db, c.get('portalId'), {
        name,
        label: input.label,
        description: input.description,
        primaryObject: input.primaryObject,
        trackingType: input.trackingType ?? trackingTypeFor(input.trigger?.kind),
        trigger: input.trigger,
        properties: input.propertyDefinitions,
      });
      return c.json(definition, 201);
    } catch (error) {
      if (error instanceof DuplicateNameError) {
        throw new HttpError(409, 'CONFLICT', error.message, [
          { message: `"${name}" is already used by another event; choose another name`, in: 'name', code: 'duplicate' },
        ]);
      }
      throw error;
    }
  });

  app.get('/', async (c) => {
    const query = listQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    const page = await listDefinitions(db, c.get('portalId'), {
      limit: query.data.limit,
      after: query.data.after,
      includeArchived: query.data.includeArchived === 'true',
    });
    return c.json({
      total: page.total,
      results: page.results,
      ...(page.nextAfter ? { paging: { next: { after: page.nextAfter } } } : {}),
    });
  });

  app.get('/:eventName', async (c) => {
    const eventName = c.req.param('eventName');
    const valid = eventNameSchema.safeParse(eventName);
    const definition = valid.success ? await getDefinitionByName(db, c.get('portalId'), eventName) : undefined;
    if (!definition) throw HttpError.notFound(`No event definition named "${eventName}".`);
    return c.json(definition);
  });

  return app;
}

function trackingTypeFor(kind: 'click' | 'pageview' | undefined): TrackingType {
  if (kind === 'click') return 'CLICKED_ELEMENT';
  if (kind === 'pageview') return 'VISITED_URL';
  return 'MANUAL';
}
