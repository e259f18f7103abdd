/**
 * The processor: one consumer group on the raw topic that reads each message
 * once — decode, validate, insert into events / quarantine, fold into the
 * session store, upsert sessions, commit (batch-flush.ts) — a second on the
 * DLQ topic that stores what the ingestor quarantined, a sweeper that
 * finalises idle sessions, and the /metrics + /healthz port.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RedisClient } from './sessions/redis-batch';
import { isCluster } from './sessions/redis-batch';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createBatchCoalescer } from './consume/batch-coalescer';
import { readConsumerLag } from './cli/consumer-lag';
import { createDlqProducer, type DlqProducer } from './dlq/dlq-producer';
import { createDlqRecorderFlush } from './dlq/dlq-recorder';
import type { EventSource } from './consume/event-source';
import { createBatchFlush } from './pipeline/batch-flush';
import { startOpsServer, type OpsServer } from './http-server';
import { createKafkaEventSource } from './consume/kafka-event-source';
import { createMetrics, type Metrics } from './metrics';
import { createCachedSessionStore } from './sessions/cached-session-store';
import { migrateSessionKeys } from './sessions/migrate-session-keys';
import { withReplicaWait } from './sessions/replica-wait';
import { createSessionSweeper, type Sweeper } from './sessions/session-sweeper';
import type { SessionStore } from './sessions/session-store';
import { createWarehouse } from './warehouse/warehouse';
import { createSegmentCache } from './profiles/segment-cache';
import { startSegmentRefresh, type SegmentRefresher } from './profiles/segment-refresh';

export interface ProcessorSettings {
  topic: string;
  dlqTopic: string;
  group: string;
  database: string;
  redisPrefix: string;
  sessionIdleMs: number;
  sweepIntervalMs: number;
  batchMaxRows: number;
  batchMaxWaitMs: number;
  /** How long the group waits for a silent member (e.g. after kill -9) before reassigning its partitions. */
  kafkaSessionTimeoutMs: number;
  /** 0 picks a free port; null runs without the HTTP port. */
  metricsPort: number | null;
  metricsHost: string;
  /** Redis replicas that must acknowledge session writes before a commit (WAIT); 0 or absent: none. */
  redisWaitReplicas?: number;
  /** How long WAIT waits for them (default 2000 ms). */
  redisWaitTimeoutMs?: number;
  /** How often the segment cache reads new rows of user_profiles (default 10 s). */
  segmentRefreshMs?: number;
  /** Most users the segment cache holds (default 500 000). */
  segmentCacheUsers?: number;
}

export const DEFAULT_SEGMENT_REFRESH_MS = 10_000;
export const DEFAULT_SEGMENT_CACHE_USERS = 500_000;

/**
 * What the processor runs on; the caller creates (and closes) the clients.
 * Without `kafka`, `createEventSource` and `dlq` are required; without
 * `redis`, `sessionStore` is (the single-machine mode, standalone/).
 */
export interface ProcessorDeps {
  settings: ProcessorSettings;
  kafka?: Kafka;
  clickhouse: ClickHouseClient;
  redis?: RedisClient;
  log: (line: string) => void;
  /** The bus port; defaults to a kafkajs consumer group on `topic` (default `settings.topic`). */
  createEventSource?: (groupId: string, topic?: string) => EventSource;
  /** The session store port; defaults to Redis on `redis`. */
  sessionStore?: SessionStore;
  /** Where quarantined inputs go; defaults to `settings.dlqTopic` on `kafka`. */
  dlq?: DlqProducer;
}

export interface Processor {
  metrics: Metrics;
  /** The bound metrics port, once started (null without one). */
  readonly metricsPort: number | null;
  start(): Promise<void>;
  /** Finalises sessions idle right now (the sweeper also does this on its own interval). */
  sweepNow(): Promise<number>;
  /** Reads what is new in user_profiles into the segment cache now (it also does every interval). */
  refreshSegments(): Promise<number>;
  /** Finishes the batches in hand, commits, leaves the groups, stops the sweeper and the port. */
  close(): Promise<void>;
}

