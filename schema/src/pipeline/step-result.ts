/**
 * What a pipeline step returns (CONVENTIONS.md), one type for every service's
 * steps (the ingestor's and the processor's): bad input is a value,
 * not an exception. A quarantined event goes to the DLQ with the step's name and the
 * reason; a dropped one is only counted.
 */
export type StepResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | {
      readonly kind: 'quarantine';
      readonly step: string;
      readonly reason: string;
      readonly rule: string;
    }
  | { readonly kind: 'drop'; readonly step: string; readonly reason: string };

/** The step passed `value` on. */
export function ok<T>(value: T): StepResult<T> {
  return { kind: 'ok', value };
}

/** The step refused the event; it goes to the DLQ. `rule` is a short label for metrics. */
export function quarantine(step: string, reason: string, rule: string): StepResult<never> {
  return { kind: 'quarantine', step, reason, rule };
}

/** The step discarded the event on purpose (e.g. a bot on a project that drops bots). */
export function drop(step: string, reason: string): StepResult<never> {
  return { kind: 'drop', step, reason };
}
