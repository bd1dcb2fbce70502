import type { Kysely } from 'kysely';
import { normaliseOrigin } from '../../lib/shared';
import { addOrigin, listOrigins, removeOrigin } from '../storage/portal-origins';
import { createPortal, firstPortal } from '../storage/portals';
import type { Database } from '../storage/schema';

const USAGE = `Usage: npm run server -- origins <command>
  origins add <origin>     allow a site (e.g. https://shop.example.com) to load the tracker config and send events
  origins list             list the allowed site origins
  origins remove <origin>  stop accepting tracker requests from that site`;

/** `npm run server -- origins add|list|remove`, for the default portal; returns the exit code. */
export async function runOriginsCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [command, value] = args;
  const portal = (await firstPortal(db)) ?? (await createPortal(db, 'Default portal'));
  if (command === 'list') {
    const origins = await listOrigins(db, portal.id);
    console.log(
      origins.length > 0
        ? origins.join('\n')
        : 'No allowed origins yet. Add one with: npm run server -- origins add https://your-site.example',
    );
    return 0;
  }
  if (command === 'add' || command === 'remove') {
    const origin = value ? normaliseOrigin(value) : undefined;
    if (!origin) {
      console.error(
        `origins ${command} needs an http(s) origin such as https://shop.example.com${value ? `, not "${value}"` : ''}.`,
      );
      return 2;
    }
    if (command === 'add') {
      const added = await addOrigin(db, portal.id, origin);
      console.error(added ? `Allowed ${origin}.` : `${origin} was already allowed.`);
      return 0;
    }
    if (!(await removeOrigin(db, portal.id, origin))) {
      console.error(`${origin} was not an allowed origin.`);
      return 1;
    }
    console.error(`Removed ${origin}.`);
    return 0;
  }
  console.error(command ? `Unknown origins command "${command}".\n${USAGE}` : USAGE);
  return 2;
}
