import { clearCart, findProduct, readCart } from './catalog.js';
import { track } from './layout.js';

const views = ['cart', 'checkout', 'done'];

function currentView() {
  const view = new URLSearchParams(location.search).get('view');
  return views.includes(view) ? view : 'cart';
}

function show(view) {
  for (const name of views) {
    document.getElementById(`view-${name}`).classList.toggle('hidden', name !== view);
  }
  document.title = `Mugs & Metrics — ${view}`;
}

/** SPA navigation: a new history entry and a new view, no page load. */
function go(view) {
  history.pushState({ view }, '', view === 'cart' ? '/cart.html' : `/cart.html?view=${view}`);
  show(view);
}

function renderCart() {
  const items = readCart().map(findProduct).filter(Boolean);
  const list = document.getElementById('cart-items');
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.textContent = `${item.name} — €${item.price}`;
      return li;
    }),
  );
  document.getElementById('cart-empty').classList.toggle('hidden', items.length > 0);
}

document.getElementById('to-checkout').addEventListener('click', () => go('checkout'));
document.getElementById('back-to-cart').addEventListener('click', () => history.back());
document.getElementById('place-order').addEventListener('click', () => {
  track('order_placed', { items: readCart().length });
  clearCart();
  go('done');
});
window.addEventListener('popstate', () => show(currentView()));

renderCart();
show(currentView());
