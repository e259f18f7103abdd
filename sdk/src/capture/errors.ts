import { cut, win } from '../globals';
import type { JsErrorPayload } from '@gosight/schema/types';
import type { Ctx } from '../context';
import { on } from '../safe';
import { cleanUrl } from '../url';

/** Emits `js_error` for uncaught errors and unhandled rejections; identical errors once per page view. */
export const captureErrors = (c: Ctx): void => {
  let seen: Record<string, 1> = {};
  c._view.push(() => (seen = {}));
  const report = (
    kind: JsErrorPayload['kind'],
    message: unknown,
    e: Partial<Error> | null | undefined,
    src?: string,
    line?: number,
    col?: number,
  ) => {
    const p: JsErrorPayload = {
      message: String(message).slice(0, 1024),
      error_type: cut(e?.name, 128),
      stack: cut(e?.stack, 4096),
      source: src ? cleanUrl(src, c._mask) : undefined,
      line,
      col,
      kind,
    };
    // the payload is the identity of an error
    const key = JSON.stringify(p);
    if (!seen[key]) c._emit('js_error', p);
    seen[key] = 1;
  };
  // bubbling phase: resource load errors (img 404) do not reach window and are not JS errors
  on(
    win,
    'error',
    (e: ErrorEvent) => report('error', e.message, e.error as Error, e.filename, e.lineno, e.colno),
    false,
  );
  on(win, 'unhandledrejection', (e: PromiseRejectionEvent) => {
    const r = e.reason as Partial<Error> | undefined;
    report('unhandledrejection', r?.message ?? r, r);
  });
};
