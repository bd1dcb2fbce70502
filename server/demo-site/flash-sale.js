// The flash-sale page's own behaviour: a menu opened by a click (closed by a click elsewhere), a
// quick view in a modal dialog, a claim button whose handler throws after counting, and hostile
// options by query string:
//   ?css=aggressive     global CSS that resets, hides and restyles everything it does not know;
//   ?globals=broken     DOM and language globals redefined badly (as old polyfills and bad
//                       libraries do) before any other script runs;
//   ?strip=unknown      a guard that removes every element it does not know from <html>.
(function () {
  var options = new URLSearchParams(location.search);

  if (options.get('css') === 'aggressive') {
    var style = document.createElement('style');
    style.textContent =
      '*, *::before, *::after { font: 900 31px/2 "Comic Sans MS", fantasy !important;' +
      ' color: #f0f !important; letter-spacing: 4px !important; text-transform: uppercase !important;' +
      ' transform: rotate(0.0001deg) !important; box-sizing: content-box !important; }' +
      ':not(:defined), html > :not(head):not(body) { display: none !important; visibility: hidden !important; }' +
      'div, span, button, input, textarea, select, label { all: unset; }' +
      '.locked, .claim, .ribbon { display: inline-block; }' +
      'html { filter: saturate(1.01) !important; }';
    document.documentElement.appendChild(style);
  }

  if (options.get('globals') === 'broken') {
    Element.prototype.closest = function () {
      throw new Error('closest() is not supported here');
    };
    Element.prototype.matches = function () {
      return false;
    };
    Array.prototype.map = function () {
      return [];
    };
    Array.from = function () {
      return [];
    };
    window.MutationObserver = undefined;
    window.requestAnimationFrame = function () {
      return 0;
    };
    Node.prototype.contains = function () {
      return false;
    };
    JSON.stringify = function () {
      throw new Error('no JSON today');
    };
  }

  if (options.get('strip') === 'unknown') {
    var known = { HEAD: true, BODY: true, STYLE: true, SCRIPT: true };
    new window.MutationObserver(function () {
      var children = document.documentElement.children;
      for (var i = children.length - 1; i >= 0; i--) {
        if (!known[children[i].tagName]) children[i].remove();
      }
    }).observe(document.documentElement, { childList: true });
  }

  var claimed = 0;
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target.id === 'menu-toggle') {
      var menu = document.getElementById('sale-menu');
      menu.hidden = !menu.hidden;
      target.setAttribute('aria-expanded', String(!menu.hidden));
      return;
    }
    if (target.parentElement && target.parentElement.getAttribute('role') !== 'none') {
      var open = document.getElementById('sale-menu');
      if (open && !open.hidden) {
        open.hidden = true;
        document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
      }
    }
    // A quick view in a modal <dialog>: everything outside it is inert while it is open.
    if (target.classList && target.classList.contains('quick-view')) {
      document.getElementById('quick-view').showModal();
      return;
    }
    if (target.classList && target.classList.contains('close-quick-view')) {
      document.getElementById('quick-view').close();
      return;
    }
    if (target.classList && target.classList.contains('wishlist')) {
      target.textContent = 'On your wishlist ✓';
      return;
    }
    if (target.classList && target.classList.contains('claim')) {
      claimed += 1;
      document.getElementById('claimed-count').textContent = String(claimed);
      throw new Error('The sale widget failed after counting (a site bug the picker must survive).');
    }
  });
})();
