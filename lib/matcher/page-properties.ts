import type { PageProperty, PagePropertySource } from '../shared/trigger';
import { elementText } from './text';

/** One property's value on the page, or why there is none. */
export type PropertyReading = { name: string; value: string } | { name: string; missing: string };

function readElement(el: Element, attribute: string | undefined): string | undefined {
  if (attribute === undefined) return elementText(el);
  const value = el.getAttribute(attribute);
  return value === null ? undefined : value.trim() || undefined;
}

/** The value `source` reads for a click on `clicked` at `href`, or undefined when there is none. */
function sourceValue(source: PagePropertySource, clicked: Element | null, href: string): string | undefined {
  if (source.kind === 'query') return new URL(href).searchParams.get(source.parameter) ?? undefined;
  if (!clicked) return undefined;
  if (source.kind === 'text') return elementText(clicked);
  if (source.kind === 'attribute') return readElement(clicked, source.attribute);
  if (source.kind !== 'relative') return undefined;
  try {
    const target = clicked.closest(source.container)?.querySelector(source.selector);
    return target ? readElement(target, source.attribute) : undefined;
  } catch {
    return undefined; // not valid CSS
  }
}

/**
 * Why `source` has no value (`sourceValue` gave undefined), for the picker and test mode; the
 * tracker only needs the values, so its bundle leaves this out.
 */
function missingReason(source: PagePropertySource, clicked: Element | null): string {
  switch (source.kind) {
    case 'query':
      return `the URL has no ?${source.parameter}=`;
    case 'text':
      return clicked ? 'the clicked element has no text' : 'no clicked element';
    case 'attribute':
      return clicked ? `the clicked element has no ${source.attribute}` : 'no clicked element';
    case 'relative': {
      if (!clicked) return 'no clicked element';
      let container: Element | null;
      try {
        container = clicked.closest(source.container);
        if (container && !container.querySelector(source.selector))
          return `nothing matches ${source.selector} in ${source.container}`;
      } catch {
        return 'the selector is not valid CSS';
      }
      if (!container) return `no ${source.container} around the clicked element`;
      return source.attribute ? `the element has no ${source.attribute}` : 'the element has no text';
    }
    default:
      return 'unknown property source';
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

type Property = Omit<PageProperty, 'type'> & { type?: PageProperty['type'] };
type Properties = readonly Property[] | undefined;

/** One property's value as sent: a number property's first number; undefined when there is none. */
function propertyValue({ source, type }: Property, clicked: Element | null, href: string): string | undefined {
  const value = sourceValue(source, clicked, href);
  return value === undefined || type !== 'number' ? value : firstNumber(value);
}

/**
 * Reads a trigger's page properties for a click on `clicked` (null for a page view) on the page at
 * `href`. Never throws: a selector that does not parse or finds nothing gives a `missing` reading
 * with the reason, which the picker shows and the tracker leaves out of the completion.
 */
export function readPageProperties(properties: Properties, clicked: Element | null, href: string): PropertyReading[] {
  return (properties ?? []).map((property) => {
    const { name, source, type } = property;
    try {
      const value = propertyValue(property, clicked, href);
      if (value !== undefined) return { name, value };
      const text = sourceValue(source, clicked, href);
      if (type === 'number' && text !== undefined) return { name, missing: `“${text.slice(0, 40)}” has no number` };
      return { name, missing: missingReason(source, clicked) };
    } catch {
      // A page that broke DOM globals: the value cannot be read, the event still fires.
      return { name, missing: 'the page did not let Clicktrail read it' };
    }
  });
}

/**
 * The properties a completion carries (`readPageProperties`' values, without the reasons for the
 * missing ones): what the tracker sends.
 */
export function pagePropertyValues(
  properties: Properties,
  clicked: Element | null,
  href: string,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const property of properties ?? []) {
    try {
      const value = propertyValue(property, clicked, href);
      if (value !== undefined) values[property.name] = value;
    } catch {
      // A page that broke DOM globals: left out, the event still fires.
    }
  }
  return values;
}
