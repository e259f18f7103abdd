/**
 * Processor catch-up benchmark: pre-fills a topic of its own with realistic
 * enriched events, then runs the real processor (src/main.ts, a child process)
 * from offset 0 and times the catch-up into ClickHouse including session
 * updates. Prints rows/s, inserts/s per table, RSS; then a steady-state phase
 * (a live trickle) for inserts/s per table at steady state.
 *
 *   npx tsx bench/processor/run.ts [--events 1000000] [--per-message 5] [--steady-seconds 15] [--steady-rate 2000]
 *
 * `--per-message` is how many events of a session one raw message carries, as
 * the ingestor writes them (one message per request and session; the SDK
 * beacons every 5 s or 20 events, so a few events a request is typical);
 * `--per-message 1` measures the old one-event-per-message format.
 *
 * Uses KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL (default: the local stack on
 * 127.0.0.1); creates and drops its own topic, groups, database and key prefix.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@clickhouse/client';
import { createTopicsAndWait, runMigrations } from '@gosight/schema';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';
import { rawMessagesOf, type RawMessage } from '../../processor/src/testing/raw-messages';
import { benchClickHouseAuth } from '../clickhouse-auth';
import { sendRawMessages } from './send-raw';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    'per-message': { type: 'string', default: '5' },
    'steady-seconds': { type: 'string', default: '15' },
    'steady-rate': { type: 'string', default: '2000' },
    'timeout-seconds': { type: 'string', default: '900' },
    'skip-kafka-engine': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const PER_SESSION = 20;
const PER_MESSAGE = Number(values['per-message']);
const STEADY_SECONDS = Number(values['steady-seconds']);
const STEADY_RATE = Number(values['steady-rate']);
const TIMEOUT_MS = Number(values['timeout-seconds']) * 1000;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const suffix = `${Date.now().toString(36)}`;
const topic = `bench.processor.raw.${suffix}`;
const dlqTopic = `bench.processor.dlq.${suffix}`;
const group = `bench-processor-${suffix}`;
const database = `bench_processor_${suffix}`;
const prefix = `bench:processor:${suffix}:`;
// The heap cap the processor README recommends for production (NODE_OPTIONS).
const HEAP_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--max-old-space-size=256')
  .split(' ')
  .filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(`[bench] ${line}`);

const kafka = new Kafka({ clientId: 'bench-processor', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer();
const clickhouseAuth = benchClickHouseAuth();
const clickhouse = createClient({ url: clickhouseUrl, ...clickhouseAuth });
const redis = new Redis(redisUrl);

async function count(sql: string): Promise<number> {
  const result = await clickhouse.query({ query: sql, format: 'JSONEachRow' });
  const rows = await result.json<{ n: string }>();
  return Number(rows[0]?.n ?? 0);
}

let sessionNo = 0;
async function produce(n: number, startTs: number): Promise<void> {
  const chunk = 20_000;
  for (let done = 0; done < n;) {
    const take = Math.min(chunk, n - done);
    const messages: RawMessage[] = [];
    for (let made = 0; made < take; made += PER_SESSION) {
      const events = realisticSession(
        newSession(`pk_bench_${sessionNo % 5}`),
        Math.min(PER_SESSION, take - made),
        startTs + sessionNo * 37,
      );
      sessionNo += 1;
      messages.push(...rawMessagesOf(events, PER_MESSAGE));
    }
    await sendRawMessages(producer, topic, messages);
    done += take;
  }
}

/** CPU seconds (user + system) the process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Inserts per table, from the processor's /metrics (`kind` = count, or sum = seconds spent). */
async function scrape(port: number, kind: 'count' | 'sum' = 'count'): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  const pattern = new RegExp(
    `^gosight_processor_insert_seconds_${kind}\\{table="([^"]+)"\\} ([\\d.e+-]+)`,
  );
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m?.[1]) out.set(m[1], Number(m[2]));
  }
  return out;
}

