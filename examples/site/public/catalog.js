// The demo shop's products; shared by the product list, product and cart pages.
export const products = [
  {
    id: 1,
    name: 'Blue mug',
    price: 12,
    swatch: 'c1',
    text: 'A sturdy mug for long analytics sessions.',
  },
  {
    id: 2,
    name: 'Orange notebook',
    price: 8,
    swatch: 'c2',
    text: 'Squared paper for drawing funnels by hand.',
  },
  {
    id: 3,
    name: 'Green hoodie',
    price: 45,
    swatch: 'c3',
    text: 'Warm enough for a cold data center.',
  },
  {
    id: 4,
    name: 'Purple sticker pack',
    price: 4,
    swatch: 'c4',
    text: 'Ten stickers, zero trackers.',
  },
];

export function findProduct(id) {
  return products.find((p) => p.id === Number(id));
}

const CART_KEY = 'demo-shop-cart';

export function readCart() {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
  } catch {
    return [];
  }
}

export function addToCart(id) {
  const cart = readCart();
  cart.push(Number(id));
  localStorage.setItem(CART_KEY, JSON.stringify(cart));
  return cart.length;
}

export function clearCart() {
  localStorage.removeItem(CART_KEY);
}
