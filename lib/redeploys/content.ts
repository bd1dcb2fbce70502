/**
 * Which elements the benchmark tracks, and how it recognises "the same element" on two
 * captures of a page (corpus README): a link by its href path and text, a heading by its text,
 * a button by its label, an image by its file name. Deliberately independent of lib/selector
 * and lib/matcher, so the benchmark does not grade Clicktrail with Clicktrail's own notions.
 */

/** What users pick in practice: links, buttons, headings and images. */
export const TRACKABLE =
  'a[href], button, input[type="submit"], input[type="button"], [role="button"], h1, h2, h3, h4, h5, h6, img';

const norm = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);

function fileName(src: string | null): string | undefined {
  if (!src || src.startsWith('data:')) return undefined;
  const path = src.split(/[?#]/)[0] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.length >= 3 ? decodeURIComponentSafe(name).toLowerCase() : undefined;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function imageFile(img: Element): string | undefined {
  const srcset = img.getAttribute('srcset') ?? img.getAttribute('data-srcset');
  return (
    fileName(img.getAttribute('src')) ??
    fileName(img.getAttribute('data-src')) ??
    fileName(img.getAttribute('data-lazy-src')) ??
    fileName(srcset?.trim().split(/\s+/)[0] ?? null)
  );
}

/** Host without `www.` and path without trailing slash; query and hash dropped (tracking parameters change). */
function linkTarget(el: Element): string | undefined {
  const raw = el.getAttribute('href')?.trim();
  if (!raw || /^(?:javascript:|#$)/i.test(raw)) return undefined;
  if (raw.startsWith('#')) return raw;
  try {
    const url = new URL(raw, el.ownerDocument.baseURI);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol}${url.pathname}`;
    return `${url.host.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return raw.split(/[?#]/)[0];
  }
}

/** The content identity of a trackable element, or undefined when it has none worth comparing. */
export function contentKey(el: Element): string | undefined {
  const tag = el.localName;
  if (tag === 'a') {
    const target = linkTarget(el);
    const img = el.querySelector('img');
    const text = norm(el.textContent) || (img ? `img:${imageFile(img) ?? ''}` : '');
    return target && text && text !== 'img:' ? `link ${target} ${text}` : undefined;
  }
  if (/^h[1-6]$/.test(tag)) {
    const text = norm(el.textContent);
    return text ? `heading ${text}` : undefined;
  }
  if (tag === 'img') {
    const file = imageFile(el);
    return file ? `image ${file}` : undefined;
  }
  const label = norm(el.textContent) || norm(el.getAttribute('value')) || norm(el.getAttribute('aria-label'));
  return label ? `button ${label}` : undefined;
}
