/**
 * The error catalogue of `npm start`: each start failure has a stable code,
 * the exit code it ends the process with, and a message that names the
 * problem and the variable or port to change. None is retried: a start
 * failure is for the operator to fix.
 */

export const START_ERRORS = {
  CONFIG_INVALID: { exitCode: 2, retriable: false },
  PORT_IN_USE: { exitCode: 3, retriable: false },
  KAFKA_UNREACHABLE: { exitCode: 4, retriable: false },
  CLICKHOUSE_UNREACHABLE: { exitCode: 4, retriable: false },
  SDK_BUILD_FAILED: { exitCode: 5, retriable: false },
  /** GOSIGHT_DATA_DIR (or a file in it) cannot be created or written. */
  DATA_DIR_UNWRITABLE: { exitCode: 6, retriable: false },
  /** The bus journal is damaged or lost acknowledged records; nothing was changed. */
  BUS_JOURNAL_DAMAGED: { exitCode: 7, retriable: false },
} as const;

export type StartErrorCode = keyof typeof START_ERRORS;

/** A failure to start, with a message meant to be the one line the user reads. */
export class StartError extends Error {
  readonly retriable = false;
  readonly exitCode: number;
  constructor(
    readonly code: StartErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartError';
    this.exitCode = START_ERRORS[code].exitCode;
  }
}

/** A StartError for a listen() failure: a clear PORT_IN_USE for EADDRINUSE, the raw error otherwise. */
export function listenError(what: string, variable: string, port: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new StartError(
      'PORT_IN_USE',
      `gosight: port ${port} (${what}) is already in use; stop what runs there or set ${variable} to another port`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
