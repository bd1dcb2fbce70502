import { t } from '../i18n';
import { elementText, tagOf } from '../matcher';
import { describeElement, stableClasses, classSelector, tagSelector, typedStep } from '../selector';
import { deriveEventName, type PagePropertySource } from '../shared';

/** A property source built from a second pick, or why none could be. */
export type RelativeSource =
  { source: Extract<PagePropertySource, { kind: 'relative' }>; description: string } | { problem: string };

function commonAncestor(a: Element, b: Element): Element | null {
  const above = new Set<Element>();
  for (let el: Element | null = a; el; el = el.parentElement) above.add(el);
  for (let el: Element | null = b; el; el = el.parentElement) if (above.has(el)) return el;
  return null;
}

/** Selectors for the container, most general first: they must generalise to every card. */
function containerSelectors(container: Element): string[] {
  const tag = tagSelector(container);
  const classes = stableClasses(container);
  const found =
    classes.length > 0 ? [tag + classSelector(classes.slice(0, 3)), tag + classSelector(classes.slice(0, 1))] : [];
  return [...new Set([...found, tag])];
}

/** Selectors for the value's element inside the container, readable ones first, the position last. */
function innerSelectors(target: Element, container: Element): string[] {
  const tag = tagSelector(target);
  const classes = stableClasses(target);
  const steps: string[] = [];
  for (let el: Element | null = target; el && el !== container; el = el.parentElement) steps.unshift(typedStep(el));
  return [
    ...new Set([
      ...(classes.length > 0 ? [tag + classSelector(classes.slice(0, 3))] : []),
      tag,
      `:scope > ${steps.join(' > ')}`,
    ]),
  ];
}

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);

/**
 * Stores the element `valueElement` relative to the clicked one: their nearest common container
 * (as a selector general enough for every card of a `similar` trigger, checked to be the nearest
 * such ancestor of the clicked element) and a selector inside it that finds exactly the picked
 * element first. When they share no container below `<body>`, the value element is described on
 * its own (for example the page's heading) and looked up from `<body>`.
 */
export function relativeSource(clicked: Element, valueElement: Element): RelativeSource {
  if (clicked.getRootNode() !== valueElement.getRootNode()) {
    return { problem: t('picker.property.sameFrame') };
  }
  if (clicked === valueElement) return { problem: t('picker.property.itself') };
  const common = commonAncestor(clicked, valueElement);
  if (!common) return { problem: t('picker.property.notSamePage') };
  const value = shorten(elementText(valueElement) ?? tagOf(valueElement));

  const tag = tagOf(common);
  if (tag === 'html' || tag === 'body' || common === clicked) {
    const selector = describeElement(valueElement, { mode: 'unique' }).selector;
    const ok = (() => {
      try {
        return clicked.ownerDocument.body?.querySelector(selector) === valueElement;
      } catch {
        return false;
      }
    })();
    if (!ok || common === clicked) return { problem: t('picker.property.notInside') };
    return {
      source: { kind: 'relative', container: 'body', selector },
      description: t('picker.property.onPage', { value }),
    };
  }

  for (const container of containerSelectors(common)) {
    if (clicked.closest(container) !== common) continue;
    for (const selector of innerSelectors(valueElement, common)) {
      let first: Element | null = null;
      try {
        first = common.querySelector(selector);
      } catch {
        continue;
      }
      if (first === valueElement) {
        return {
          source: { kind: 'relative', container, selector },
          description: t('picker.property.inContainer', {
            element: selector.startsWith(':scope') ? tagOf(valueElement) : selector,
            value,
            container,
          }),
        };
      }
    }
  }
  return { problem: t('picker.property.unreachable') };
}

/** An internal property name from a label (`Product name` → `product_name`), or a fallback. */
export function propertyNameFor(label: string, taken: readonly string[]): string {
  const base = (deriveEventName(label) ?? 'property').replace(/-/g, '_').slice(0, 44);
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base}_${n}`;
  return name;
}
