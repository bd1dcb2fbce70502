import type { Kysely } from 'kysely';
import type { TrackerPrivacy } from '../../lib/shared';
import type { Database } from '../storage/schema';
import { getPrivacySettings } from '../storage/privacy-settings';

/** What `GET /t/{portalId}/config` tells the tracker about consent. */
export async function trackerPrivacy(db: Kysely<Database>, portalId: number): Promise<TrackerPrivacy> {
  const settings = await getPrivacySettings(db, portalId);
  return { consentMode: settings.consentMode, respectDoNotTrack: settings.respectDoNotTrack };
}
