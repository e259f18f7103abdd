/** A program the stack needs (java, mvn, redis-server) is not installed; the message says how to install it. */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';

  constructor(
    readonly command: string,
    readonly installHint: string,
  ) {
    super(`\`${command}\` was not found on PATH. Install it with: ${installHint}`);
  }
}

/** True when `err` is the ENOENT a spawn reports for a program that is not on PATH. */
export function isCommandNotFound(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
