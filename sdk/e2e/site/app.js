/* global document, history, location */
// Behaviour of the test page (an external file so the strict-CSP page can use it).
const $ = (id) => document.getElementById(id);
$('buy').addEventListener('click', () => {
  const p = document.createElement('p');
  p.textContent = 'Added to cart';
  document.body.append(p);
});
$('slow').addEventListener('click', () => {
  const end = performance.now() + 300;
  while (performance.now() < end);
  $('slow').textContent = 'done';
});
$('boom').addEventListener('click', () => {
  setTimeout(() => {
    throw new TypeError('kaboom');
  });
});
$('reject').addEventListener('click', () => {
  void Promise.reject(new RangeError('nope'));
});
$('spa').addEventListener('click', (e) => {
  e.preventDefault();
  document.title = 'Cart';
  history.pushState({}, '', '/cart?token=s3cret&step=1');
});
// a layout shift without user input, after first paint
if (location.search.includes('shift')) {
  setTimeout(() => {
    const d = document.createElement('div');
    d.className = 'pushed';
    document.body.prepend(d);
  }, 300);
}
