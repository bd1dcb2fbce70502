import {
  DEFAULT_EVENT_PROPERTIES,
  LIMITS,
  PROPERTY_NAME_PATTERN,
  type ErrorDetail,
  type EventDefinition,
  type HeaderLanguage,
  type ImportColumnTarget,
  type ImportMappingEntry,
  type PropertyDefinitionInput,
  type PropertyType,
} from '../../lib/shared';

/** Lower-cased, accents kept apart from letters, punctuation and spacing collapsed: "E-post " → "e post". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Headers that name the contact's email and the event's time, per header language (compared after
 * `normaliseHeader`, so "Händelse vid" matches "handelse vid"). The labels are what HubSpot's import
 * shows in each language; the extra spellings are what exported files commonly use.
 */
const FIELD_HEADERS: Record<HeaderLanguage, Record<'email' | 'occurredAt', readonly string[]>> = {
  en: {
    email: ['email', 'e mail', 'email address', 'e mail address', 'contact email'],
    occurredAt: ['occurred at', 'event occurred at', 'event date', 'occurred', 'timestamp', 'date', 'time'],
  },
  sv: {
    email: ['e post', 'epost', 'e postadress', 'epostadress', 'mejl', 'mejladress'],
    occurredAt: ['handelse vid', 'handelsen intraffade', 'intraffade', 'tidpunkt', 'datum', 'handelsedatum'],
  },
};

export const REQUIRED_FIELD_LABELS: Record<HeaderLanguage, Record<'email' | 'occurredAt', string>> = {
  en: { email: 'Email', occurredAt: 'Event occurred at' },
  sv: { email: 'E-post', occurredAt: 'Händelse vid' },
};

/** An internal property name from a header: "Order value (SEK)" → "order_value_sek". */
export function propertyNameOf(header: string, index: number): string {
  const slug = normaliseHeader(header)
    .replace(/ /g, '_')
    .replace(/^[^a-z]+/, '');
  return (slug || `column_${index + 1}`).slice(0, LIMITS.propertyNameMaxLength).replace(/_+$/, '');
}

/** The property type a column's sample values suggest for a new property (string when unsure). */
export function suggestType(samples: readonly string[]): PropertyType {
  const values = samples.filter((value) => value.trim() !== '');
  if (values.length > 0 && values.every((value) => /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()))) {
    return 'number';
  }
  return 'string';
}

interface ProposalInput {
  headers: readonly string[];
  language: HeaderLanguage;
  /** The existing event the file is for, if chosen. */
  definition?: EventDefinition;
  /** Sample text per column, for the types of proposed new properties. */
  samples: readonly (readonly string[])[];
}

/**
 * The mapping the preview proposes: the email and occurred-at columns by their header in the chosen
 * language, columns whose header is an event property's name or label (or a default event
 * property's name) to that property; other columns become new properties of a new event, and are
 * ignored for an existing event (adding properties to it is left to the user's choice).
 */
export function proposeMapping({ headers, language, definition, samples }: ProposalInput): {
  column: string;
  to: ImportColumnTarget;
}[] {
  const fields = FIELD_HEADERS[language];
  const byName = new Map<string, string>();
  for (const name of Object.keys(DEFAULT_EVENT_PROPERTIES)) byName.set(normaliseHeader(name), name);
  for (const property of definition?.properties ?? []) {
    byName.set(normaliseHeader(property.name), property.name);
    byName.set(normaliseHeader(property.label), property.name);
  }
  const taken = new Set<string>();
  const newNames = new Set<string>();
  return headers.map((header, index) => {
    const key = normaliseHeader(header);
    const take = (field: 'email' | 'occurredAt'): boolean => {
      if (taken.has(field) || !fields[field].includes(key)) return false;
      taken.add(field);
      return true;
    };
    if (take('email')) return { column: header, to: { kind: 'email' } };
    if (take('occurredAt')) return { column: header, to: { kind: 'occurredAt' } };
    const property = byName.get(key);
    if (property !== undefined && !taken.has(`property:${property}`)) {
      taken.add(`property:${property}`);
      return { column: header, to: { kind: 'property', name: property } };
    }
    if (definition) return { column: header, to: { kind: 'ignore' } };
    let name = propertyNameOf(header, index);
    for (let suffix = 2; newNames.has(name); suffix++) name = `${propertyNameOf(header, index).slice(0, 45)}_${suffix}`;
    newNames.add(name);
    return {
      column: header,
      to: {
        kind: 'newProperty',
        property: { name, label: header.trim() || name, type: suggestType(samples[index] ?? []), options: [] },
      },
    };
  });
}

/** A column of the file and the event property its values go to. */
export interface PlannedProperty {
  column: number;
  header: string;
  name: string;
}

/** What a started import does with each row; stored with the job so a resume does exactly the same. */
export interface ImportPlan {
  emailColumn: number;
  occurredAtColumn: number;
  properties: PlannedProperty[];
  headers: string[];
}

