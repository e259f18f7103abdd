import { products } from './catalog.js';

const featured = document.getElementById('featured');
for (const product of products.slice(0, 2)) {
  const card = document.createElement('a');
  card.className = 'card';
  card.href = `/product.html?id=${product.id}`;
  card.dataset.product = String(product.id);
  const swatch = document.createElement('div');
  swatch.className = `swatch ${product.swatch}`;
  const name = document.createElement('div');
  name.textContent = product.name;
  card.append(swatch, name);
  featured?.append(card);
}
// #newsletter deliberately has no handler (dead click).
