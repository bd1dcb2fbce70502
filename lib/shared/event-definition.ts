import { z } from 'zod';
import { LIMITS } from './limits';
import { EVENT_NAME_PATTERN, PROPERTY_NAME_PATTERN } from './names';
import { triggerSchema } from './trigger';

/**
 * Custom JavaScript of a CUSTOM_SCRIPT event: at most 32 KB of UTF-8. Whether it parses is checked
 * by the server (`server/custom-code/`) with a real JavaScript parser.
 */
export const customCodeSchema = z
  .string()
  .refine(
    (code) => new TextEncoder().encode(code).length <= LIMITS.customCodeMaxBytes,
    `customCode must be at most ${LIMITS.customCodeMaxBytes / 1024} KB (UTF-8)`,
  );

export const primaryObjectSchema = z.enum(['CONTACT', 'COMPANY', 'DEAL', 'TICKET']);
export type PrimaryObject = z.infer<typeof primaryObjectSchema>;

export const trackingTypeSchema = z.enum(['CLICKED_ELEMENT', 'VISITED_URL', 'CUSTOM_SCRIPT', 'MANUAL', 'IMPORT']);
export type TrackingType = z.infer<typeof trackingTypeSchema>;

export const propertyTypeSchema = z.enum(['string', 'number', 'datetime', 'enumeration']);
export type PropertyType = z.infer<typeof propertyTypeSchema>;

export const eventNameSchema = z
  .string()
  .min(1, 'name must not be empty')
  .max(LIMITS.eventNameMaxLength, `name must be at most ${LIMITS.eventNameMaxLength} characters`)
  .regex(
    EVENT_NAME_PATTERN,
    'name must start with a lowercase letter and contain only lowercase letters, digits, "_" and "-"',
  );

export const propertyOptionSchema = z.object({
  label: z.string().min(1).max(LIMITS.propertyValueMaxLength),
  value: z.string().min(1).max(LIMITS.propertyValueMaxLength),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
});
export type PropertyOption = z.infer<typeof propertyOptionSchema>;

/** Adds an issue at `path(index)` for every item whose key an earlier item already had. */
function reportDuplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (index: number) => (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: path(index), message: `duplicate ${what} "${key}"` });
    seen.add(key);
  });
}

/** Option values identify options in completions, so each may appear once. */
function checkUniqueOptionValues(options: readonly PropertyOption[], ctx: z.RefinementCtx): void {
  reportDuplicates(
    options,
    (option) => option.value,
    (index) => ['options', index, 'value'],
    'option value',
    ctx,
  );
}

export const propertyDefinitionInputSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(LIMITS.propertyNameMaxLength, `property name must be at most ${LIMITS.propertyNameMaxLength} characters`)
      .regex(
        PROPERTY_NAME_PATTERN,
        'property name must start with a lowercase letter and contain only lowercase letters, digits and "_"',
      ),
    label: z.string().min(1).max(LIMITS.labelMaxLength),
    type: propertyTypeSchema,
    description: z.string().max(LIMITS.descriptionMaxLength).optional(),
    options: z.array(propertyOptionSchema).max(1000).default([]),
  })
  .strict()
  .superRefine((property, ctx) => {
    if (property.type === 'enumeration' && property.options.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'an enumeration property needs at least one option' });
    }
    if (property.type !== 'enumeration' && property.options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only enumeration properties take options' });
    }
    checkUniqueOptionValues(property.options, ctx);
  });
export type PropertyDefinitionInput = z.infer<typeof propertyDefinitionInputSchema>;

