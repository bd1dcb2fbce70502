import type { EventDefinition, PropertyDefinition } from './event-definition';

/** A single-quoted JavaScript string literal (the house style of the snippets). */
function quoted(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n')}'`;
}

function example(property: PropertyDefinition): string {
  switch (property.type) {
    case 'number':
      return '0';
    case 'datetime':
      return 'new Date().toISOString()';
    case 'enumeration': {
      const option = property.options.find((candidate) => !candidate.hidden) ?? property.options[0];
      return quoted(option?.value ?? '');
    }
    default:
      return "''";
  }
}

function comment(property: PropertyDefinition): string {
  if (property.type !== 'enumeration') return `${property.label} (${property.type})`;
  const options = property.options.filter((option) => !option.hidden).map((option) => option.value);
  return `${property.label}: one of ${options.join(', ')}${options.length > 1 ? ' (several: separate with ;)' : ''}`;
}

/**
 * The `clicktrail.track(...)` call for an event, with every custom property filled in with an
 * example of its type (the first visible option of an enumeration) and a comment naming it: the
 * starting point the panel offers for the event's custom code.
 */
export function customCodeSnippet(definition: Pick<EventDefinition, 'fullyQualifiedName' | 'properties'>): string {
  const name = quoted(definition.fullyQualifiedName);
  if (definition.properties.length === 0) return `clicktrail.track(${name});`;
  const lines = definition.properties.map(
    (property) => `  ${property.name}: ${example(property)}, // ${comment(property)}`,
  );
  return `clicktrail.track(${name}, {\n${lines.join('\n')}\n});`;
}
