// The studio page's own behaviour: a client-side router (pushState, like a single-page app) and a
// booking widget built as a web component with an open shadow root.
(function () {
  var views = {
    workshops:
      '<h2>Workshops</h2><ul class="products">' +
      '<li class="product-card"><h3>Wheel throwing</h3><button class="btn btn-primary sign-up" type="button">Sign up</button></li>' +
      '<li class="product-card"><h3>Glazing basics</h3><button class="btn btn-primary sign-up" type="button">Sign up</button></li>' +
      '</ul>',
    hours: '<h2>Opening hours</h2><p>Thursday to Sunday, 10:00–17:00.</p>',
  };
  function render() {
    var view = new URLSearchParams(location.search).get('view') || 'workshops';
    document.getElementById('view').innerHTML = views[view] || views.workshops;
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('[data-route]');
    if (!link) return;
    event.preventDefault();
    history.pushState({}, '', '?view=' + link.getAttribute('data-route'));
    render();
  });
  window.addEventListener('popstate', render);
  render();

  class BookingWidget extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      var root = this.attachShadow({ mode: 'open' });
      root.innerHTML =
        '<style>.card{border:1px solid #ccc;border-radius:8px;padding:12px;max-width:320px}' +
        'button{font:inherit;padding:6px 12px}</style>' +
        '<div class="card"><p class="when">Saturdays, 10:00</p>' +
        '<button class="book" type="button"><span>Book a visit</span></button>' +
        '<p class="status" hidden>Booked ✓</p></div>';
      root.querySelector('.book').addEventListener('click', function () {
        root.querySelector('.status').hidden = false;
      });
    }
  }
  customElements.define('ct-booking-widget', BookingWidget);
})();
