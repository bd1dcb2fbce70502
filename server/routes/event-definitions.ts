import { Hono } from 'hono';
import { z } from 'zod';
import type { Context } from 'hono';
import {
  deriveEventName,
  eventDefinitionCreateSchema,
  eventDefinitionPatchSchema,
  eventNameSchema,
  propertyDefinitionInputSchema,
  propertyPatchSchema,
  type DefinitionHealth,
  type EventDefinition,
} from '../../lib/shared';
import type { AppDeps, AppEnv } from '../http/context';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { expectedVersion, versionEtag } from '../http/versions';
import {
  addProperty,
  deleteProperty,
  DefinitionNotFoundError,
  DuplicatePropertyError,
  PropertyNotFoundError,
  updateDefinition,
  updateProperty,
  VersionConflictError,
} from '../storage/definition-changes';
import { checkCustomCode } from '../../lib/shared/custom-code-check';
import { customCodeErrors, customCodeHistory } from '../storage/custom-code';
import {
  createDefinition,
  DuplicateNameError,
  getDefinitionByName,
  listDefinitions,
} from '../storage/event-definitions';
import { definitionHealth } from '../storage/selector-health';
import { trackingTypeOf } from '../storage/tracking-type';

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z
    .string()
    .regex(/^\d+$/, 'after must be the cursor returned in paging.next.after')
    .transform(Number)
    .optional(),
  includeArchived: z.enum(['true', 'false']).default('false'),
});

const healthQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }).strict();
const errorsQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }).strict();

/** A 400 that points at the line and column where custom code stops parsing. */
function rejectUnparsable(code: string): void {
  const problem = checkCustomCode(code);
  if (!problem) return;
  throw HttpError.validation(
    `customCode is not valid JavaScript: ${problem.message} (line ${problem.line}, column ${problem.column}).`,
    [
      {
        message: `${problem.message} at line ${problem.line}, column ${problem.column}`,
        in: 'customCode',
        code: 'syntax_error',
      },
    ],
  );
}