async function main(): Promise<void> {
  await Promise.all([admin.connect(), producer.connect()]);
  await createTopicsAndWait(admin, [
    { topic, numPartitions: 3 },
    { topic: dlqTopic, numPartitions: 1 },
  ]);
  await runMigrations({ client: clickhouse, database });
  const T0 = Date.UTC(2026, 10, 22, 0);
  try {
    let t = Date.now();
    await produce(EVENTS, T0);
    const bytes = await admin.fetchTopicOffsets(topic);
    const messageCount = bytes.reduce((sum, p) => sum + Number(p.high), 0);
    say(
      `pre-filled ${topic}: ${EVENTS} events in ${((Date.now() - t) / 1000).toFixed(1)} s (${bytes.map((p) => p.high).join('/')} messages per partition, ≤ ${PER_MESSAGE} events a message)`,
    );

    const main = fileURLToPath(new URL('../../processor/src/main.ts', import.meta.url));
    const profile = process.env.BENCH_CPU_PROFILE_DIR
      ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`]
      : [];
    child = spawn(process.execPath, [...profile, ...HEAP_FLAGS, '--import', 'tsx', main], {
      env: {
        PATH: process.env.PATH ?? '',
        KAFKA_BROKERS: brokers.join(','),
        REDIS_URL: redisUrl,
        CLICKHOUSE_URL: clickhouseUrl,
        CLICKHOUSE_USER: clickhouseAuth.username,
        CLICKHOUSE_PASSWORD: clickhouseAuth.password,
        CLICKHOUSE_DATABASE: database,
        GOSIGHT_TOPIC_RAW: topic,
        GOSIGHT_TOPIC_DLQ: dlqTopic,
        GOSIGHT_CONSUMER_GROUP: group,
        GOSIGHT_REDIS_PREFIX: prefix,
        METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = child.pid ?? 0;
    const port = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const m = /metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffered);
        if (m) resolve(Number(m[1]));
      });
      child?.once('exit', () => reject(new Error(`processor exited:\n${buffered}`)));
    });

    t = Date.now();
    const cpuAtStart = cpuSeconds(pid);
    const chCpu = clickhouseEndpointCpu();
    let maxRss = 0;
    let first = 0;
    let eventsDone = 0;
    const deadline = t + TIMEOUT_MS;
    for (;;) {
      maxRss = Math.max(maxRss, rssMb(pid));
      const stored = await count(`SELECT count() AS n FROM ${database}.events`);
      if (stored > 0 && first === 0) first = Date.now();
      if (stored >= EVENTS && eventsDone === 0) eventsDone = Date.now();
      const lag = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committed =
        lag[0]?.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0) ?? 0;
      if (stored >= EVENTS && committed >= messageCount) break;
      if (Date.now() > deadline)
        throw new Error(`timed out: ${stored} events stored, group committed ${committed}`);
      await sleep(250);
    }
    const seconds = (Date.now() - t) / 1000;
    const cpu = cpuSeconds(pid) - cpuAtStart;
    const inserts = await scrape(port);
    const sessions = await count(`SELECT count() AS n FROM ${database}.sessions FINAL`);
    const counted = await count(`SELECT sum(event_count) AS n FROM ${database}.sessions FINAL`);
    say(
      `catch-up: ${EVENTS} events in ${seconds.toFixed(1)} s (from processor start, incl. group join) = ${Math.round(EVENTS / seconds)} rows/s`,
    );
    say(
      `  events table alone: ${EVENTS} rows ${((eventsDone - first) / 1000).toFixed(1)} s after the first insert = ${Math.round(EVENTS / ((eventsDone - first) / 1000))} rows/s`,
    );
    say(`  sessions: ${sessions} rows, counters sum ${counted} (expected ${EVENTS})`);
    // On this machine ClickHouse, Kafka and Redis share the processor's two cores; the
    // processor's own CPU time says what one core of its own would carry.
    say(
      `  processor CPU: ${cpu.toFixed(1)} s for ${EVENTS} rows = ${((cpu / EVENTS) * 1e6).toFixed(1)} µs a row → ${Math.round(EVENTS / cpu)} rows/s per core of processor CPU`,
    );
    const insertSeconds = await scrape(port, 'sum');
    for (const [table, n] of inserts) {
      const spent = insertSeconds.get(table) ?? 0;
      say(
        `  inserts into ${table}: ${n} (${(n / seconds).toFixed(2)}/s), ${spent.toFixed(1)} s waiting for ClickHouse`,
      );
    }
    say(`  processor max RSS: ${maxRss.toFixed(0)} MB`);
    if (chCpu !== undefined) {
      say(
        `  ClickHouse endpoint CPU for these rows: ${((chCpu.used() / EVENTS) * 1e6).toFixed(1)} µs a row (all its work in the catch-up: events, sessions, and the benchmark's polling)`,
      );
    }

    // The reference: ClickHouse's own Kafka engine on the same topic, its own group, events only.
    if (!values['skip-kafka-engine']) {
      const engine = await runKafkaEngine();
      const engineUs = (engine.cpuSeconds / engine.rows) * 1e6;
      const ourUs = (cpu / EVENTS) * 1e6;
      say(
        `Kafka engine (chdb, same topic, own group, events only): ${engine.rows} rows in ${engine.wallSeconds.toFixed(1)} s = ${Math.round(engine.rows / engine.wallSeconds)} rows/s, ${engineUs.toFixed(1)} µs CPU a row`,
      );
      say(
        `ratios: processor CPU a row (incl. sessions) ÷ Kafka engine's = ${(ourUs / engineUs).toFixed(2)} (target ≤ 1.0); wall rows/s ÷ Kafka engine's = ${(EVENTS / seconds / (engine.rows / engine.wallSeconds)).toFixed(2)} (target ≥ 1.0)`,
      );
    }

    // Steady state: a live trickle; inserts per second per table.
    const before = await scrape(port);
    const steadyStart = Date.now();
    for (let s = 0; s < STEADY_SECONDS; s++) {
      await produce(STEADY_RATE, T0 + 86_400_000);
      const wait = steadyStart + (s + 1) * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      maxRss = Math.max(maxRss, rssMb(pid));
    }
    await sleep(1500);
    const after = await scrape(port);
    const steadySeconds = (Date.now() - steadyStart) / 1000;
    for (const [table, n] of after) {
      const delta = n - (before.get(table) ?? 0);
      say(
        `steady state (${STEADY_RATE} events/s for ${STEADY_SECONDS} s): ${table} ${(delta / steadySeconds).toFixed(2)} inserts/s`,
      );
    }
    say(`processor max RSS overall: ${maxRss.toFixed(0)} MB`);
    say(
      `machine: ${(await import('node:os')).cpus().length} cores (Kafka, Redis and ClickHouse share them)`,
    );
  } finally {
    await cleanup();
  }
}