/** Creates a processor; nothing connects until `start()`. */
export function createProcessor(deps: ProcessorDeps): Processor {
  const { settings, log } = deps;
  const metrics = createMetrics();
  const warehouse = createWarehouse(deps.clickhouse, settings.database);
  const { kafka, redis } = deps;
  const store: SessionStore = deps.sessionStore ?? redisStore();
  function redisStore(): SessionStore {
    const client = required(redis, 'redis or sessionStore');
    const cached = createCachedSessionStore({
      redis: client,
      prefix: settings.redisPrefix,
      stateTtlSeconds: Math.ceil((settings.sessionIdleMs * 2) / 1000) + 3600,
      tombstoneTtlSeconds: 7 * 24 * 3600,
    });
    const replicas = settings.redisWaitReplicas ?? 0;
    if (replicas > 0 && isCluster(client)) {
      throw new Error(
        'GOSIGHT_REDIS_WAIT_REPLICAS is for one Redis with replicas, not a Redis Cluster',
      );
    }
    return replicas === 0 || isCluster(client)
      ? cached
      : withReplicaWait(cached, {
          redis: client,
          replicas,
          timeoutMs: settings.redisWaitTimeoutMs ?? 2000,
        });
  }
  const source =
    deps.createEventSource ??
    ((groupId: string, topic?: string) =>
      createKafkaEventSource({
        kafka: required(kafka, 'kafka or createEventSource'),
        topic: topic ?? settings.topic,
        groupId,
        sessionTimeoutMs: settings.kafkaSessionTimeoutMs,
        log,
      }));
  const producer: Producer | undefined = deps.dlq
    ? undefined
    : // No retries inside kafkajs: its retry of a request that spans brokers skips the brokers
      // that answered before, even when a failed partition moved to one of them, and
      // resolves without having sent it. store-events.ts sends the whole request again.
      required(kafka, 'kafka or dlq').producer({
        allowAutoTopicCreation: true,
        retry: { retries: 0 },
      });
  const admin: Admin | undefined = kafka?.admin();
  const eventsSource = source(settings.group);
  // The ingestor's quarantined events reach ClickHouse through this group (dlq-recorder.ts).
  const dlqSource = source(`${settings.group}-dlq`, settings.dlqTopic);
  const segments = createSegmentCache(settings.segmentCacheUsers ?? DEFAULT_SEGMENT_CACHE_USERS);
  let lastRefresh = Date.now();
  let refresher: SegmentRefresher | undefined;
  let sweeper: Sweeper | undefined;
  let server: OpsServer | undefined;
  let started = false;
  let closing: Promise<void> | undefined;

  const coalesce = (flush: Parameters<typeof createBatchCoalescer>[0]['flush']) =>
    createBatchCoalescer({
      maxRows: settings.batchMaxRows,
      maxWaitMs: settings.batchMaxWaitMs,
      flush,
    });

  async function refreshGauges() {
    // Without Kafka (single-machine bus) there is no consumer lag to read here.
    for (const group of admin ? [settings.group] : []) {
      const lag = await readConsumerLag(admin as Admin, group, settings.topic);
      for (const p of lag.partitions) {
        metrics.consumerLag.set(
          { group, topic: settings.topic, partition: String(p.partition) },
          p.lag,
        );
      }
    }
    metrics.sessionsLive.set(await store.liveCount());
    metrics.segmentUsers.set(segments.size);
    metrics.segmentEvicted.set(segments.evicted);
    metrics.segmentRefreshAge.set((Date.now() - lastRefresh) / 1000);
  }

  return {
    metrics,
    get metricsPort() {
      return server?.port ?? null;
    },
    async start() {
      await Promise.all([producer?.connect(), admin?.connect()]);
      if (settings.metricsPort !== null) {
        server = await startOpsServer({
          host: settings.metricsHost,
          port: settings.metricsPort,
          registry: metrics.registry,
          beforeScrape: refreshGauges,
          health: () => ({
            ok: started && closing === undefined,
            started,
            closing: closing !== undefined,
          }),
        });
      }
      const dlq = deps.dlq ?? createDlqProducer(required(producer, 'dlq'), settings.dlqTopic);
      refresher = startSegmentRefresh({
        warehouse,
        cache: segments,
        intervalMs: settings.segmentRefreshMs ?? DEFAULT_SEGMENT_REFRESH_MS,
        log,
        onRefreshed: () => {
          lastRefresh = Date.now();
        },
      });
      // The segments are loaded before the first event is read; without ClickHouse the
      // processor starts anyway (events cannot be stored then either) and reads them later.
      const loaded = await refresher.refreshNow().catch((error: unknown) => {
        log(
          `segments: cannot read user_profiles at start, retrying every interval: ${String(error)}`,
        );
        return 0;
      });
      if (loaded > 0) log(`segments: ${segments.size} users' segments loaded`);
      if (!deps.sessionStore && redis && !isCluster(redis)) {
        // Sessions the old key layout still holds move to the sharded one (issue 19).
        // Without Redis right now the processor starts anyway (its batches wait for Redis).
        const moved = await migrateSessionKeys(redis, settings.redisPrefix).catch(
          (error: unknown) => {
            log(`sessions: cannot check for the old key layout now: ${String(error)}`);
            return { live: 0, finalising: 0, tombstones: 0 };
          },
        );
        if (moved.live + moved.finalising + moved.tombstones > 0) {
          log(
            `sessions: moved to the sharded key layout: ${moved.live} live, ${moved.finalising} being finalised, ${moved.tombstones} tombstones`,
          );
        }
      }
      await eventsSource.start(
        coalesce(createBatchFlush({ warehouse, dlq, store, metrics, log, segments })),
      );
      await dlqSource.start(coalesce(createDlqRecorderFlush({ warehouse, metrics, log })));
      sweeper = createSessionSweeper({
        store,
        warehouse,
        metrics,
        idleMs: settings.sessionIdleMs,
        intervalMs: settings.sweepIntervalMs,
        log,
      });
      started = true;
      log(
        `processor: consuming ${settings.topic} as ${settings.group}` +
          (server ? `, metrics on http://${settings.metricsHost}:${server.port}/metrics` : ''),
      );
    },
    sweepNow() {
      if (!sweeper) return Promise.resolve(0);
      return sweeper.sweepOnce();
    },
    refreshSegments() {
      if (!refresher) return Promise.resolve(0);
      return refresher.refreshNow();
    },
    close() {
      closing ??= (async () => {
        await Promise.all([eventsSource.close(), dlqSource.close()]);
        await sweeper?.close();
        await refresher?.close();
        await Promise.all([producer?.disconnect(), admin?.disconnect()]);
        await server?.close();
        log('processor: stopped');
      })();
      return closing;
    },
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`createProcessor: ${what} is required`);
  return value;
}
