/** The processor's Prometheus metrics, on a registry of its own (no global state). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Creates the registry and every metric the processor reports. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gosight_processor_' });
  const registers = [registry];
  return {
    registry,
    rowsInserted: new Counter({
      name: 'gosight_processor_rows_inserted_total',
      help: 'Rows inserted into ClickHouse, by table (retried inserts count once)',
      labelNames: ['table'] as const,
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'gosight_processor_insert_seconds',
      help: 'ClickHouse insert latency, by table (successful attempts)',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchSize: new Histogram({
      name: 'gosight_processor_batch_messages',
      help: 'Messages per coalesced batch, by consumer',
      labelNames: ['consumer'] as const,
      buckets: [1, 10, 100, 1000, 5000, 10_000, 25_000, 50_000, 100_000],
      registers,
    }),
    quarantined: new Counter({
      name: 'gosight_processor_quarantined_total',
      help: 'Messages quarantined (events_quarantine + DLQ), by step and reason kind',
      labelNames: ['step', 'reason'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'gosight_processor_dropped_total',
      help: 'Messages dropped (nothing to keep, e.g. no value), by step',
      labelNames: ['step'] as const,
      registers,
    }),
    blocked: new Gauge({
      name: 'gosight_processor_blocked',
      help: '1 while a consumer holds its batch because ClickHouse or Redis is failing',
      labelNames: ['consumer'] as const,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'gosight_processor_consumer_lag',
      help: 'Messages behind the end of the partition, by group and partition',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
    }),
    sessionsLive: new Gauge({
      name: 'gosight_processor_sessions_live',
      help: 'Sessions live in the session store',
      registers,
    }),
    sessionsFinalised: new Counter({
      name: 'gosight_processor_sessions_finalised_total',
      help: 'Sessions finalised by this replica sweeper',
      registers,
    }),
    segmentUsers: new Gauge({
      name: 'gosight_processor_segment_cache_users',
      help: 'Users whose segment the segment cache holds',
      registers,
    }),
    segmentEvicted: new Gauge({
      name: 'gosight_processor_segment_cache_evicted',
      help: 'Users the segment cache forgot to stay within GOSIGHT_SEGMENT_CACHE_USERS, since the start',
      registers,
    }),
    segmentRefreshAge: new Gauge({
      name: 'gosight_processor_segment_refresh_age_seconds',
      help: 'Seconds since the segment cache last read user_profiles successfully',
      registers,
    }),
    lateEvents: new Counter({
      name: 'gosight_processor_session_late_events_total',
      help: 'Events for sessions already finalised (stored in events, not counted in the session)',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
