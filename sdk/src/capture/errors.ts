import { win } from '../globals';
import type { JsErrorPayload } from '@gosight/schema/types';
import type { Ctx } from '../context';
import { on } from '../safe';
import { cleanUrl } from '../url';

/** Emits `js_error` for uncaught errors and unhandled rejections; identical errors once per page view. */
export const captureErrors = (c: Ctx): void => {
  let seen: string[] = [];
  c._view.push(() => (seen = []));
  const report = (
    kind: JsErrorPayload['kind'],
    message: unknown,
    err: unknown,
    src = '',
    line?: number,
    col?: number,
  ) => {
    const e = err as Partial<Error> | null | undefined;
    const stack = typeof e?.stack == 'string' ? e.stack.slice(0, 4096) : undefined;
    const msg = String(message).slice(0, 1024);
    const key = [kind, msg, src, line, col, stack].join('|');
    if (seen.includes(key)) return;
    seen.push(key);
    c._emit('js_error', {
      message: msg,
      error_type: typeof e?.name == 'string' ? e.name.slice(0, 128) : undefined,
      stack,
      source: src ? cleanUrl(src, c._mask) : undefined,
      line,
      col,
      kind,
    });
  };
  // bubbling phase: resource load errors (img 404) do not reach window and are not JS errors
  on(
    win,
    'error',
    (e: ErrorEvent) => report('error', e.message, e.error, e.filename, e.lineno, e.colno),
    false,
  );
  on(win, 'unhandledrejection', (e: PromiseRejectionEvent) => {
    const r = e.reason as Partial<Error> | undefined;
    report('unhandledrejection', r && typeof r.message == 'string' ? r.message : r, r);
  });
};
