import { addToCart, findProduct } from './catalog.js';
import { track } from './layout.js';

const product = findProduct(new URLSearchParams(location.search).get('id')) ?? findProduct(1);
document.title = `Mugs & Metrics — ${product.name}`;
document.getElementById('product-name').textContent = product.name;
document.getElementById('product-text').textContent = product.text;
document.getElementById('product-price').textContent = `€${product.price}`;
document.getElementById('product-swatch').classList.add(product.swatch);

document.getElementById('add-to-cart').addEventListener('click', () => {
  const size = addToCart(product.id);
  document.getElementById('added').classList.remove('hidden');
  track('add_to_cart', { product_id: product.id, cart_size: size });
});

// The shop's bug: gift wrapping reads an option that was never loaded.
document.getElementById('gift-wrap').addEventListener('click', () => {
  const options = undefined;
  return options.giftWrap.price;
});
