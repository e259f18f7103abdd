/**
 * Retries an infrastructure operation for as long as the deliveries it
 * serves are still ours: exponential backoff, heartbeats while waiting, and
 * no commit meanwhile (the caller only resolves once this returns). This is
 * the "pause" while ClickHouse or Redis is down: no new fetch for these
 * partitions, group membership kept, and no crash loop.
 */
import { ERROR_CODES, ProcessorError, messageOf } from '../errors';
import type { Delivery } from './event-source';

export interface RetryOptions {
  deliveries: readonly Delivery[];
  what: string;
  log: (line: string) => void;
  /** Called with true when the operation starts failing and false once it succeeded again. */
  onBlocked?: (blocked: boolean) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const HEARTBEAT_EVERY_MS = 2000;

/** Runs `operation` until it succeeds; rejects only if the deliveries were revoked meanwhile. */
export async function retryWhileActive<T>(
  operation: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let delay = options.initialDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 5000;
  let failures = 0;
  for (;;) {
    try {
      const result = await operation();
      if (failures > 0) {
        options.log(`${options.what}: succeeded after ${failures} failed attempts`);
        options.onBlocked?.(false);
      }
      return result;
    } catch (error) {
      if (error instanceof ProcessorError && !error.retriable) throw error;
      failures += 1;
      if (failures === 1) options.onBlocked?.(true);
      if (failures === 1 || failures % 10 === 0) {
        options.log(`${options.what} failed (attempt ${failures}), retrying: ${messageOf(error)}`);
      }
      await waitWithHeartbeats(delay, options.deliveries);
      delay = Math.min(maxDelay, delay * 2);
      if (!options.deliveries.every((d) => d.isActive())) {
        options.onBlocked?.(false);
        throw new ProcessorError(
          ERROR_CODES.batchAbandoned,
          `${options.what}: gave up, the batch is no longer ours (stopping or rebalanced)`,
          true,
          { cause: error },
        );
      }
    }
  }
}

async function waitWithHeartbeats(ms: number, deliveries: readonly Delivery[]): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const step = Math.min(HEARTBEAT_EVERY_MS, until - Date.now());
    await new Promise((resolve) => setTimeout(resolve, step));
    if (!deliveries.every((d) => d.isActive())) return;
    await Promise.all(deliveries.map((d) => d.heartbeat()));
  }
}
