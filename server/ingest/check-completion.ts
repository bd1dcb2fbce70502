/**
 * The completion validation engine: applies an event definition to a completion that passed the
 * wire schema (`completionInputSchema` in `lib/shared`). Server-only: the extension and the
 * tracker never check completions against definitions.
 */
import {
  DEFAULT_EVENT_PROPERTIES,
  LIMITS,
  parseFullyQualifiedEventName,
  parseTimestamp,
  PROPERTY_NAME_PATTERN,
  URL_PROPERTY_NAMES,
  type CompletionInput,
  type CompletionPropertyValue,
  type ErrorDetail,
  type PrimaryObject,
  type PropertyType,
} from '../../lib/shared';
/** How one property of an event accepts values. */
export interface CompletionPropertyRule {
  type: PropertyType;
  /** Values of the enumeration's options. */
  options?: ReadonlySet<string>;
}

/** What `checkCompletionInput` needs to know about the event a completion names. */
export interface CompletionTarget {
  name: string;
  primaryObject: PrimaryObject;
  archived: boolean;
  /** The event's own properties by name; default event properties are added by the check. */
  rules: ReadonlyMap<string, CompletionPropertyRule>;
}

/** Rules of an event's properties, from the definition's property list. */
export function completionPropertyRules(
  properties: readonly { name: string; type: PropertyType; options: readonly { value: string }[] }[],
): Map<string, CompletionPropertyRule> {
  return new Map(
    properties.map((property) => [
      property.name,
      property.type === 'enumeration'
        ? { type: property.type, options: new Set(property.options.map((option) => option.value)) }
        : { type: property.type },
    ]),
  );
}

/** A completion that passed every check, ready to store. */
export interface CheckedCompletion {
  occurredAt: number;
  objectType: PrimaryObject;
  email?: string;
  utk?: string;
  objectId?: string;
  /** Stored values: numbers for number properties, ISO strings for datetimes, strings otherwise. */
  properties: Record<string, string | number>;
  uuid?: string;
}

export type CompletionCheck = { ok: true; completion: CheckedCompletion } | { ok: false; errors: ErrorDetail[] };

/**
 * Applies an event definition to a completion that passed `completionInputSchema`: the event must
 * be the caller's, exist and be active; the identity must fit its primary object; every property
 * must obey the source material's limits and its definition. `path` prefixes every error's `in`
 * (`''` for a single send, `inputs.3.` in a batch).
 */
export function checkCompletionInput(
  input: CompletionInput,
  target: CompletionTarget | undefined,
  context: { portalId: number; receivedAt: number; path: string },
): CompletionCheck {
  const { path } = context;
  const parsed = parseFullyQualifiedEventName(input.eventName);
  const errors: ErrorDetail[] = [];
  if (!parsed || parsed.portalId !== context.portalId) {
    errors.push({
      message: `"${input.eventName}" is not an event of portal ${context.portalId}; its events are named pe${context.portalId}_{name}`,
      in: `${path}eventName`,
      code: 'wrong_portal',
    });
    return { ok: false, errors };
  }
  if (!target) {
    errors.push({
      message: `no event named "${parsed.name}" exists (eventName "${input.eventName}"); create its definition first`,
      in: `${path}eventName`,
      code: 'unknown_event',
    });
    return { ok: false, errors };
  }
  if (target.archived) {
    errors.push({
      message: `event "${target.name}" is archived and accepts no new completions`,
      in: `${path}eventName`,
      code: 'archived_event',
    });
  }
  if (target.primaryObject !== 'CONTACT' && input.objectId === undefined) {
    errors.push({
      message: `event "${target.name}" is associated with ${target.primaryObject} records: identify the record with objectId (email and utk identify contacts)`,
      in: `${path}objectId`,
      code: 'object_required',
    });
  }
  const objectId = input.objectId === undefined ? undefined : String(input.objectId);
  if (target.primaryObject === 'CONTACT' && objectId !== undefined && !/^[1-9]\d{0,15}$/.test(objectId)) {
    errors.push({ message: `no contact has the id "${objectId}"`, in: `${path}objectId`, code: 'unknown_object' });
  }
  const properties = validateCompletionProperties(input.properties ?? {}, target.rules, `${path}properties`);
  errors.push(...properties.errors);
  if (errors.length > 0) return { ok: false, errors };

  const completion: CheckedCompletion = {
    occurredAt: input.occurredAt === undefined ? context.receivedAt : parseTimestamp(input.occurredAt)!,
    objectType: target.primaryObject,
    properties: properties.values,
  };
  if (input.email !== undefined) completion.email = input.email.toLowerCase();
  if (input.utk !== undefined) completion.utk = input.utk;
  if (objectId !== undefined) completion.objectId = objectId;
  if (input.uuid !== undefined) completion.uuid = input.uuid;
  return { ok: true, completion };
}

// --- Properties ----------------------------------------------------------------------------------