/** `/events/v3/event-definitions`: HubSpot's event-definition API. */
export function eventDefinitionRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  /** The definition, or a 404 naming the event (also for names that could never exist). */
  const load = async (c: Context<AppEnv>): Promise<EventDefinition> => {
    const eventName = c.req.param('eventName') ?? '';
    const valid = eventNameSchema.safeParse(eventName);
    const definition = valid.success ? await getDefinitionByName(db, c.get('portalId'), eventName) : undefined;
    if (!definition) throw HttpError.notFound(`No event definition named "${eventName}".`);
    return definition;
  };
  const respond = (c: Context<AppEnv>, definition: EventDefinition, status: 200 | 201 = 200) => {
    c.header('ETag', versionEtag(definition.version));
    return c.json(definition, status);
  };

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
    if (input.customCode !== undefined) rejectUnparsable(input.customCode);
    try {
      const definition = await createDefinition(db, c.get('portalId'), {
        name,
        label: input.label,
        description: input.description,
        primaryObject: input.primaryObject,
        trackingType: input.trackingType ?? trackingTypeOf(input.trigger),
        trigger: input.trigger,
        customCode: input.customCode,
        apiKeyId: c.get('apiKeyId'),
        properties: input.propertyDefinitions,
      });
      return respond(c, definition, 201);
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

  app.get('/:eventName', async (c) => respond(c, await load(c)));

  app.patch('/:eventName', async (c) => {
    const parsed = eventDefinitionPatchSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'event definition update');
    const current = await load(c);
    const patch = parsed.data;
    rejectImmutable('name', patch.name, current.name);
    rejectImmutable('primaryObject', patch.primaryObject, current.primaryObject);
    if (current.trackingType === 'CUSTOM_SCRIPT' && patch.trigger) {
      throw HttpError.validation('A custom-script event has no trigger: its code decides when it fires.', [
        { message: 'trigger is not allowed on a CUSTOM_SCRIPT event', in: 'trigger', code: 'custom' },
      ]);
    }
    if (patch.customCode !== undefined && current.trackingType !== 'CUSTOM_SCRIPT') {
      throw HttpError.validation('Only custom-script events have custom code.', [
        { message: `"${current.name}" is a ${current.trackingType} event`, in: 'customCode', code: 'custom' },
      ]);
    }
    if (typeof patch.customCode === 'string') rejectUnparsable(patch.customCode);
    const updated = await storageCall(() =>
      updateDefinition(
        db,
        { portalId: c.get('portalId'), eventName: current.name, expectedVersion: expectedVersion(c, patch.version) },
        {
          label: patch.label,
          description: patch.description,
          // A custom-script event keeps its tracking type when `trigger: null` is sent.
          trigger: current.trackingType === 'CUSTOM_SCRIPT' ? undefined : patch.trigger,
          archived: patch.archived,
          paused: patch.paused,
          customCode: patch.customCode,
          changedBy: c.get('apiKeyId'),
        },
      ),
    );
    return respond(c, updated);
  });

  // HubSpot deletes; Clicktrail archives, so history stays and `PATCH {archived: false}` undoes it.
  app.delete('/:eventName', async (c) => {
    const current = await load(c);
    await storageCall(() =>
      updateDefinition(
        db,
        { portalId: c.get('portalId'), eventName: current.name, expectedVersion: expectedVersion(c, undefined) },
        { archived: true },
      ),
    );
    return c.body(null, 204);
  });

  // Stored code runs on the customer's site, so who changed it, when and to what stays readable.
  app.get('/:eventName/custom-code/history', async (c) => {
    const definition = await load(c);
    return c.json({ eventName: definition.name, results: await customCodeHistory(db, Number(definition.id)) });
  });

  app.get('/:eventName/custom-code/errors', async (c) => {
    const query = errorsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    const definition = await load(c);
    const results = await customCodeErrors(db, Number(definition.id), query.data.days, Date.now());
    return c.json({ eventName: definition.name, days: query.data.days, results });
  });

  /** Selector health from the tracker's sampled page views (issue 9); click events only. */
  app.get('/:eventName/health', async (c) => {
    const query = healthQuerySchema.safeParse(c.req.query());
    if (!query.success) throw HttpError.fromZod(query.error, 'query');
    const definition = await load(c);
    const { totals, paths } = await definitionHealth(db, Number(definition.id), query.data.days, Date.now());
    return c.json({ eventName: definition.name, days: query.data.days, ...totals, paths } satisfies DefinitionHealth);
  });

  app.post('/:eventName/property', async (c) => {
    const parsed = propertyDefinitionInputSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'property');
    const current = await load(c);
    const updated = await storageCall(() =>
      addProperty(
        db,
        { portalId: c.get('portalId'), eventName: current.name, expectedVersion: expectedVersion(c, undefined) },
        parsed.data,
      ),
    );
    c.header('ETag', versionEtag(updated.version));
    return c.json(propertyOf(updated, parsed.data.name), 201);
  });

  app.patch('/:eventName/property/:propertyName', async (c) => {
    const parsed = propertyPatchSchema.safeParse(await readJson(c));
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'property update');
    const current = await load(c);
    const propertyName = c.req.param('propertyName');
    const property = current.properties.find((candidate) => candidate.name === propertyName);
    if (!property) throw HttpError.notFound(`Event "${current.name}" has no property named "${propertyName}".`);
    const patch = parsed.data;
    rejectImmutable('name', patch.name, property.name);
    rejectImmutable('type', patch.type, property.type);
    if (patch.options !== undefined && property.type !== 'enumeration') {
      throw HttpError.validation('Only enumeration properties take options.', [
        { message: `"${property.name}" is a ${property.type} property`, in: 'options', code: 'custom' },
      ]);
    }
    if (patch.options?.length === 0) {
      throw HttpError.validation('An enumeration property needs at least one option.', [
        { message: 'options must not be empty', in: 'options', code: 'too_small' },
      ]);
    }
    const updated = await storageCall(() =>
      updateProperty(
        db,
        {
          portalId: c.get('portalId'),
          eventName: current.name,
          propertyName,
          expectedVersion: expectedVersion(c, patch.version),
        },
        { label: patch.label, description: patch.description, options: patch.options },
      ),
    );
    c.header('ETag', versionEtag(updated.version));
    return c.json(propertyOf(updated, propertyName));
  });

  app.delete('/:eventName/property/:propertyName', async (c) => {
    const current = await load(c);
    const updated = await storageCall(() =>
      deleteProperty(db, {
        portalId: c.get('portalId'),
        eventName: current.name,
        propertyName: c.req.param('propertyName'),
        expectedVersion: expectedVersion(c, undefined),
      }),
    );
    c.header('ETag', versionEtag(updated.version));
    return c.body(null, 204);
  });

  return app;
}

function rejectImmutable(field: string, sent: string | undefined, current: string): void {
  if (sent !== undefined && sent !== current) {
    throw HttpError.validation(`${field} cannot be changed once the event exists.`, [
      { message: `${field} is immutable (it is "${current}")`, in: field, code: 'immutable' },
    ]);
  }
}

function propertyOf(definition: EventDefinition, name: string) {
  const property = definition.properties.find((candidate) => candidate.name === name);
  if (!property) throw new Error(`Property ${name} missing right after it was written.`);
  return property;
}

/** Maps the storage layer's domain errors to HTTP answers. */
async function storageCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VersionConflictError) {
      throw new HttpError(409, 'CONFLICT', error.message, [
        { message: `current version is ${error.current}`, in: 'version', code: 'stale_version' },
      ]);
    }
    if (error instanceof DefinitionNotFoundError || error instanceof PropertyNotFoundError) {
      throw HttpError.notFound(error.message);
    }
    if (error instanceof DuplicatePropertyError) {
      throw new HttpError(409, 'CONFLICT', error.message, [
        { message: 'a property with this name exists', in: 'name', code: 'duplicate' },
      ]);
    }
    throw error;
  }
}
