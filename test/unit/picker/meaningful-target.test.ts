// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { meaningfulTarget, parentTarget } from '../../../lib/picker/meaningful-target';

beforeEach(() => {
  document.body.innerHTML = `
    <nav><ul><li><a href="/shop" id="link"><span id="in-link"><b id="deep">Shop</b></span><svg id="icon"><path id="path"/></svg></a></li></ul></nav>
    <button id="button"><img id="img" alt=""><span id="in-button">Buy</span></button>
    <div role="tab" id="tab"><span id="in-tab">Reviews</span></div>
    <label id="label"><span id="in-label">Agree</span><input id="checkbox" type="checkbox"></label>
    <details><summary id="summary"><i id="in-summary">More</i></summary></details>
    <div onclick="void 0" id="handler"><p id="in-handler">Card</p></div>
    <a id="anchor-no-href"><span id="in-anchor">x</span></a>
    <p id="plain"><span id="in-plain">text</span></p>`;
});

const byId = (id: string) => document.getElementById(id)!;

describe('meaningfulTarget', () => {
  it.each([
    ['text in a span inside a link', 'deep', 'link'],
    ['an icon path inside a link', 'path', 'link'],
    ['an image inside a button', 'img', 'button'],
    ['text inside role=tab', 'in-tab', 'tab'],
    ['text inside a label', 'in-label', 'label'],
    ['text inside a summary', 'in-summary', 'summary'],
    ['text inside an onclick element', 'in-handler', 'handler'],
    ['the clickable element itself', 'button', 'button'],
    ['a form control stays itself (never its label)', 'checkbox', 'checkbox'],
    ['an anchor without href is not a link', 'in-anchor', 'in-anchor'],
    ['plain text stays itself', 'in-plain', 'in-plain'],
  ])('%s', (_case, from, to) => {
    expect(meaningfulTarget(byId(from)).id).toBe(to);
  });

  it('never snaps to <body> (a site-wide click handler)', () => {
    document.body.setAttribute('onclick', 'void 0');
    expect(meaningfulTarget(byId('in-plain')).id).toBe('in-plain');
  });

  it('snaps within a shadow root', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<button id="shadow-button"><span id="shadow-span">Go</span></button>';
    expect(meaningfulTarget(shadow.getElementById('shadow-span')!).id).toBe('shadow-button');
  });
});

describe('parentTarget', () => {
  it('goes up to the parent, out of a shadow root to its host, and stops below <body>', () => {
    expect(parentTarget(byId('link'))?.tagName).toBe('LI');
    expect(parentTarget(byId('plain'))).toBeNull();
    const host = document.createElement('div');
    byId('plain').append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<button>Go</button>';
    expect(parentTarget(shadow.querySelector('button')!)).toBe(host);
  });
});
