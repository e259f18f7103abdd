/** Data attributes that make a stable selector, in order of preference. */
const STABLE_ATTRS = ['data-testid', 'data-test', 'data-cy'];

/**
 * Returns a short, stable CSS selector for an element (≤ 512 chars): stops at an
 * id or a test data attribute, otherwise tag:nth-of-type steps, at most 6 levels.
 * One with an id or attribute value of hundreds of characters is cut at 512 (no
 * longer a valid selector, still the same string for every click on the element).
 */
export const selectorOf = (el: Element): string => {
  const parts: string[] = [];
  for (let e: Element | null = el; e && parts.length < 6; e = e.parentElement) {
    const tag = e.localName;
    const a = STABLE_ATTRS.find((n) => e.hasAttribute(n));
    // a step that is stable on its own ends the selector
    const stop = e.id
      ? '#' + CSS.escape(e.id)
      : a
        ? tag + '[' + a + '="' + CSS.escape(e.getAttribute(a)!) + '"]'
        : tag == 'body' || tag == 'html'
          ? tag
          : '';
    if (stop) {
      parts.unshift(stop);
      break;
    }
    const same = [...(e.parentElement?.children || [])].filter((s) => s.localName == tag);
    parts.unshift(same[1] ? tag + ':nth-of-type(' + (same.indexOf(e) + 1) + ')' : tag);
  }
  // never empty: every element has a local name. Only a stop step (an id or test
  // attribute value) can be long, so a selector past the wire's 512 is cut there
  return parts.join('>').slice(0, 512);
};
