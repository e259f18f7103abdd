/**
 * The processor's error catalogue. Infrastructure failures are typed errors
 * with a stable code and a `retriable` flag; expected bad input is never an
 * error (it is a `quarantine` result of a pipeline step).
 *
 * | code                   | retriable | meaning                                              |
 * | ---------------------- | --------- | ---------------------------------------------------- |
 * | WAREHOUSE_UNAVAILABLE  | yes       | a ClickHouse insert or query failed                  |
 * | SESSION_STORE_UNAVAILABLE | yes    | a Redis command or script failed                     |
 * | BUS_UNAVAILABLE        | yes       | producing to or reading from Kafka failed            |
 * | BATCH_ABANDONED        | yes       | the consumer lost the partition (rebalance, shutdown)|
 * | CLI_USAGE              | no        | bad command-line flags (`gosight` exits 2)           |
 */
export const ERROR_CODES = {
  warehouseUnavailable: 'WAREHOUSE_UNAVAILABLE',
  sessionStoreUnavailable: 'SESSION_STORE_UNAVAILABLE',
  busUnavailable: 'BUS_UNAVAILABLE',
  batchAbandoned: 'BATCH_ABANDONED',
  cliUsage: 'CLI_USAGE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** A typed processor failure; `retriable` says whether trying again can succeed. */
export class ProcessorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessorError';
  }
}

/** Wraps a ClickHouse failure. */
export function warehouseError(what: string, cause: unknown): ProcessorError {
  return new ProcessorError(
    ERROR_CODES.warehouseUnavailable,
    `${what}: ${messageOf(cause)}`,
    true,
    { cause },
  );
}

/** Wraps a Redis failure. */
export function sessionStoreError(what: string, cause: unknown): ProcessorError {
  return new ProcessorError(
    ERROR_CODES.sessionStoreUnavailable,
    `${what}: ${messageOf(cause)}`,
    true,
    { cause },
  );
}

/** Wraps a Kafka failure. */
export function busError(what: string, cause: unknown): ProcessorError {
  return new ProcessorError(ERROR_CODES.busUnavailable, `${what}: ${messageOf(cause)}`, true, {
    cause,
  });
}

/** A bad command line; the CLI prints the message and exits 2. */
export function usageError(message: string): ProcessorError {
  return new ProcessorError(ERROR_CODES.cliUsage, message, false);
}

/** The error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
