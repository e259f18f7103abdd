import { doc, max, now, round } from '../globals';
import type { ClickPayload } from '@gosight/schema/types';
import type { Ctx } from '../context';
import { observe, on, safe } from '../safe';
import { cleanUrl } from '../url';
import { selectorOf } from './selector';

/** Rage: at least RAGE_COUNT clicks within RAGE_MS and RAGE_PX of each other. Dead: nothing within DEAD_MS. */
export const RAGE_COUNT = 3;
export const RAGE_MS = 1000;
export const RAGE_PX = 30;
export const DEAD_MS = 1000;

/** Elements that promise a reaction when clicked (form fields only take focus, so they are left out). */
const ACTIONABLE = 'a,button,[role=button],[onclick],summary';
/** Elements whose text is kept (masked): links, buttons and labels; other text may be personal data. */
const LABELS = 'a,button,[role=button],summary,label';

/**
 * Emits `click` with coordinates, selector, tag, masked text and href; flags rage
 * clicks, and dead clicks (no DOM mutation, navigation or request within 1 s on an
 * element that promises a reaction). A click is emitted once its 1 s window ends,
 * or earlier when the page view ends.
 */
export const captureClicks = (c: Ctx): void => {
  let recent: [number, number, number][] = [];
  /** Clicks not yet emitted: each entry emits its click (and decides `dead` if `decided`). */
  const pending = new Set<(decided?: 1) => void>();
  let active = 0;
  const mark = () => (active = now());

  new MutationObserver(mark).observe(doc, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  observe('resource', (l) =>
    l.forEach((e) => {
      if (e.name.indexOf(c._batchUrl)) active = max(active, e.startTime);
    }),
  );
  c._view.push(mark);
  c._leave.push(() => pending.forEach((end) => end()));

  on(doc, 'click', (e: MouseEvent) => {
    const el = e.target as Element;
    if (!el.closest || el.closest('[data-gosight-ignore]')) return;
    const t = now();
    const ts = Date.now();
    const actionable = el.closest(ACTIONABLE);
    const { clientX: vx, clientY: vy } = e;
    recent = recent.filter(
      (r) => t - r[0] < RAGE_MS && Math.hypot(r[1] - vx, r[2] - vy) <= RAGE_PX,
    );
    recent.push([t, vx, vy]);
    const link = el.closest<HTMLAnchorElement>('a[href]');
    // text of the enclosing link, button or label only, never of form fields; each
    // e-mail address and digit becomes `*`; all of it inside data-gosight-mask
    const label = el.closest(LABELS);
    const text =
      label && !el.closest('input,textarea,select,[contenteditable]')
        ? el.closest('[data-gosight-mask]')
          ? '*'
          : label.textContent
              .replace(/\S+@\S+|\d/g, '*')
              .replace(/\s+/g, ' ')
              .trim()
              .slice(0, 100)
        : '';
    const p: ClickPayload = {
      x: round(e.pageX),
      y: round(e.pageY),
      vx: round(vx),
      vy: round(vy),
      selector: selectorOf(el),
      tag: el.localName.slice(0, 32),
      text: text || undefined,
      href: link ? cleanUrl(link.href, c._mask) : undefined,
      rage: recent.length >= RAGE_COUNT || undefined,
    };
    const end = (decided?: 1) => {
      if (!pending.delete(end)) return;
      if (decided && actionable && !(active > t)) p.dead = true;
      c._emit('click', p, ts);
    };
    pending.add(end);
    setTimeout(
      safe(() => end(1)),
      DEAD_MS,
    );
  });
};
