/**
 * One failover scenario's production topology on the failover cluster: its own topic
 * (12 partitions, replication factor 3), DLQ topic, consumer group, ClickHouse database and
 * Redis key prefix; two ingestors and two processors, each the real entry point (src/main.ts)
 * in a child process; and the checks every scenario ends with (events exactly once as
 * queried, every session row exact, each session finalised once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { expect } from 'vitest';
import { createTopicsAndWait, runMigrations } from '@gosight/schema';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { uniqueSuffix } from '../services';
import { startBeaconLoad, type LoadOptions, type LoadReport } from './beacon-load';
import { failoverBundleDir } from './failover-topology';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const PROJECT = 'pk_failover';
export const ORIGIN = 'https://shop.example.com';
/**
 * Sessions idle this long are finalised, unless a scenario says otherwise: longer than any gap
 * in one session's stream (a client's retries, a rebalance, processors down for a Redis
 * failover); a session finalised before its last event arrives would be finalised twice.
 */
export const SESSION_IDLE_SECONDS = 30;

/** A service child (ingestor or processor) that can be stopped, killed and started again. */
export interface ServiceChild {
  readonly name: string;
  /** its HTTP port (ingestor) or metrics port (processor) */
  readonly port: number;
  running(): boolean;
  start(): Promise<void>;
  /** SIGTERM and wait: a drain */
  stop(): Promise<number | string | undefined>;
  /** SIGKILL and wait */
  kill(): Promise<number | string | undefined>;
  output(): string;
}

export interface ScenarioOptions {
  name: string;
  brokers: string[];
  /** REDIS_URL of the processors (changeable: the Redis failover repoints them) */
  redisUrl: string;
  /** extra processor environment, e.g. GOSIGHT_REDIS_WAIT_REPLICAS */
  processorEnv?: Record<string, string>;
  /** extra ingestor environment, e.g. GOSIGHT_KAFKA_CLIENT */
  ingestorEnv?: Record<string, string>;
  /** idle time that finalises a session (default SESSION_IDLE_SECONDS) */
  sessionIdleSeconds?: number;
}

