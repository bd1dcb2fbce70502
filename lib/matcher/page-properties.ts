import type { PageProperty, PagePropertySource } from '../shared/trigger';
import { elementText } from './text';

/** One property's value on the page, or why there is none. */
export type PropertyReading = { name: string; value: string } | { name: string; missing: string };

function readElement(el: Element, attribute: string | undefined): string | undefined {
  if (attribute === undefined) return elementText(el);
  const value = el.getAttribute(attribute);
  return value === null ? undefined : value.trim() || undefined;
}

function readSource(source: PagePropertySource, clicked: Element | null, href: string): string | PropertyMissing {
  switch (source.kind) {
    case 'text':
      if (!clicked) return { missing: 'no clicked element' };
      return elementText(clicked) ?? { missing: 'the clicked element has no text' };
    case 'attribute':
      if (!clicked) return { missing: 'no clicked element' };
      return readElement(clicked, source.attribute) ?? { missing: `the clicked element has no ${source.attribute}` };
    case 'relative': {
      if (!clicked) return { missing: 'no clicked element' };
      let container: Element | null;
      let target: Element | null;
      try {
        container = clicked.closest(source.container);
        target = container && container.querySelector(source.selector);
      } catch {
        return { missing: 'the selector is not valid CSS' };
      }
      if (!container) return { missing: `no ${source.container} around the clicked element` };
      if (!target) return { missing: `nothing matches ${source.selector} in ${source.container}` };
      return (
        readElement(target, source.attribute) ?? {
          missing: source.attribute ? `the element has no ${source.attribute}` : 'the element has no text',
        }
      );
    }
    case 'query': {
      const value = new URL(href).searchParams.get(source.parameter);
      return value === null ? { missing: `the URL has no ?${source.parameter}=` } : value;
    }
    default:
      return { missing: 'unknown property source' };
  }
}

/** The first number in a text (`$1,299.50` → `1299.50`, `4,5 €` → `4.5`), or undefined. */
export function firstNumber(text: string): string | undefined {
  const match = /-?\d[\d\s,.']*/.exec(text);
  if (!match) return undefined;
  let digits = match[0].replace(/[\s']/g, '').replace(/[.,]$/, '');
  const lastComma = digits.lastIndexOf(',');
  const lastDot = digits.lastIndexOf('.');
  // A comma after the last dot with one or two digits behind it is a decimal comma.
  if (lastComma > lastDot && digits.length - lastComma - 1 <= 2) digits = digits.replace(/\./g, '').replace(',', '.');
  else digits = digits.replace(/,/g, '');
  return Number.isFinite(Number(digits)) ? digits : undefined;
}

interface PropertyMissing {
  missing: string;
}

/**
 * Reads a trigger's page properties for a click on `clicked` (null for a page view) on the page at
 * `href`. Never throws: a selector that does not parse or finds nothing gives a `missing` reading
 * with the reason, which the picker shows and the tracker leaves out of the completion.
 */
export function readPageProperties(
  properties: readonly (Omit<PageProperty, 'type'> & { type?: PageProperty['type'] })[] | undefined,
  clicked: Element | null,
  href: string,
): PropertyReading[] {
  return (properties ?? []).map(({ name, source, type }) => {
    try {
      const value = readSource(source, clicked, href);
      if (typeof value !== 'string') return { name, missing: value.missing };
      if (type !== 'number') return { name, value };
      const number = firstNumber(value);
      return number === undefined
        ? { name, missing: `“${value.slice(0, 40)}” has no number` }
        : { name, value: number };
    } catch {
      // A page that broke DOM globals: the value cannot be read, the event still fires.
      return { name, missing: 'the page did not let Clicktrail read it' };
    }
  });
}

/** The readings that have a value, as completion properties. */
export function propertyValues(readings: readonly PropertyReading[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const reading of readings) if ('value' in reading) values[reading.name] = reading.value;
  return values;
}
