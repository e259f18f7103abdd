/**
 * Helpers for the ingestor's integration tests on the real broker: own
 * topics per test (random suffix), reading a topic back, routing the
 * producer's broker connections through a proxy the test can cut.
 */
import { waitFor } from '@gosight/local';
import { createTopicsAndWait } from '@gosight/schema';
import { connect } from 'node:net';
import { Kafka, logLevel, type IHeaders, type ISocketFactory } from 'kafkajs';
import { pino } from 'pino';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { buildApp, type AppDeps, type IngestorApp } from '../app';
import type { EventProducer } from './event-producer';
import { noGeoLookup } from '../enrich/geo-lookup';
import { createKafkaProducer, type KafkaProducerOptions } from './kafka-producer';
import { createPlatformaticProducer } from './platformatic-producer';
import { testProjects } from '../test-support';
import { createUserAgentParser } from '../enrich/user-agent';

export interface ReadMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
}

/** Creates topics (3 partitions each) and returns a function that deletes them. */
export async function createTopics(
  brokers: string[],
  topics: string[],
): Promise<() => Promise<void>> {
  const kafka = new Kafka({ clientId: 'ingestor-test-admin', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(
    admin,
    topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
  );
  return async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  };
}

/**
 * Reads `topic` from the beginning until `done(messages)` holds or `timeoutMs`
 * passes; a final short quiet period catches anything extra. Each record of the
 * log is returned once: a rebalance of the reader's own group hands it records
 * again from the last commit, and those are not the producer's duplicates (a
 * resent message has an offset of its own and is returned).
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  done: (messages: ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const kafka = new Kafka({
    clientId: 'ingestor-test-reader',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `ingestor-test-${topic}-${Math.random().toString(36).slice(2)}`,
  });
  const messages: ReadMessage[] = [];
  const seen = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const at = `${partition}:${message.offset}`;
        if (seen.has(at)) return;
        seen.add(at);
        messages.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: headersOf(message.headers),
          partition,
        });
        if (done(messages)) finish();
        return Promise.resolve();
      },
    });
    const timer = setTimeout(finish, timeoutMs);
    await finished;
    clearTimeout(timer);
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** A kafkajs socket factory that sends every broker connection to 127.0.0.1:`port`. */
export function viaProxy(port: () => number): ISocketFactory {
  return ({ onConnect }) => {
    const socket = connect({ host: '127.0.0.1', port: port() }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/** An ingestor app on the real broker with topics of its own, as the integration tests use it. */
export interface KafkaTestApp {
  brokers: string[];
  topics: { raw: string; dlq: string };
  producer: EventProducer;
  built: IngestorApp;
  /** Closes the app and the producer, then deletes the topics. */
  close(): Promise<void>;
}

/** The producer settings a test chooses: the client (kafkajs by default) and its bounds. */
export type TestProducerOptions = Pick<
  KafkaProducerOptions,
  'maxBufferedEvents' | 'ackTimeoutMs' | 'socketFactory'
> & {
  client?: 'kafkajs' | 'platformatic';
  /** Bootstrap brokers instead of the local stack's (e.g. a proxy in front of it). */
  bootstrap?: string[];
  /** Return before the producer has connected (a test of a broker out of reach at start). */
  unreachable?: true;
};

/**
 * Creates `ingestor-<name>-raw/dlq-<suffix>` topics and an app producing to
 * them through a real Kafka producer (kafkajs, or @platformatic/kafka with
 * `client: 'platformatic'`); `producer` overrides its buffer and timeout
 * settings (and can route connections through a proxy).
 */
export async function startKafkaTestApp(
  name: string,
  producer: TestProducerOptions,
  app: Pick<AppDeps, 'retryAfterSeconds'> = {},
): Promise<KafkaTestApp> {
  const brokers = serviceEnv().kafkaBrokers;
  const suffix = uniqueSuffix();
  const topics = { raw: `ingestor-${name}-raw-${suffix}`, dlq: `ingestor-${name}-dlq-${suffix}` };
  const dropTopics = await createTopics(brokers, [topics.raw, topics.dlq]);
  const logger = pino({ level: 'silent' });
  const {
    client = 'kafkajs',
    bootstrap = brokers,
    socketFactory,
    unreachable = false,
    ...bounds
  } = producer;
  const common = {
    brokers: bootstrap,
    maxBufferedBytes: 16 * 1024 * 1024,
    batchSize: 500,
    lingerMs: 2,
    log: logger,
    ...bounds,
  };
  const kafkaProducer =
    client === 'platformatic'
      ? await createPlatformaticProducer({ ...common, retryDelayMs: 100 })
      : await createKafkaProducer({ ...common, ...(socketFactory ? { socketFactory } : {}) });
  // As /readyz gates traffic in production: the first request of a test should not pay the
  // connect inside its ack timeout (a loaded CI machine took longer than the tests' 1.5 s).
  if (!unreachable) {
    await waitFor(() => kafkaProducer.isReady(), {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: `the ${client} producer to connect`,
    });
  }
  const built = await buildApp({
    producer: kafkaProducer,
    geo: noGeoLookup,
    userAgents: createUserAgentParser({ cacheSize: 10 }),
    projects: testProjects(),
    logger,
    topics,
    sdk: { path: '/sdk/gosight.js', file: '/nonexistent' },
    ...app,
  });
  return {
    brokers,
    topics,
    producer: kafkaProducer,
    built,
    async close() {
      await built.app.close();
      await kafkaProducer.close();
      await dropTopics();
    },
  };
}
