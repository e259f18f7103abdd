/**
 * The event bus port, consumer side. The kafkajs adapter implements it now; a
 * single-machine in-process bus can implement it later with the same promise:
 * a delivery's offsets are committed only after its handler resolved, and a
 * delivery whose handler rejected is delivered again.
 */

/** One message as read from the bus (the ingestor's outgoing one is its `BusMessage`). */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  /** Broker timestamp, epoch ms. */
  timestamp: number;
  /** The `gosight-source` header of a DLQ record, when it has one. */
  source?: string;
}

/** A run of consecutive messages of one partition, handed to the handler. */
export interface Delivery {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  /**
   * Which incarnation of the topic the offsets count in, when the bus knows it
   * (the in-process bus's journal epoch; kafkajs does not expose Kafka's topic
   * id). Part of the dedup token, so a reset bus never reuses one.
   */
  incarnation?: string;
  /** Tells the bus the consumer is alive; rejects when the delivery was revoked. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost the partition: stop retrying then. */
  isActive(): boolean;
}

/** Resolves when the delivery is stored (then its offsets are committed); rejects to have it redelivered. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/** A subscription of one consumer group to one topic. */
export interface EventSource {
  /** Starts consuming; resolves once the consumer is running. */
  start(handler: DeliveryHandler): Promise<void>;
  /** Finishes the delivery in hand, commits it, leaves the group. */
  close(): Promise<void>;
}