/** Body of `POST /events/v3/event-definitions`. */
export const eventDefinitionCreateSchema = z
  .object({
    label: z
      .string()
      .trim()
      .min(1, 'label is required')
      .max(LIMITS.labelMaxLength, `label must be at most ${LIMITS.labelMaxLength} characters`),
    name: eventNameSchema.optional(),
    description: z.string().max(LIMITS.descriptionMaxLength).optional(),
    primaryObject: primaryObjectSchema.default('CONTACT'),
    propertyDefinitions: z.array(propertyDefinitionInputSchema).max(LIMITS.propertiesPerCompletion).default([]),
    trackingType: trackingTypeSchema.optional(),
    trigger: triggerSchema.optional(),
    customCode: customCodeSchema.optional(),
  })
  .strict()
  .superRefine((definition, ctx) => {
    if (definition.customCode !== undefined && definition.trackingType !== 'CUSTOM_SCRIPT') {
      ctx.addIssue({
        code: 'custom',
        path: ['customCode'],
        message: 'customCode needs trackingType CUSTOM_SCRIPT',
      });
    }
    if (definition.trigger && definition.trackingType === 'CUSTOM_SCRIPT') {
      ctx.addIssue({
        code: 'custom',
        path: ['trigger'],
        message: 'a custom-script event has no trigger: its code decides when it fires',
      });
    }
    reportDuplicates(
      definition.propertyDefinitions,
      (property) => property.name,
      (index) => ['propertyDefinitions', index, 'name'],
      'property name',
      ctx,
    );
    if (
      definition.trigger?.kind === 'click' &&
      definition.trackingType &&
      definition.trackingType !== 'CLICKED_ELEMENT'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['trackingType'],
        message: 'a click trigger needs trackingType CLICKED_ELEMENT',
      });
    }
    if (
      definition.trigger?.kind === 'pageview' &&
      definition.trackingType &&
      definition.trackingType !== 'VISITED_URL'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['trackingType'],
        message: 'a page-view trigger needs trackingType VISITED_URL',
      });
    }
    // A page property the event does not define would be dropped from every completion.
    const defined = new Set(definition.propertyDefinitions.map((property) => property.name));
    definition.trigger?.properties?.forEach((property, index) => {
      if (!defined.has(property.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['trigger', 'properties', index, 'name'],
          message: `page property "${property.name}" must also be in propertyDefinitions`,
        });
      }
    });
  });
export type EventDefinitionCreate = z.input<typeof eventDefinitionCreateSchema>;
export type EventDefinitionCreateParsed = z.output<typeof eventDefinitionCreateSchema>;

/**
 * Body of `PATCH /events/v3/event-definitions/{eventName}`. `name` and `primaryObject` are
 * immutable: they may be sent only with their current values. `archived: false` restores an
 * archived event. `version` (or an `If-Match` header) makes the write conditional.
 */
export const eventDefinitionPatchSchema = z
  .object({
    label: z
      .string()
      .trim()
      .min(1, 'label must not be empty')
      .max(LIMITS.labelMaxLength, `label must be at most ${LIMITS.labelMaxLength} characters`)
      .optional(),
    description: z.string().max(LIMITS.descriptionMaxLength).nullable().optional(),
    trigger: triggerSchema.nullable().optional(),
    archived: z.boolean().optional(),
    /** A paused event stays defined but is left out of the tracker's config and custom code. */
    paused: z.boolean().optional(),
    /** Only on CUSTOM_SCRIPT events; `null` removes the code. */
    customCode: customCodeSchema.nullable().optional(),
    name: z.string().optional(),
    primaryObject: z.string().optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();
export type EventDefinitionPatch = z.input<typeof eventDefinitionPatchSchema>;

/** Body of `PATCH .../property/{propertyName}`: the name and type of a property are immutable. */
export const propertyPatchSchema = z
  .object({
    label: z.string().trim().min(1).max(LIMITS.labelMaxLength).optional(),
    description: z.string().max(LIMITS.descriptionMaxLength).nullable().optional(),
    options: z.array(propertyOptionSchema).max(1000).optional(),
    name: z.string().optional(),
    type: z.string().optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((patch, ctx) => checkUniqueOptionValues(patch.options ?? [], ctx));
export type PropertyPatch = z.input<typeof propertyPatchSchema>;

export const propertyDefinitionSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: propertyTypeSchema,
  description: z.string().optional(),
  options: z.array(propertyOptionSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PropertyDefinition = z.infer<typeof propertyDefinitionSchema>;

export const eventStatusSchema = z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED']);

/** A stored definition as the API returns it. */
export const eventDefinitionSchema = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  labels: z.object({ singular: z.string(), plural: z.string().nullable() }),
  description: z.string().optional(),
  fullyQualifiedName: z.string(),
  primaryObject: primaryObjectSchema,
  trackingType: trackingTypeSchema,
  trigger: triggerSchema.nullable(),
  status: eventStatusSchema,
  archived: z.boolean(),
  paused: z.boolean(),
  /** CUSTOM_SCRIPT events: the JavaScript that runs on the site as part of the tracker. */
  customCode: z.string().optional(),
  properties: z.array(propertyDefinitionSchema),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventDefinition = z.infer<typeof eventDefinitionSchema>;

export const eventDefinitionListSchema = z.object({
  total: z.number().int(),
  results: z.array(eventDefinitionSchema),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
export type EventDefinitionList = z.infer<typeof eventDefinitionListSchema>;

export const accountDetailsSchema = z.object({
  portalId: z.number().int(),
  name: z.string(),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;
