/**
 * A file that holds the latest of some state (committed offsets, the session
 * snapshot), kept written in the background. Each write writes the state as
 * it is then, so a later request supersedes an earlier one that has not run;
 * a failed write is retried on its own after `retryMs` until one succeeds.
 * A run of failures is logged once when it starts and once when it ends, and
 * counted in the metrics (issue 13, §3: a chain of `then`s stopped for good
 * after one rejection, logging every 5 s).
 */

/** Where failures are counted (durable-write-metrics.ts). */
export interface WriteHealth {
  /** One failed attempt at writing `file`. */
  failed(file: string): void;
  /** `file`'s latest attempt failed (true) or succeeded (false). */
  failing(file: string, failing: boolean): void;
}

export interface RetryingWriteOptions {
  /** The file's name in the metrics (`offsets`, `sessions_snapshot`). */
  file: string;
  /** Its path, for log lines. */
  path: string;
  /** Writes the current state; called again for every retry. */
  write: () => Promise<void>;
  retryMs: number;
  log: (line: string) => void;
  health?: WriteHealth;
}

export interface RetryingWrite {
  /** Asks for a write of the current state and returns; retried until written. */
  request(): void;
  /** Asks for a write now; resolves once it succeeded, rejects if it failed (the retries carry on). */
  flush(): Promise<void>;
  /** True from a failed attempt until the next successful one. */
  readonly failing: boolean;
  /** Stops retrying and waits for the attempt in flight. */
  close(): Promise<void>;
}

interface Waiter {
  request: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Creates the background writer of one file. */
export function createRetryingWrite(options: RetryingWriteOptions): RetryingWrite {
  const { file, path, log, health } = options;
  let requested = 0;
  let written = 0;
  let busy = false;
  let inFlight: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;
  let failingSince: number | undefined;
  let failures = 0;
  let closed = false;
  let waiters: Waiter[] = [];

  /** Settles the waiters whose request the attempt covered. */
  function settle(upTo: number, error?: unknown) {
    const covered = waiters.filter((w) => w.request <= upTo);
    waiters = waiters.filter((w) => w.request > upTo);
    for (const w of covered) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }

  async function attempt(request: number) {
    try {
      await options.write();
      written = Math.max(written, request);
      if (failingSince !== undefined) {
        const seconds = ((Date.now() - failingSince) / 1000).toFixed(1);
        log(`${path}: written again after ${failures} failed attempts over ${seconds} s`);
        health?.failing(file, false);
        failingSince = undefined;
        failures = 0;
      }
      settle(request);
    } catch (error) {
      failures += 1;
      health?.failed(file);
      if (failingSince === undefined) {
        failingSince = Date.now();
        health?.failing(file, true);
        log(
          `${path}: write failed, retrying every ${options.retryMs} ms (logged again once it works): ${String(error)}`,
        );
      }
      settle(request, error);
      if (!closed) {
        retry = setTimeout(() => {
          retry = undefined;
          kick();
        }, options.retryMs);
        retry.unref();
      }
    }
  }

  function kick() {
    if (busy || retry !== undefined || closed || written >= requested) return;
    busy = true;
    inFlight = attempt(requested).then(() => {
      busy = false;
      kick();
    });
  }

  return {
    request() {
      requested += 1;
      kick();
    },
    flush() {
      requested += 1;
      const request = requested;
      const settled = new Promise<void>((resolve, reject) => {
        waiters.push({ request, resolve, reject });
      });
      clearTimeout(retry); // try now rather than after the wait
      retry = undefined;
      if (closed) settle(request, new Error(`${path}: the writer is closed`));
      kick();
      return settled;
    },
    get failing() {
      return failingSince !== undefined;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      retry = undefined;
      await inFlight;
      settle(Infinity, new Error(`${path}: the writer is closed`));
    },
  };
}
