import type { z } from 'zod';

/** A validation problem reduced to what a client needs to fix it. */
export interface Problem {
  /** Dotted path of the offending value, e.g. `events.3.payload.value` ('' for the root). */
  path: string;
  /** zod's issue code, e.g. `too_big`, `invalid_type`. */
  rule: string;
  message: string;
}

/** Reduces a zod error to its first issue, with the path prefixed by `prefix`. */
export function firstProblem(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): Problem {
  const issue = error.issues[0];
  if (!issue) return { path: prefix.join('.'), rule: 'invalid', message: 'invalid value' };
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  return { path: path.join('.'), rule: issue.code, message: issue.message };
}

/** One line naming the path and the rule: `events.3.payload.value: Too big (too_big)`. */
export function describeProblem(problem: Problem): string {
  const where = problem.path === '' ? '(root)' : problem.path;
  return `${where}: ${problem.message} (${problem.rule})`;
}
