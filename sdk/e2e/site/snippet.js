/* global window */
window.gosight =
  window.gosight ||
  function () {
    (window.gosight.q = window.gosight.q || []).push(arguments);
  };
window.gosight('track', 'early', { queued: true });