/** What a scenario's checks found, for the test's assertions and its printed line. */
export interface ScenarioCounts {
  sent: number;
  accepted: number;
  /** count() FINAL over the scenario's events */
  stored: number;
  /** 202'd ids missing from the table */
  missing: number;
  /** rows a query (FINAL) returns beyond one per event id */
  duplicatesAsQueried: number;
  /** rows before merges beyond one per id (retries, replays); FINAL hides them */
  copiesBeforeMerge: number;
  sessions: number;
  sessionRows: number;
  /** session rows whose event or page count differs from what was 202'd for it */
  sessionMismatches: number;
  /** sessions with other than one finalised row */
  notFinalisedOnce: number;
  /** the processors' gosight_processor_sessions_finalised_total, summed */
  finalisedByProcessors: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type Scenario = Awaited<ReturnType<typeof createScenario>>;

/** The node arguments that run a service: its bundle when the global setup made one, else tsx. */
function nodeArgs(entry: string): string[] {
  const bundles = failoverBundleDir();
  const name = /^(ingestor|processor)\/src\/main\.ts$/.exec(entry)?.[1];
  if (bundles && name) return ['--enable-source-maps', path.join(bundles, `${name}.mjs`)];
  return ['--import', 'tsx', entry];
}

/** Creates the scenario's topics and database; starts nothing yet. */
export async function createScenario(options: ScenarioOptions) {
  const suffix = uniqueSuffix();
  const idleSeconds = options.sessionIdleSeconds ?? SESSION_IDLE_SECONDS;
  const names = {
    topic: `failover.${options.name}.raw.${suffix}`,
    dlq: `failover.${options.name}.dlq.${suffix}`,
    group: `failover-${options.name}-${suffix}`,
    database: `failover_${options.name.replaceAll('-', '_')}_${suffix}`,
    prefix: `failover:${options.name}:${suffix}:`,
  };
  const kafka = new Kafka({
    clientId: `failover-${options.name}`,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin: Admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [
    { topic: names.topic, numPartitions: 12, replicationFactor: 3 },
    { topic: names.dlq, numPartitions: 1, replicationFactor: 3 },
  ]);
  const { CLICKHOUSE_USER, CLICKHOUSE_PASSWORD } = process.env;
  const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL ?? '';
  if (!CLICKHOUSE_URL) throw new Error('CLICKHOUSE_URL is not set (test/failover/global-setup.ts)');
  const auth = { username: CLICKHOUSE_USER ?? 'default', password: CLICKHOUSE_PASSWORD ?? '' };
  const clickhouse: ClickHouseClient = createClient({
    url: CLICKHOUSE_URL,
    ...auth,
    request_timeout: 120_000,
  });
  await runMigrations({ client: clickhouse, database: names.database });
  let redisUrl = options.redisUrl;
  const children: ServiceChild[] = [];

  function child(
    name: string,
    entry: string,
    port: number,
    env: () => Record<string, string>,
    /** true once the child's output since this start says it serves */
    ready: (out: string) => boolean,
  ): ServiceChild {
    let proc: ChildProcess | undefined;
    let out = '';
    let exited: Promise<number | string> | undefined;
    const signal = async (sig: NodeJS.Signals) => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return undefined;
      proc.kill(sig);
      const timer = setTimeout(() => proc?.kill('SIGKILL'), 40_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    };
    const handle: ServiceChild = {
      name,
      port,
      running: () => proc !== undefined && proc.exitCode === null && proc.signalCode === null,
      async start() {
        const mark = out.length;
        proc = spawn(process.execPath, nodeArgs(entry), {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env() },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const p = proc;
        p.stdout?.on('data', (c: Buffer) => (out += c.toString()));
        p.stderr?.on('data', (c: Buffer) => (out += c.toString()));
        exited = new Promise((resolve) =>
          p.once('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')),
        );
        const deadline = Date.now() + 90_000;
        while (!ready(out.slice(mark))) {
          if (p.exitCode !== null || Date.now() > deadline) {
            throw new Error(`${name} did not start:\n${out.slice(-3000)}`);
          }
          await sleep(100);
        }
      },
      stop: () => signal('SIGTERM'),
      kill: () => signal('SIGKILL'),
      output: () => out,
    };
    children.push(handle);
    return handle;
  }

  const baseEnv = () => ({
    KAFKA_BROKERS: options.brokers.join(','),
    GOSIGHT_TOPIC_RAW: names.topic,
    GOSIGHT_TOPIC_DLQ: names.dlq,
  });

  async function ingestor(name: string): Promise<ServiceChild> {
    const port = await freePort();
    let healthy = false;
    const c = child(
      name,
      'ingestor/src/main.ts',
      port,
      () => ({
        ...baseEnv(),
        PORT: String(port),
        HOST: '127.0.0.1',
        GOSIGHT_INGESTOR_METRICS_PORT: '0',
        GOSIGHT_PROJECTS: JSON.stringify([{ key: PROJECT, origins: [ORIGIN] }]),
        GOSIGHT_LOG_LEVEL: 'warn',
        GOSIGHT_RETRY_AFTER_SECONDS: '1',
        ...options.ingestorEnv,
      }),
      () => {
        if (!healthy) {
          void fetch(`http://127.0.0.1:${port}/readyz`)
            .then((r) => (healthy = r.ok))
            .catch(() => undefined);
        }
        return healthy;
      },
    );
    await c.start();
    return c;
  }

  async function processor(name: string): Promise<ServiceChild> {
    const port = await freePort();
    const c = child(
      name,
      'processor/src/main.ts',
      port,
      () => ({
        ...baseEnv(),
        REDIS_URL: redisUrl,
        CLICKHOUSE_URL,
        CLICKHOUSE_USER: auth.username,
        CLICKHOUSE_PASSWORD: auth.password,
        CLICKHOUSE_DATABASE: names.database,
        GOSIGHT_CONSUMER_GROUP: names.group,
        GOSIGHT_REDIS_PREFIX: names.prefix,
        GOSIGHT_SESSION_IDLE_MINUTES: String(idleSeconds / 60),
        GOSIGHT_SWEEP_INTERVAL_SECONDS: '1',
        GOSIGHT_BATCH_MAX_WAIT_MS: '500',
        GOSIGHT_KAFKA_SESSION_TIMEOUT_MS: '10000',
        METRICS_PORT: String(port),
        ...options.processorEnv,
      }),
      (out) => out.includes('processor: consuming'),
    );
    await c.start();
    return c;
  }

  const count = async (sql: string): Promise<number> => {
    const r = await clickhouse.query({
      query: sql.replaceAll('{db}', names.database),
      format: 'JSONEachRow',
    });
    return Number(((await r.json<{ n: string }>())[0] ?? { n: 'NaN' }).n);
  };
  const rows = async <T>(sql: string): Promise<T[]> => {
    const r = await clickhouse.query({
      query: sql.replaceAll('{db}', names.database),
      format: 'JSONEachRow',
    });
    return r.json<T>();
  };

  /** The processors' finalised-sessions counters (running ones). */
  async function finalisedByProcessors(): Promise<number> {
    let sum = 0;
    for (const c of children.filter((x) => x.name.startsWith('processor') && x.running())) {
      const text = await fetch(`http://127.0.0.1:${c.port}/metrics`).then((r) => r.text());
      for (const line of text.split('\n')) {
        if (line.startsWith('gosight_processor_sessions_finalised_total')) {
          sum += Number(line.split(' ').pop());
        }
      }
    }
    return sum;
  }

  /**
   * Waits until every 202'd event is stored and every session is finalised, then counts.
   * Everything that must hold is in the result; the test asserts it.
   */
  async function verify(load: LoadReport, log: (line: string) => void): Promise<ScenarioCounts> {
    const t0 = Date.now();
    const accepted = load.accepted.size;
    const sessions = load.perSession.size;
    const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check().catch(() => false))) {
        if (Date.now() > deadline) {
          log(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
          return false;
        }
        await sleep(1000);
      }
      return true;
    };
    const storedIds = async () =>
      new Set(
        (await rows<{ id: string }>('SELECT toString(event_id) AS id FROM {db}.events FINAL')).map(
          (r) => r.id,
        ),
      );
    const allStored = await until(
      'every 202d event in ClickHouse',
      async () => {
        const ids = await storedIds();
        for (const id of load.accepted) if (!ids.has(id)) return false;
        return true;
      },
      120_000,
    );
    if (!allStored) {
      // Before anything else moves: where the missing ones are (processors still running).
      const ids = await storedIds();
      await whereAreMissing(new Set([...load.accepted].filter((id) => !ids.has(id))), log);
    }
    await until(
      'every session finalised',
      async () =>
        (await count('SELECT countIf(NOT is_live) AS n FROM {db}.sessions FINAL')) >= sessions,
      (idleSeconds + 90) * 1000,
    );
    log(`stored and finalised ${((Date.now() - t0) / 1000).toFixed(1)} s after the load ended`);
    const stored202 = await storedIds();
    let missing = 0;
    for (const id of load.accepted) if (!stored202.has(id)) missing += 1;
    const stored = await count('SELECT count() AS n FROM {db}.events FINAL');
    const distinct = await count('SELECT uniqExact(event_id) AS n FROM {db}.events');
    const raw = await count('SELECT count() AS n FROM {db}.events');
    const sessionRows = await rows<{ session_id: string; events: string; pages: string }>(
      'SELECT session_id, event_count AS events, page_count AS pages FROM {db}.sessions FINAL',
    );
    let sessionMismatches = 0;
    const examples: string[] = [];
    const exampleIds: string[] = [];
    for (const r of sessionRows) {
      const expected = load.perSession.get(r.session_id);
      if (!expected || expected.events !== Number(r.events) || expected.pages !== Number(r.pages)) {
        sessionMismatches += 1;
        if (examples.length < 5) {
          exampleIds.push(r.session_id);
          examples.push(
            `${r.session_id}: row ${r.events} events/${r.pages} pages, 202'd ${expected?.events ?? '-'}/${expected?.pages ?? '-'}`,
          );
        }
      }
    }
    sessionMismatches += Math.max(0, sessions - sessionRows.length);
    if (sessionMismatches > 0) {
      log(`mismatched sessions, e.g. ${examples.join('; ')}`);
      const history = await rows<{ session_id: string; rows: string }>(
        `SELECT session_id, groupArray(concat(toString(is_live), ':', toString(event_count))) AS rows FROM {db}.sessions WHERE session_id IN (${exampleIds.map((id) => `'${id}'`).join(',')}) GROUP BY session_id`,
      ).catch(() => []);
      log(`their rows before merge (is_live:events): ${JSON.stringify(history)}`);
      log(`the services said:\n${tails(60)}`);
    }
    const notFinalisedOnce = await count(
      'SELECT count() AS n FROM (SELECT session_id, countIf(NOT is_live) AS finals FROM {db}.sessions GROUP BY session_id) WHERE finals != 1',
    );
    const result: ScenarioCounts = {
      sent: load.sent,
      accepted,
      stored,
      missing,
      duplicatesAsQueried: stored - distinct,
      copiesBeforeMerge: raw - distinct,
      sessions,
      sessionRows: sessionRows.length,
      sessionMismatches,
      notFinalisedOnce,
      finalisedByProcessors: await finalisedByProcessors(),
    };
    log(countsLine(result, load));
    return result;
  }

