// Shared header and footer for every page of the demo shop, and the small
// helpers the pages use. Plain ES modules, no framework, no inline scripts or
// styles (the shop works under a strict Content-Security-Policy).
import { readCart } from './catalog.js';

const nav = [
  ['/', 'Home'],
  ['/products.html', 'Products'],
  ['/story.html', 'Our story'],
  ['/cart.html', 'Cart'],
];

function renderHeader() {
  const header = document.querySelector('header');
  if (!header) return;
  const brand = document.createElement('a');
  brand.href = '/';
  brand.className = 'brand';
  brand.textContent = 'Mugs & Metrics';
  header.append(brand);
  for (const [href, label] of nav) {
    const link = document.createElement('a');
    link.href = href;
    link.textContent = label === 'Cart' ? `Cart (${readCart().length})` : label;
    link.dataset.nav = label.toLowerCase().replace(/\s+/g, '-');
    header.append(link);
  }
}

/** Records a custom event when the tracker is there; the shop works without it. */
export function track(name, props) {
  const gosight = window.gosight;
  if (gosight && typeof gosight.track === 'function') gosight.track(name, props);
}

renderHeader();
