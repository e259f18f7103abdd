import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** give up after this long */
  timeoutMs: number;
  /** pause between checks */
  intervalMs: number;
  /** what we are waiting for, used in the timeout message, e.g. 'kafka to answer on 127.0.0.1:9092' */
  what: string;
  /** stop early with this error when it returns a string (e.g. the process we started has died) */
  abortIf?: () => string | undefined | Promise<string | undefined>;
}

/** Thrown by {@link waitFor} when the condition never held (or `abortIf` gave up). */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Resolves once `check()` returns true; a check that throws counts as false.
 * Rejects with WaitTimeoutError after `timeoutMs`, or as soon as `abortIf` returns a reason.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  opts: WaitForOptions,
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const ok = await Promise.resolve()
      .then(check)
      .catch(() => false);
    if (ok) return;
    const reason = await opts.abortIf?.();
    if (reason !== undefined)
      throw new WaitTimeoutError(`gave up waiting for ${opts.what}: ${reason}`);
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    }
    await sleep(opts.intervalMs);
  }
}
