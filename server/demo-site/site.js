// The demo shop's own behaviour: a cart counter and a fake form submission. The picker must
// stop these from running while the user picks elements.
(function () {
  var count = Number(sessionStorage.getItem('cart') || 0);
  function render() {
    var badge = document.getElementById('cart-count');
    if (badge) badge.textContent = String(count);
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('.add-to-cart');
    if (!button) return;
    count += 1;
    sessionStorage.setItem('cart', String(count));
    render();
    button.textContent = 'Added ✓';
  });
  var form = document.getElementById('contact-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      document.getElementById('contact-notice').hidden = false;
    });
  }
  render();
})();
