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
  /**
   * Share of page views (0–1) whose click triggers the tracker checks and reports as selector
   * health (issue 9); absent or 0: no checks.
   */
  healthSampleRate: z.number().min(0).max(1).optional(),
});
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
