import { z } from 'zod';
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
});
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