const NUMBER_PATTERN = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DEFAULT_RULES: ReadonlyMap<string, CompletionPropertyRule> = new Map(
  Object.entries(DEFAULT_EVENT_PROPERTIES).map(([name, type]) => [name, { type }]),
);

/** Shortens user-supplied text quoted in an error so a huge name or value cannot bloat the response. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * Checks and normalises a completion's properties, rejecting (never truncating: that is the JS
 * API's behaviour) anything over the source material's limits:
 * - names are lower-cased, then must match `^[a-z][a-z0-9_]*$` and be at most 50 characters;
 * - names equal after lower-casing are duplicates and only one is used: the first of the original
 *   keys in sorted (code-unit) order, so "PLAN" beats "Plan" beats "plan" and the choice never
 *   depends on the order of the JSON object's keys (the same rule as `truncateProperties`);
 * - at most 50 distinct properties;
 * - values at most 256 characters (1024 for url, referrer, hs_url, hs_referrer);
 * - the property must be defined on the event or be a default event property, and the value must
 *   fit its type: numbers as JSON numbers or numeric strings (stored as numbers), datetimes as epoch
 *   milliseconds or ISO 8601 (stored as ISO in UTC), enumerations as `;`-separated option values.
 */
export function validateCompletionProperties(
  properties: Readonly<Record<string, CompletionPropertyValue>>,
  rules: ReadonlyMap<string, CompletionPropertyRule>,
  path: string,
): { values: Record<string, string | number>; errors: ErrorDetail[] } {
  const chosen = new Map<string, string>();
  for (const key of Object.keys(properties)) {
    const name = key.toLowerCase();
    const current = chosen.get(name);
    if (current === undefined || key < current) chosen.set(name, key);
  }
  const values: Record<string, string | number> = {};
  const errors: ErrorDetail[] = [];
  if (chosen.size > LIMITS.propertiesPerCompletion) {
    errors.push({
      message: `a completion has at most ${LIMITS.propertiesPerCompletion} properties; this one has ${chosen.size}`,
      in: path,
      code: 'too_many_properties',
    });
    return { values, errors };
  }
  for (const [name, key] of chosen) {
    const at = `${path}.${key.length > 60 ? `${key.slice(0, 57)}...` : key}`;
    if (key.length > LIMITS.propertyNameMaxLength) {
      errors.push({
        message: `property name ${quote(key)} is longer than ${LIMITS.propertyNameMaxLength} characters`,
        in: at,
        code: 'too_long',
      });
      continue;
    }
    if (!PROPERTY_NAME_PATTERN.test(name)) {
      errors.push({
        message: `property name ${quote(key)} must start with a letter and contain only a-z, 0-9 and "_"`,
        in: at,
        code: 'invalid_name',
      });
      continue;
    }
    const rule = rules.get(name) ?? DEFAULT_RULES.get(name);
    if (!rule) {
      errors.push({
        message: `${quote(name)} is neither a property of this event nor a default event property; define it on the event first`,
        in: at,
        code: 'unknown_property',
      });
      continue;
    }
    const result = checkValue(name, properties[key]!, rule);
    if (typeof result === 'string' || typeof result === 'number') values[name] = result;
    else errors.push({ ...result, in: at });
  }
  return { values, errors };
}

function checkValue(
  name: string,
  value: CompletionPropertyValue,
  rule: CompletionPropertyRule,
): string | number | { message: string; code: string } {
  const text = String(value);
  const max = URL_PROPERTY_NAMES.has(name) ? LIMITS.urlPropertyValueMaxLength : LIMITS.propertyValueMaxLength;
  if (text.length > max)
    return { message: `the value of "${name}" is longer than ${max} characters`, code: 'too_long' };
  switch (rule.type) {
    case 'string':
      return text;
    case 'number': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && NUMBER_PATTERN.test(value)
            ? Number(value)
            : NaN;
      if (Number.isFinite(number)) return number;
      return { message: `"${name}" is a number property; ${quote(text)} is not a number`, code: 'invalid_number' };
    }
    case 'datetime': {
      const time = typeof value === 'boolean' ? undefined : parseTimestamp(value);
      if (time !== undefined) return new Date(time).toISOString();
      return {
        message: `"${name}" is a datetime property; ${quote(text)} is neither epoch milliseconds nor an ISO 8601 date-time`,
        code: 'invalid_datetime',
      };
    }
    case 'enumeration': {
      const options = rule.options ?? new Set<string>();
      const unknown = text.split(';').filter((part) => !options.has(part));
      if (unknown.length === 0) return text;
      const allowed = [...options].slice(0, 20).join(', ');
      return {
        message: `"${name}" has no option ${unknown.map(quote).slice(0, 5).join(', ')}; its options are ${allowed}${options.size > 20 ? ', ...' : ''} (separate several with ";")`,
        code: 'invalid_option',
      };
    }
  }
}
