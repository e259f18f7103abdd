/**
 * Prometheus metrics of one app instance (its own registry, no globals):
 * requests by route and status, events by outcome / reason / project,
 * produce latency, buffer depth, open and dropped connections.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type EventOutcome = 'accepted' | 'quarantined' | 'dropped' | 'rejected';

/** The ingestor's metrics. */
export interface IngestMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status'>;
  readonly events: Counter<'outcome' | 'reason' | 'project'>;
  readonly produceSeconds: Histogram;
  /** Duration of each request to the bus (the broker's part of `produceSeconds`). */
  readonly busRequestSeconds: Histogram;
  /** Sockets the connection guard closed: idle ones evicted at the cap, or refused at accept. */
  readonly connectionsShed: Counter<'reason'>;
  /** `requests.inc({route, status})` through a cached child (no label hashing per request). */
  countRequest(route: string, status: number): void;
  /** `events.inc({outcome, reason, project}, count)` through a cached child. */
  countEvents(outcome: EventOutcome, reason: string, project: string, count?: number): void;
}

/** Most label combinations cached per counter; past that, children are looked up each time. */
const MAX_CACHED_CHILDREN = 10_000;

function childCache<L extends string>(counter: Counter<L>) {
  const children = new Map<string, Counter.Internal>();
  return (key: string, labels: Record<L, string | number>): Counter.Internal => {
    let child = children.get(key);
    if (!child) {
      child = counter.labels(labels);
      if (children.size < MAX_CACHED_CHILDREN) children.set(key, child);
    }
    return child;
  };
}

/** Creates the metrics; `bufferDepth` and `openConnections` are read on each scrape. */
export function createMetrics(
  bufferDepth: () => number,
  openConnections: () => number = () => 0,
): IngestMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gosight_ingestor_' });
  const requests = new Counter({
    name: 'gosight_ingestor_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'gosight_ingestor_events_total',
    help: 'Events by outcome (accepted, quarantined, dropped, rejected), reason and project',
    labelNames: ['outcome', 'reason', 'project'] as const,
    registers: [registry],
  });
  const produceSeconds = new Histogram({
    name: 'gosight_ingestor_produce_seconds',
    help: 'Time from handing a batch to the bus until it acknowledged',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const busRequestSeconds = new Histogram({
    name: 'gosight_ingestor_bus_request_seconds',
    help: 'Duration of each produce request to the bus (many batches travel in one)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'gosight_ingestor_buffer_events',
    help: 'Events handed to the bus and not yet acknowledged',
    registers: [registry],
    collect() {
      this.set(bufferDepth());
    },
  });
  new Gauge({
    name: 'gosight_ingestor_open_connections',
    help: 'Open connections on the ingest port (served and being refused)',
    registers: [registry],
    collect() {
      this.set(openConnections());
    },
  });
  const connectionsShed = new Counter({
    name: 'gosight_ingestor_connections_shed_total',
    help: 'Connections closed by the cap (GOSIGHT_MAX_CONNECTIONS): idle_evicted to make room, or over_limit at accept',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const requestChild = childCache(requests);
  const eventChild = childCache(events);
  return {
    registry,
    requests,
    events,
    produceSeconds,
    busRequestSeconds,
    connectionsShed,
    countRequest(route, status) {
      requestChild(`${route}\u0000${status}`, { route, status }).inc();
    },
    countEvents(outcome, reason, project, count = 1) {
      eventChild(`${outcome}\u0000${reason}\u0000${project}`, { outcome, reason, project }).inc(
        count,
      );
    },
  };
}
