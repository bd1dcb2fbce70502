import fs from 'node:fs';
import type { Kysely } from 'kysely';
import {
  deriveEventName,
  importStartSchema,
  type EventDefinition,
  type HeaderLanguage,
  type ImportColumn,
  type ImportFileType,
  type ImportPreview,
  type ImportStatus,
} from '../../lib/shared';
import { HttpError } from '../http/errors';
import { addProperty } from '../storage/definition-changes';
import { createDefinition, DuplicateNameError, getDefinitionByName } from '../storage/event-definitions';
import type { Database } from '../storage/schema';
import { resolvePlan } from './mapping';
import { buildPreview, describeColumns, readHead, UnusableFileError } from './preview';
import { UnreadableFileError } from './readers';
import { getImport, insertImport, queueImport, toImportStatus } from './store';

/** An existing event an import may target: the portal's, active, associated with contacts. */
async function importableEvent(
  db: Kysely<Database>,
  portalId: number,
  name: string,
  at: string,
): Promise<EventDefinition> {
  const definition = await getDefinitionByName(db, portalId, name);
  if (!definition) {
    throw HttpError.validation(`No event named "${name}" exists; create it, or let the import create it.`, [
      { message: `no event named "${name}"`, in: at, code: 'unknown_event' },
    ]);
  }
  if (definition.primaryObject !== 'CONTACT') {
    throw HttpError.validation(
      `Event "${name}" is associated with ${definition.primaryObject} records; imports associate events with contacts only.`,
      [{ message: 'imports associate events with contacts only', in: at, code: 'not_contact_event' }],
    );
  }
  if (definition.archived) {
    throw HttpError.validation(`Event "${name}" is archived and accepts no new completions.`, [
      { message: 'archived event', in: at, code: 'archived_event' },
    ]);
  }
  return definition;
}

/**
 * Registers a file (an upload the server stored, or a CLI user's own file) as an import and
 * returns its preview. The file is read only up to its first 20 rows.
 */
export async function createImport(
  db: Kysely<Database>,
  input: {
    id: string;
    portalId: number;
    filePath: string;
    fileName: string;
    fileType: ImportFileType;
    ownsFile: boolean;
    headerLanguage: HeaderLanguage;
    eventName?: string;
  },
): Promise<ImportPreview> {
  const definition =
    input.eventName === undefined ? undefined : await importableEvent(db, input.portalId, input.eventName, 'eventName');
  let head: Awaited<ReturnType<typeof readHead>>;
  try {
    head = await readHead(input.filePath, input.fileType);
  } catch (error) {
    if (error instanceof UnreadableFileError || error instanceof UnusableFileError) {
      throw HttpError.validation(error.message, [{ message: error.message, in: 'file', code: 'unreadable_file' }]);
    }
    throw error;
  }
  const columns: ImportColumn[] = describeColumns(head.headers, head.rows);
  const sizeBytes = fs.statSync(input.filePath).size;
  await insertImport(db, { ...input, sizeBytes, columns });
  return buildPreview({ ...input, sizeBytes, definition, columns, rows: head.rows });
}

/**
 * `POST /imports/v1/{id}/start` (and the CLI): checks the mapping against the file and the event,
 * creates the new event (trackingType IMPORT) or the new properties, and queues the job. Every
 * problem is a 400 naming the field; a second start is a 409.
 */
export async function startImport(
  db: Kysely<Database>,
  portalId: number,
  id: string,
  body: unknown,
): Promise<ImportStatus> {
  const row = await getImport(db, portalId, id);
  if (!row) throw HttpError.notFound(`No import ${id}.`);
  if (row.status !== 'UPLOADED') {
    throw new HttpError(409, 'CONFLICT', `Import ${id} was already started (its status is ${row.status}).`, [
      { message: `status ${row.status}`, in: 'id', code: 'already_started' },
    ]);
  }
  const parsed = importStartSchema.safeParse(body);
  if (!parsed.success) throw HttpError.fromZod(parsed.error, 'import start');
  const start = parsed.data;
  const headers = (JSON.parse(row.columns_json) as ImportColumn[]).map((column) => column.header);

  let definition: EventDefinition | undefined;
  let newName: string | undefined;
  if ('name' in start.event) {
    definition = await importableEvent(db, portalId, start.event.name, 'event.name');
  } else {
    newName = start.event.create.name ?? deriveEventName(start.event.create.label);
    if (newName === undefined) {
      throw HttpError.validation('event.create.label has no letters to derive an internal name from; send a name.', [
        { message: 'cannot derive an internal name', in: 'event.create.name', code: 'name_required' },
      ]);
    }
  }
  const planned = resolvePlan(headers, start.mapping, definition);
  if (!planned.ok) {
    const first = planned.errors[0]!;
    throw HttpError.validation(`Invalid mapping: ${first.in}: ${first.message}`, planned.errors);
  }

  let eventName: string;
  if (definition) {
    eventName = definition.name;
    for (const property of planned.newProperties) {
      await addProperty(db, { portalId, eventName }, property);
    }
  } else {
    eventName = newName!;
    try {
      await createDefinition(db, portalId, {
        name: eventName,
        label: 'create' in start.event ? start.event.create.label : eventName,
        description: 'create' in start.event ? start.event.create.description : undefined,
        primaryObject: 'CONTACT',
        trackingType: 'IMPORT',
        properties: planned.newProperties,
      });
    } catch (error) {
      if (error instanceof DuplicateNameError) {
        throw new HttpError(409, 'CONFLICT', error.message, [
          {
            message: `"${eventName}" is already used; import into it with {"name": "${eventName}"} or choose another name`,
            in: 'event.create.name',
            code: 'duplicate',
          },
        ]);
      }
      throw error;
    }
  }
  if (!(await queueImport(db, portalId, id, { plan: planned.plan, eventName, dateFormat: start.dateFormat }))) {
    throw new HttpError(409, 'CONFLICT', `Import ${id} was started by another request.`, [
      { message: 'already started', in: 'id', code: 'already_started' },
    ]);
  }
  return toImportStatus((await getImport(db, portalId, id))!);
}
