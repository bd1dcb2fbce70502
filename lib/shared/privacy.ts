import { z } from 'zod';

/**
 * How the site tracker asks for consent (issue 17):
 * - `none`: today's behaviour — the visitor cookie is set on the first page view;
 * - `required`: nothing is stored on the visitor's device and nothing is sent until consent;
 * - `cookieless`: until consent, no cookie or storage and completions are sent without a visitor
 *   token (counted as anonymous); after consent, the normal token.
 */
export const consentModeSchema = z.enum(['none', 'required', 'cookieless']);
export type ConsentMode = z.infer<typeof consentModeSchema>;

/**
 * `object_id` of contact completions sent without a visitor token (cookieless mode, before
 * consent): they count as completions but belong to no contact.
 */
export const ANONYMOUS_OBJECT_ID = '';

export const PRIVACY_LIMITS = { retentionMonthsMin: 1, retentionMonthsMax: 120 } as const;

const retentionMonths = z
  .number({ error: 'retentionMonths must be a whole number of months, or null to keep completions' })
  .int('retentionMonths must be a whole number of months')
  .min(PRIVACY_LIMITS.retentionMonthsMin, `retentionMonths must be at least ${PRIVACY_LIMITS.retentionMonthsMin}`)
  .max(PRIVACY_LIMITS.retentionMonthsMax, `retentionMonths must be at most ${PRIVACY_LIMITS.retentionMonthsMax}`)
  .nullable()
  .describe('Completions that occurred longer ago than this are deleted by the retention job; null keeps them.');

/** A portal's privacy settings, as `GET /settings/v1/privacy` returns them. */
export const privacySettingsSchema = z.object({
  consentMode: consentModeSchema,
  retentionMonths,
  respectDoNotTrack: z.boolean().describe("Treat the browser's Do Not Track signal as a refusal, like GPC."),
  keepBots: z.boolean().describe('Store completions from crawlers and headless browsers instead of dropping them.'),
  /** ISO date-time of the last change; null while the portal still has the defaults. */
  updatedAt: z.string().nullable(),
});
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = {
  consentMode: 'none',
  retentionMonths: null,
  respectDoNotTrack: false,
  keepBots: false,
  updatedAt: null,
};

/** Body of `PATCH /settings/v1/privacy`: any of the settings; the others keep their values. */
export const privacySettingsPatchSchema = z
  .object({
    consentMode: z
      .enum(consentModeSchema.options, { error: 'consentMode must be none, required or cookieless' })
      .optional(),
    retentionMonths: retentionMonths.optional(),
    respectDoNotTrack: z.boolean({ error: 'respectDoNotTrack must be true or false' }).optional(),
    keepBots: z.boolean({ error: 'keepBots must be true or false' }).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, {
    message: 'send at least one of consentMode, retentionMonths, respectDoNotTrack, keepBots',
  });
export type PrivacySettingsPatch = z.infer<typeof privacySettingsPatchSchema>;

/** What the tracker needs of the settings; part of `GET /t/{portalId}/config`. */
export const trackerPrivacySchema = z.object({
  consentMode: consentModeSchema,
  respectDoNotTrack: z.boolean(),
});
export type TrackerPrivacy = z.infer<typeof trackerPrivacySchema>;

/** `GET /contacts/v1/contacts/{id}/export`: everything stored about one contact. */
export const contactExportSchema = z.object({
  exportedAt: z.string(),
  contact: z.object({ id: z.string(), email: z.string().nullable(), createdAt: z.string() }),
  /** The tracker cookies (utk) that resolve to this contact. */
  visitorTokens: z.array(z.object({ utk: z.string(), createdAt: z.string() })),
  /** Every completion associated with the contact, oldest first. */
  completions: z.array(
    z.object({
      id: z.string(),
      eventType: z.string(),
      occurredAt: z.string(),
      receivedAt: z.string(),
      uuid: z.string().nullable(),
      properties: z.record(z.string(), z.union([z.string(), z.number()])),
    }),
  ),
});
export type ContactExport = z.infer<typeof contactExportSchema>;

/** One erasure: that it happened, when and how it was asked for — never what was erased. */
export const erasureRecordSchema = z.object({
  id: z.string(),
  erasedAt: z.string(),
  requestedBy: z.enum(['id', 'email']),
});
export type ErasureRecord = z.infer<typeof erasureRecordSchema>;

export const erasureListSchema = z.object({ results: z.array(erasureRecordSchema) });
export type ErasureList = z.infer<typeof erasureListSchema>;

/** Query of `DELETE /contacts/v1/contacts?email=`. */
export const erasureByEmailQuerySchema = z
  .object({ email: z.email('email must be an email address').max(254) })
  .strict();

/** Completions the collect endpoint dropped without storing them, per day and reason. */
export const droppedReasonSchema = z.enum(['bot']);
export type DroppedReason = z.infer<typeof droppedReasonSchema>;

export const ingestStatsSchema = z.object({
  days: z.number().int(),
  dropped: z.object({ bot: z.number().int() }),
  byDay: z.array(z.object({ date: z.string(), reason: droppedReasonSchema, count: z.number().int() })),
});
export type IngestStats = z.infer<typeof ingestStatsSchema>;
