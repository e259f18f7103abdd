import { products } from './catalog.js';

const list = document.getElementById('product-list');
for (const product of products) {
  const card = document.createElement('div');
  card.className = 'card';
  const swatch = document.createElement('div');
  swatch.className = `swatch ${product.swatch}`;
  const link = document.createElement('a');
  link.href = `/product.html?id=${product.id}`;
  link.textContent = product.name;
  link.id = `product-${product.id}`;
  const price = document.createElement('div');
  price.className = 'price';
  price.textContent = `€${product.price}`;
  card.append(swatch, link, price);
  list?.append(card);
}
