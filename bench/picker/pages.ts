/** Generated pages for the picker benchmark (deterministic: the same HTML every run). */

/** A shop-like page of about `elements` elements: header nav, sections of product cards, footer. */
export function generatedPage(elements: number): string {
  const card = (section: number, index: number) =>
    `<li class="card product-${index % 7}"><a href="/p/${section}-${index}" class="thumb"><img alt="" width="40" height="40"><span>Item ${section}-${index}</span></a>` +
    `<h3>Product ${section}-${index}</h3><p class="price"><span>$${(index % 90) + 10}</span></p>` +
    `<button class="btn add" type="button"><svg width="10" height="10"></svg><span>Add to cart</span></button></li>`;
  // A card is 10 elements; a section adds 3.
  const perSection = 20;
  const sections = Math.max(1, Math.round((elements - 40) / (perSection * 10 + 3)));
  const nav = Array.from({ length: 8 }, (_, i) => `<li><a href="/c/${i}"><span>Category ${i}</span></a></li>`).join('');
  const body = Array.from(
    { length: sections },
    (_, s) =>
      `<section class="shelf"><h2>Shelf ${s}</h2><ul class="grid">${Array.from({ length: perSection }, (_, i) => card(s, i)).join('')}</ul></section>`,
  ).join('');
  return `<!doctype html><html><head><title>Generated shop</title><style>.grid{display:flex;flex-wrap:wrap;list-style:none}.card{width:180px;margin:4px}</style></head><body><header><nav><ul>${nav}</ul></nav></header><main>${body}</main><footer><p>Generated for the picker benchmark</p></footer></body></html>`;
}

/** A page of about `elements` elements with at least `links` distinct links, for the tracker's click cost. */
export function trackerPage(elements: number, links: number): string {
  const rows = Array.from(
    { length: links },
    (_, i) =>
      `<li class="row"><a href="/article/${i}" class="title"><span>Article ${i}</span></a><p>Summary <em>${i}</em></p><div><button type="button">Save</button><span>tag</span></div></li>`,
  );
  const filler = Math.max(0, Math.round((elements - links * 8 - 10) / 3));
  const extra = Array.from({ length: filler }, (_, i) => `<div class="f"><p>Filler ${i}</p><span>x</span></div>`).join(
    '',
  );
  return `<!doctype html><html><head><title>Tracker page</title></head><body><main><ul>${rows.join('')}</ul>${extra}</main></body></html>`;
}