/** CPU of the local ClickHouse endpoint process from now on, when its pid file is there. */
function clickhouseEndpointCpu(): { used: () => number } | undefined {
  try {
    const pidFile = fileURLToPath(
      new URL('../../deploy/local/.state/clickhouse.pid', import.meta.url),
    );
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const start = cpuSeconds(pid);
    return { used: () => cpuSeconds(pid) - start };
  } catch {
    return undefined;
  }
}

/** Runs kafka-engine.ts on the pre-filled topic and returns what it measured. */
async function runKafkaEngine(): Promise<{
  rows: number;
  wallSeconds: number;
  cpuSeconds: number;
}> {
  const script = fileURLToPath(new URL('./kafka-engine.ts', import.meta.url));
  const engine = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--group',
      `${group}-kafka-engine`,
      '--events',
      String(EVENTS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  engine.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => engine.once('exit', resolve));
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`kafka-engine.ts exited with ${code}: ${out}`);
  return JSON.parse(line) as { rows: number; wallSeconds: number; cpuSeconds: number };
}

/** Processor stopped, database, groups, topics and Redis keys dropped: at the end, or on Ctrl-C / SIGTERM. */
let cleaning: Promise<void> | undefined;
/** The processor under test, once started. */
let child: ReturnType<typeof spawn> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    await clickhouse
      .command({ query: `DROP DATABASE IF EXISTS ${database}` })
      .catch(() => undefined);
    await admin
      .deleteGroups([group, `${group}-dlq`, `${group}-kafka-engine`])
      .catch(() => undefined);
    await admin.deleteTopics({ topics: [topic, dlqTopic] }).catch(() => undefined);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await Promise.all([admin.disconnect(), producer.disconnect(), clickhouse.close()]);
  })();
  return cleaning;
}
// `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
// and a second signal with no listener left would kill it mid-cleanup.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning) return;
    say(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

await main();
