/**
 * The event-bus port (ARCHITECTURE.md, "Three ports"): the only thing the
 * HTTP side knows about Kafka. Kafka adapters (GOSIGHT_KAFKA_CLIENT):
 * `kafka-producer.ts` (kafkajs, the default) and `platformatic-producer.ts`,
 * over one buffer (`batching-producer.ts`); the single-machine mode brings
 * its in-process bus (standalone/).
 */

/** One message for the bus; `value` is already serialised. */
export interface BusMessage {
  /** Partitioning key (session_id); null lets the bus choose. */
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** How many events the message carries (a raw message carries a session's events); 1 when absent. */
  readonly events?: number;
}

/** Messages bound for one topic. */
export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly BusMessage[];
}

/** Produces events durably and tells whether it can take more. */
export interface EventProducer {
  /**
   * Resolves once the bus has acknowledged every message (for Kafka: acks=all).
   * Rejects with a {@link BusError}: `BUS_BUFFER_FULL` at once when the bounded
   * buffer cannot take them all (nothing is queued then), `BUS_TIMEOUT` when no
   * acknowledgement came in time (the messages stay queued and may still be
   * delivered: at-least-once), `BUS_UNAVAILABLE` when the bus refused them.
   */
  send(batch: readonly TopicMessages[]): Promise<void>;
  /** Connected, not stalled, and the buffer has room. */
  isReady(): boolean;
  /** Events (not messages) accepted by `send` and not yet acknowledged. */
  bufferedEvents(): number;
  /** Stops taking messages, delivers what is buffered (bounded wait), disconnects. */
  close(): Promise<void>;
  /**
   * Calls `listener` after each request to the bus with its duration and how
   * many messages it carried (for metrics: the broker's round trip, apart
   * from the time a batch waited in the buffer). Optional for adapters
   * without requests of their own.
   */
  observeRequests?(listener: (seconds: number, messages: number) => void): void;
}

export type BusErrorCode = 'BUS_BUFFER_FULL' | 'BUS_TIMEOUT' | 'BUS_UNAVAILABLE';

/** An event-bus failure; all are retriable by the client. */
export class BusError extends Error {
  readonly retriable = true;
  constructor(
    readonly code: BusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusError';
  }
}
