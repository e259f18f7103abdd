/**
 * The Kafka error type (kafkajs's `error.type`, e.g. UNKNOWN_MEMBER_ID) of an
 * error or of one it wraps: kafkajs wraps a retriable error that used up its
 * retries in KafkaJSNumberOfRetriesExceeded, whose own `type` is empty and
 * whose `cause` holds the broker's answer.
 */
export function kafkaErrorType(error: unknown, among: ReadonlySet<string>): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { type, cause } = e as { type?: unknown; cause?: unknown };
    if (typeof type === 'string' && among.has(type)) return type;
    e = cause;
  }
  return undefined;
}
