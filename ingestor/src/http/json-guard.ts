/**
 * Structural limits on parsed JSON that zod does not see (unknown keys are
 * stripped, not inspected): nesting depth and prototype-polluting keys.
 */
import { IngestError } from '../errors';

/** Deepest container nesting accepted; the contract needs 5 (batch → events → event → payload → props). */
export const MAX_JSON_DEPTH = 8;

/** Throws BODY_TOO_DEEP or BODY_FORBIDDEN_KEY when `value` breaks a limit. */
export function guardJson(value: unknown): void {
  walk(value, 1, []);
}

// Recursion is bounded by MAX_JSON_DEPTH, so it cannot overflow the stack. The
// path is a stack of keys turned into text only for an error (this runs for
// every container of every body).
function walk(value: unknown, depth: number, path: (string | number)[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_JSON_DEPTH) {
    throw new IngestError(
      'BODY_TOO_DEEP',
      `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`,
      path.join('.'),
    );
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        path.push(i);
        walk(item, depth + 1, path);
        path.pop();
      }
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key === '__proto__' || key === 'constructor') {
      path.push(key);
      throw new IngestError('BODY_FORBIDDEN_KEY', `forbidden key "${key}"`, path.join('.'));
    }
    const item = record[key];
    if (typeof item === 'object' && item !== null) {
      path.push(key);
      walk(item, depth + 1, path);
      path.pop();
    }
  }
}
