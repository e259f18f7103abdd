/**
 * Freshness benchmark (prints figures; not a timed test): time from a beacon
 * leaving the client to its row being visible in ClickHouse, at 1k and 10k
 * events/s, through the production topology on the real local Kafka, Redis
 * and ClickHouse. `npm start`'s entry (ingestor + processor, Kafka + Redis
 * mode) runs pinned to core 0; this process (load generator + poller)
 * re-executes itself pinned to core 1. About 2 minutes.
 *
 *   npx tsx bench/freshness/run.ts [--rates 1000,10000] [--seconds 20] [--warmup 5]
 *
 * Uses KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL (default: the local stack on
 * 127.0.0.1); creates and removes its own topics, groups, key prefix and
 * database. GOSIGHT_BATCH_MAX_WAIT_MS / GOSIGHT_BATCH_MAX_ROWS /
 * GOSIGHT_PRODUCE_LINGER_MS / GOSIGHT_PRODUCE_BATCH_SIZE in our environment are
 * passed to the child (the defaults otherwise).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBenchStack } from './bench-stack';
import { createOpenLoopLoad, type PhaseResult } from './open-loop-load';
import { startVisibilityPoller } from './visibility-poller';

const PINNED_MARK = 'GOSIGHT_BENCH_FRESHNESS_PINNED';

// Re-execute under `taskset -c 1`; the outer process only waits and forwards signals;
// the inner one cleans up before it exits.
if (process.env[PINNED_MARK] !== '1') {
  const self = fileURLToPath(import.meta.url);
  const inner = spawn(
    'taskset',
    ['-c', '1', process.execPath, '--import', 'tsx', self, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [PINNED_MARK]: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Forwarded (a terminal's Ctrl-C reaches the inner process too; it cleans up once).
    process.on(signal, () => inner.kill(signal));
  }
  inner.once('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '1000,10000' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      'poll-ms': { type: 'string', default: '100' },
      'deadline-seconds': { type: 'string', default: '15' },
    },
  });
  const rates = values.rates.split(',').map(Number);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const pollMs = Number(values['poll-ms']);
  const deadlineMs = Number(values['deadline-seconds']) * 1000;
  const say = (line: string) => console.log(`[bench] ${line}`);
  const passed = [
    'GOSIGHT_BATCH_MAX_WAIT_MS',
    'GOSIGHT_BATCH_MAX_ROWS',
    'GOSIGHT_PRODUCE_LINGER_MS',
    'GOSIGHT_PRODUCE_BATCH_SIZE',
  ];
  const overrides = Object.fromEntries(
    passed.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const loadBefore = loadavg();
  say(
    `load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (${cpus().length} cores)`,
  );
  say('starting the standalone entry (ingestor + processor, Kafka + Redis) on core 0 ...');
  const stack = await startBenchStack({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    clickhouseUrl: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    overrides,
  });
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: cleaning up`);
    void stack.cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const poller = startVisibilityPoller({
    clickhouse: stack.clickhouse,
    database: stack.names.database,
    intervalMs: pollMs,
    lookBackMs: 1000,
  });
  const load = createOpenLoopLoad({
    port: stack.port,
    project: stack.project,
    origin: stack.origin,
    batchSize: 20,
  });
  const phases: PhaseResult[] = [];
  try {
    const p = stack.settings.processor;
    const i = stack.settings.ingestor;
    say(`names: topic ${stack.names.topic}, database ${stack.names.database}`);
    say(
      `settings: GOSIGHT_BATCH_MAX_WAIT_MS=${p.GOSIGHT_BATCH_MAX_WAIT_MS} GOSIGHT_BATCH_MAX_ROWS=${p.GOSIGHT_BATCH_MAX_ROWS} ` +
        `GOSIGHT_PRODUCE_LINGER_MS=${i.GOSIGHT_PRODUCE_LINGER_MS} GOSIGHT_PRODUCE_BATCH_SIZE=${i.GOSIGHT_PRODUCE_BATCH_SIZE} ` +
        `(consumer fetch: minBytes 256 KB / maxWait 1000 ms, processor/src/consume/kafka-event-source.ts)`,
    );
    for (const rate of rates) {
      if (interrupted) break;
      say(`${rate} events/s: warm-up ${warmup} s (not counted)`);
      await load.run(rate, warmup);
      say(`${rate} events/s: measuring ${seconds} s`);
      const phase = await load.run(rate, seconds);
      phases.push(phase);
      const until = Date.now() + deadlineMs;
      while (Date.now() < until && [...phase.accepted.keys()].some((id) => !poller.seen.has(id))) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    await poller.stop();
    const inTable = await poller.sweep();
    const loadAfter = loadavg();
    printTable(phases, poller.seen, inTable, say);
    const stats = poller.stats();
    say(
      `poller: ${stats.polls} polls every ${pollMs} ms, mean ${stats.meanMs.toFixed(0)} ms, max ${stats.maxMs} ms, ${stats.errors} failed`,
    );
    say(
      `load average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')} (1/5/15 min; Kafka, Redis, ClickHouse and other users share the ${cpus().length} cores)`,
    );
  } finally {
    load.close();
    await poller.stop();
    if (!interrupted) await stack.cleanup();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function printTable(
  phases: PhaseResult[],
  seen: Map<string, { visibleAt: number; insertedAt: number }>,
  inTable: Map<string, number>,
  say: (line: string) => void,
): void {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)}`);
  const head = [
    'rate/s',
    'actual/s',
    'sent',
    '202',
    'visible p50',
    'p99',
    'max',
    'inserted_at p50',
    'p99',
    'max',
    'lost',
    'missed',
  ];
  const rows: string[][] = [head];
  for (const phase of phases) {
    const visible: number[] = [];
    const inserted: number[] = [];
    let lost = 0;
    let missed = 0;
    for (const [id, sentAt] of phase.accepted) {
      const sighting = seen.get(id);
      const insertedAt = sighting?.insertedAt ?? inTable.get(id);
      if (insertedAt === undefined) lost += 1;
      else inserted.push(insertedAt - sentAt);
      if (sighting) visible.push(sighting.visibleAt - sentAt);
      else if (insertedAt !== undefined) missed += 1;
    }
    visible.sort((a, b) => a - b);
    inserted.sort((a, b) => a - b);
    rows.push([
      String(phase.rate),
      String(Math.round(phase.eventsSent / (phase.durationMs / 1000))),
      String(phase.eventsSent),
      String(phase.accepted.size),
      ms(percentile(visible, 50)),
      ms(percentile(visible, 99)),
      ms(visible.at(-1) ?? NaN),
      ms(percentile(inserted, 50)),
      ms(percentile(inserted, 99)),
      ms(inserted.at(-1) ?? NaN),
      String(lost),
      String(missed),
    ]);
    const failures = [...phase.failures].map(([why, n]) => `${why}: ${n}`).join(', ');
    say(
      `${phase.rate}/s: ${phase.requests} requests of 20 events in ${(phase.durationMs / 1000).toFixed(1)} s, ` +
        `sender at worst ${Math.round(phase.maxBehindMs)} ms behind schedule${failures ? `; not 202: ${failures}` : ''}`,
    );
  }
  const widths = head.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  console.log('');
  console.log('freshness, ms from request written (client) to row visible in ClickHouse');
  for (const row of rows)
    console.log(`  ${row.map((v, c) => v.padStart(widths[c] ?? 0)).join('  ')}`);
  console.log(
    [
      '',
      '  visible    = first poll (every ~100 ms) whose SELECT returned the id − t_sent; late by ≤ one poll interval',
      '  inserted_at = ClickHouse DEFAULT now64(3) at insert (same machine clock) − t_sent; the row is visible a little later',
      '  lost       = answered 202 but not in the table at the end; missed = in the table but never seen by the poller',
      '  target: p99 ≤ 2000 ms (PostHog commits to 30 s p95)',
      '',
    ].join('\n'),
  );
}