  /**
   * Starts ingestor-a/b and processor-a/b side by side, then a steady beacon load on the two
   * ingestors (80 live sessions of 5 batches of 4 events 1.2 s apart unless `load` says else).
   */
  async function startServicesAndLoad(load: Partial<LoadOptions> & { giveUpMs: number }) {
    const [ingestors, processors] = await Promise.all([
      Promise.all([ingestor('ingestor-a'), ingestor('ingestor-b')]),
      Promise.all([processor('processor-a'), processor('processor-b')]),
    ]);
    const beacons = startBeaconLoad({
      ports: ingestors.map((i) => i.port),
      project: PROJECT,
      origin: ORIGIN,
      concurrency: 80,
      batches: 5,
      perBatch: 4,
      intervalMs: 1200,
      ...load,
    });
    return { ingestors, processors, load: beacons };
  }

  /**
   * For a failed run: where the 202'd events that are not in ClickHouse are. Each is either
   * in the topic below the group's committed offset (the processors committed it without
   * storing it: lost), in the topic at or above it (not consumed yet: stuck), or not in the
   * topic at all (lost between the ingestor's acknowledgement and Kafka).
   */
  async function whereAreMissing(missingIds: Set<string>, log: (line: string) => void) {
    const committed = new Map<number, bigint>();
    const [group] = await admin.fetchOffsets({ groupId: names.group, topics: [names.topic] });
    for (const p of group?.partitions ?? []) committed.set(p.partition, BigInt(p.offset));
    const ends = await admin.fetchTopicOffsets(names.topic);
    const described = await admin.describeGroups([names.group]).catch(() => undefined);
    for (const g of described?.groups ?? []) {
      log(
        `missing: group ${g.state}, members ${g.members
          .map((m) => {
            const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
            return `${m.clientHost}:${JSON.stringify(a?.assignment ?? {})}`;
          })
          .join(' ')}`,
      );
    }
    log(
      `missing: per partition committed/end offset ${ends
        .map((e) => `${e.partition}:${committed.get(e.partition) ?? '-'}/${e.offset}`)
        .join(' ')}`,
    );
    const found = new Map<string, { partition: number; offset: bigint }>();
    const consumer = kafka.consumer({ groupId: `${names.group}-diagnosis-${uniqueSuffix()}` });
    const remaining = new Map(ends.map((e) => [e.partition, BigInt(e.offset)] as const));
    for (const [p, end] of remaining) if (end === 0n) remaining.delete(p);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: names.topic, fromBeginning: true });
      let done: () => void = () => undefined;
      const scanned = new Promise<void>((resolve) => (done = resolve));
      if (remaining.size === 0) done();
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          const text = message.value?.toString() ?? '';
          for (const id of text.match(
            /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
          ) ?? []) {
            if (missingIds.has(id)) found.set(id, { partition, offset: BigInt(message.offset) });
          }
          const end = remaining.get(partition);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) {
            remaining.delete(partition);
            if (remaining.size === 0) done();
          }
          return Promise.resolve();
        },
      });
      await Promise.race([scanned, sleep(60_000)]);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    let belowCommit = 0;
    let unconsumed = 0;
    const where = new Map<string, number>();
    for (const { partition, offset } of found.values()) {
      const mark = committed.get(partition);
      const below = mark !== undefined && mark >= 0n && offset < mark;
      if (below) belowCommit += 1;
      else unconsumed += 1;
      const key = `p${partition}@${offset}${below ? '<commit' : ''}`;
      where.set(key, (where.get(key) ?? 0) + 1);
    }
    log(
      `missing ${missingIds.size}: ${belowCommit} in the topic below the committed offset (lost by a processor), ` +
        `${unconsumed} at or above it (not consumed), ${missingIds.size - found.size} not in the topic ` +
        `(lost before Kafka)${remaining.size > 0 ? `; scan incomplete on partitions ${[...remaining.keys()].join(',')}` : ''}; ` +
        `messages: ${[...where].map(([k, n]) => `${k}×${n}`).join(' ')}`,
    );
    log(`the services said:\n${tails(40)}`);
  }

  function tails(lines = 15): string {
    return children
      .map(
        (c) =>
          `--- ${c.name} (last ${lines} lines) ---\n${c.output().split('\n').slice(-lines).join('\n')}`,
      )
      .join('\n');
  }

  return {
    names,
    admin,
    clickhouse,
    ingestor,
    processor,
    startServicesAndLoad,
    count,
    verify,
    /** Points processors started from now on at another Redis (the promoted replica). */
    setRedisUrl(url: string) {
      redisUrl = url;
    },
    /** Partition → leader broker id of the scenario's topic. */
    async leaders(): Promise<Map<number, number>> {
      const meta = await admin.fetchTopicMetadata({ topics: [names.topic] });
      return new Map(
        (meta.topics[0]?.partitions ?? []).map((p) => [p.partitionId, p.leader] as const),
      );
    },
    /** The last lines of every child's output, for a failed test's log. */
    tails,
    /** Stops every child, drops the database, topics and group. Safe to call twice. */
    async cleanup() {
      for (const c of children) await c.kill().catch(() => undefined);
      await clickhouse
        .command({ query: `DROP DATABASE IF EXISTS ${names.database}` })
        .catch(() => undefined);
      await admin.deleteGroups([names.group]).catch(() => undefined);
      await admin.deleteTopics({ topics: [names.topic, names.dlq] }).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await clickhouse.close().catch(() => undefined);
    },
  };
}

