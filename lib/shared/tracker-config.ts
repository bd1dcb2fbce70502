import { z } from 'zod';
import { trackerPrivacySchema } from './privacy';
import { triggerSchema } from './trigger';

/** What `GET /t/{portalId}/config` returns: the portal's active point-and-click definitions. */
export const trackerConfigSchema = z.object({
  portalId: z.number().int(),
  definitions: z.array(
    z.object({
      name: z.string(),
      fullyQualifiedName: z.string(),
      trigger: triggerSchema,
    }),
  ),
  /**
   * Version of `/t/{portalId}/custom.js` when the portal's active events have custom code; the
   * tracker then loads that script (absent: nothing to load, no extra request).
   */
  customScript: z.string().optional(),
  /** The portal's consent mode and Do Not Track option (issue 17). */
  privacy: trackerPrivacySchema,
});
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
