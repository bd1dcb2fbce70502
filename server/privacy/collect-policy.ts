import { isbot } from 'isbot';
import type { Kysely } from 'kysely';
import { completionInputSchema, type PrivacySettings } from '../../lib/shared';
import { HttpError } from '../http/errors';
import { countDropped } from '../storage/ingest-drops';
import { getPrivacySettings } from '../storage/privacy-settings';
import type { Database } from '../storage/schema';

/**
 * A browser visit by a crawler or a headless browser (Googlebot, bingbot, HeadlessChrome,
 * PhantomJS, ...), by isbot's maintained pattern list. Only browser user agents (`Mozilla/...`)
 * are judged: the collect endpoint's other callers are servers forwarding the tracker's batches
 * (a first-party proxy) or integrations, whose HTTP-library agents (node, curl, python-requests)
 * isbot would flag although no bot visit is behind them.
 */
export function isBotVisit(userAgent: string | undefined): boolean {
  return userAgent !== undefined && /^Mozilla\//.test(userAgent) && isbot(userAgent);
}

/**
 * The privacy rules of `POST /t/{portalId}/collect`, checked before anything is stored:
 * - a bot's completions are dropped (counted per day) unless the portal keeps bots; returns how
 *   many were dropped;
 * - a batch without a visitor token is accepted only from a portal in the `cookieless` mode
 *   (anonymous completions); otherwise 400 naming `utk`.
 * The settings are read only when one of the rules applies, so ordinary batches cost no query.
 */
export async function applyCollectPolicy(
  db: Kysely<Database>,
  portalId: number,
  request: { userAgent: string | undefined; utk: string | undefined; events: number },
): Promise<{ dropped: number } | undefined> {
  let settings: PrivacySettings | undefined;
  const load = async () => (settings ??= await getPrivacySettings(db, portalId));
  if (isBotVisit(request.userAgent) && !(await load()).keepBots) {
    try {
      if (request.events > 0) await countDropped(db, portalId, 'bot', request.events);
    } catch (error) {
      // A counter must never turn a bot's request into a 500 (or cost a real visitor anything).
      console.error(`Counting dropped bot completions of portal ${portalId} failed:`, error);
    }
    return { dropped: request.events };
  }
  if (request.utk === undefined && (await load()).consentMode !== 'cookieless') {
    throw HttpError.validation('Invalid collect request: utk is required (the portal is not in cookieless mode).', [
      {
        message: 'utk is required: anonymous completions are accepted only in the cookieless consent mode',
        in: 'utk',
        code: 'utk_required',
      },
    ]);
  }
  return undefined;
}

/**
 * Checks a tracker event with the HTTP API's schema. An anonymous one (cookieless mode, no utk;
 * the collect policy allowed it) is checked under a stand-in utk, which is then removed, so it
 * passes every other rule of the schema and is stored without a contact.
 */
export function anonymousAware(utk: string | undefined, input: Record<string, unknown>) {
  const parsed = completionInputSchema.safeParse({ ...input, utk: utk ?? 'anonymous-stand-in-token' });
  if (!parsed.success || utk !== undefined) return parsed;
  const { utk: _standIn, ...anonymous } = parsed.data;
  return { success: true as const, data: anonymous };
}
