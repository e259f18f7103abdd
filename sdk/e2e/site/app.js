/* global addEventListener, document, history, location, requestAnimationFrame */
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
// a layout shift without user input, after the page has been painted (two frames after
// load); `data-shown` marks that the shifted frame has been painted too
const afterFrames = (f) => requestAnimationFrame(() => requestAnimationFrame(f));
if (location.search.includes('shift')) {
  addEventListener('load', () =>
    afterFrames(() => {
      const d = document.createElement('div');
      d.className = 'pushed';
      document.body.prepend(d);
      afterFrames(() => (d.dataset.shown = '1'));
    }),
  );
}
