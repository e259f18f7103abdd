/**
 * What a pipeline step returns: the value to carry on, or why the input was
 * set aside. Expected bad data is a result, never an exception.
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'quarantine'; step: string; reason: string }
  | { kind: 'drop'; step: string; reason: string };

/** The input passes on as `value`. */
export function ok<T>(value: T): StepResult<T> {
  return { kind: 'ok', value };
}

/** The input is stored in events_quarantine and sent to the DLQ, with the step and reason. */
export function quarantine<T>(step: string, reason: string): StepResult<T> {
  return { kind: 'quarantine', step, reason };
}

/** The input is counted and discarded (nothing to keep, e.g. a tombstone message). */
export function drop<T>(step: string, reason: string): StepResult<T> {
  return { kind: 'drop', step, reason };
}