/**
 * What every scenario must end with: each 202'd event stored once as queried, no batch given
 * up, every session row exact and finalised once.
 */
export function expectExact(counts: ScenarioCounts, load: LoadReport): void {
  expect(load.givenUp).toBe(0);
  expect(counts.accepted).toBe(counts.sent);
  expect(counts.missing).toBe(0);
  expect(counts.stored).toBe(counts.accepted);
  expect(counts.duplicatesAsQueried).toBe(0);
  expect(counts.sessionRows).toBe(counts.sessions);
  expect(counts.sessionMismatches).toBe(0);
  expect(counts.notFinalisedOnce).toBe(0);
}

/** One line with a scenario's counts, as each scenario prints it. */
export function countsLine(c: ScenarioCounts, load: LoadReport): string {
  const statuses = [...load.statuses].map(([s, n]) => `${s}: ${n}`).join(', ');
  return (
    `sent ${c.sent}, 202'd ${c.accepted}, stored ${c.stored} (missing ${c.missing}), ` +
    `duplicates as queried ${c.duplicatesAsQueried} (copies before merge ${c.copiesBeforeMerge}); ` +
    `sessions ${c.sessions}, rows ${c.sessionRows}, mismatched ${c.sessionMismatches}, ` +
    `not finalised exactly once ${c.notFinalisedOnce}, finalised by the processors ${c.finalisedByProcessors}; ` +
    `requests ${load.requests} (${statuses}), retries ${load.retries}, given up ${load.givenUp}, ` +
    `longest retry ${(load.longestRetryMs / 1000).toFixed(1)} s`
  );
}