export type PlanResult =
  { ok: true; plan: ImportPlan; newProperties: PropertyDefinitionInput[] } | { ok: false; errors: ErrorDetail[] };

/**
 * Resolves the mapping of `POST /imports/v1/{id}/start` against the file's headers and the target
 * event. Columns not in the mapping become new string properties of a new event and are ignored
 * for an existing one. Every problem is reported at once, each naming its mapping entry.
 */
export function resolvePlan(
  headers: readonly string[],
  mapping: readonly ImportMappingEntry[],
  definition: EventDefinition | undefined,
): PlanResult {
  const errors: ErrorDetail[] = [];
  const targets = new Map<number, ImportColumnTarget>();
  mapping.forEach((entry, position) => {
    const at = `mapping.${position}.column`;
    const column = entry.column;
    const index =
      typeof column === 'number'
        ? column < headers.length
          ? column
          : -1
        : headers.findIndex((header) => header === column || header.trim() === column.trim());
    if (index < 0) {
      errors.push({
        message: `the file has no column ${JSON.stringify(entry.column)}; its columns are ${headers.map((header) => JSON.stringify(header)).join(', ')}`,
        in: at,
        code: 'unknown_column',
      });
    } else if (targets.has(index)) {
      errors.push({ message: `column ${JSON.stringify(headers[index])} is mapped twice`, in: at, code: 'duplicate' });
    } else {
      targets.set(index, entry.to);
    }
  });
  if (!definition) {
    const usedNames = new Set(
      [...targets.values()].flatMap((target) => (target.kind === 'newProperty' ? [target.property.name] : [])),
    );
    headers.forEach((header, index) => {
      if (targets.has(index)) return;
      let name = propertyNameOf(header, index);
      for (let suffix = 2; usedNames.has(name); suffix++)
        name = `${propertyNameOf(header, index).slice(0, 45)}_${suffix}`;
      usedNames.add(name);
      targets.set(index, {
        kind: 'newProperty',
        property: { name, label: header.trim() || name, type: 'string', options: [] },
      });
    });
  }

  const known = new Set([
    ...Object.keys(DEFAULT_EVENT_PROPERTIES),
    ...(definition?.properties.map((property) => property.name) ?? []),
  ]);
  let emailColumn = -1;
  let occurredAtColumn = -1;
  const properties: PlannedProperty[] = [];
  const newProperties: PropertyDefinitionInput[] = [];
  const propertyColumns = new Map<string, number>();
  for (const [index, target] of [...targets].sort((a, b) => a[0] - b[0])) {
    const at = `mapping.${mapping.findIndex((entry) => entry.column === headers[index] || entry.column === index)}.to`;
    const header = headers[index]!;
    switch (target.kind) {
      case 'ignore':
        break;
      case 'email':
      case 'occurredAt': {
        const current = target.kind === 'email' ? emailColumn : occurredAtColumn;
        if (current >= 0) {
          errors.push({
            message: `only one column can be ${target.kind}; ${JSON.stringify(headers[current])} already is`,
            in: at,
            code: 'duplicate',
          });
        } else if (target.kind === 'email') emailColumn = index;
        else occurredAtColumn = index;
        break;
      }
      case 'property':
      case 'newProperty': {
        const name = target.kind === 'property' ? target.name : target.property.name;
        if (target.kind === 'property' && !known.has(name)) {
          errors.push({
            message: `${definition ? `event "${definition.name}"` : 'the new event'} has no property "${name}"; map the column to a new property instead`,
            in: `${at}.name`,
            code: 'unknown_property',
          });
          break;
        }
        if (target.kind === 'newProperty') {
          if (known.has(name) || newProperties.some((property) => property.name === name)) {
            errors.push({
              message: `property "${name}" already exists; map the column to it with {"kind": "property"}`,
              in: `${at}.property.name`,
              code: 'duplicate_property',
            });
            break;
          }
          if (!PROPERTY_NAME_PATTERN.test(name)) break; // the schema reported it already
          newProperties.push(target.property);
        }
        const other = propertyColumns.get(name);
        if (other !== undefined) {
          errors.push({
            message: `property "${name}" is already filled from column ${JSON.stringify(headers[other])}`,
            in: at,
            code: 'duplicate',
          });
          break;
        }
        propertyColumns.set(name, index);
        properties.push({ column: index, header, name });
        break;
      }
    }
  }
  if (emailColumn < 0) {
    errors.push({
      message: 'no column is mapped to email: contacts are identified by their email',
      in: 'mapping',
      code: 'required_field',
    });
  }
  if (occurredAtColumn < 0) {
    errors.push({
      message: 'no column is mapped to occurredAt: every imported event needs the time it occurred',
      in: 'mapping',
      code: 'required_field',
    });
  }
  if (properties.length > LIMITS.propertiesPerCompletion) {
    errors.push({
      message: `at most ${LIMITS.propertiesPerCompletion} columns can be event properties; ${properties.length} are`,
      in: 'mapping',
      code: 'too_many_properties',
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { emailColumn, occurredAtColumn, properties, headers: [...headers] }, newProperties };
}
