/**
 * Where a 20k-row insert into `events` spends its time: the same realistic
 * rows inserted through @clickhouse/client (objects → JSONEachRow) and as
 * prebuilt bodies in other formats, into the migrated `events` table (with the
 * page_stats_1m view) and into copies without the view / without the bloom
 * filter. Prints ms per insert (median of --runs). Run it against a private
 * endpoint so the shared one is not loaded:
 *
 *   npx tsx deploy/local/src/clickhouse/main.ts --port 18123 --data-dir /tmp/ch-bench &
 *   CLICKHOUSE_URL=http://127.0.0.1:18123 npx tsx bench/processor/insert-cost.ts [--rows 20000] [--runs 3]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from '@clickhouse/client';
import { benchClickHouseAuth } from '../clickhouse-auth';
import { runMigrations } from '@gosight/schema';
import { toEventRow } from '../../processor/src/events/event-row';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const url = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:18123';
const database = `bench_insert_${Date.now().toString(36)}`;
const client = createClient({ url, ...benchClickHouseAuth(), request_timeout: 120_000 });

/** Fresh rows each call, so no insert is deduplicated against an earlier one. */
function rows(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let n = 0;
  while (out.length < ROWS) {
    const events = realisticSession(
      newSession(`pk_bench_${n % 5}`),
      20,
      Date.UTC(2026, 10, 22) + n * 37,
    );
    n += 1;
    for (const e of events) out.push(toEventRow(e) as unknown as Record<string, unknown>);
  }
  return out.slice(0, ROWS);
}

const COLUMNS = Object.keys(rows()[0] ?? {});

function tsvField(v: unknown): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return (v as string).replace(/[\\\t\n]/g, (c) =>
    c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\',
  );
}

const BODIES: Record<string, (rs: Record<string, unknown>[]) => string> = {
  JSONEachRow: (rs) => rs.map((r) => JSON.stringify(r)).join('\n') + '\n',
  JSONCompactEachRow: (rs) =>
    rs.map((r) => JSON.stringify(COLUMNS.map((c) => r[c]))).join('\n') + '\n',
  TabSeparated: (rs) =>
    rs.map((r) => COLUMNS.map((c) => tsvField(r[c])).join('\t')).join('\n') + '\n',
};

async function post(query: string, body: string, settings: Record<string, string>) {
  const params = new URLSearchParams({ query, database, ...settings });
  const res = await fetch(`${url}/?${params.toString()}`, { method: 'POST', body });
  if (!res.ok) throw new Error(await res.text());
  await res.arrayBuffer();
}

/** Times `run` on fresh rows (made, and turned into a body by `prepare`, before the clock starts). */
async function time<T = Record<string, unknown>[]>(
  label: string,
  run: (input: T) => Promise<void>,
  prepare: (rs: Record<string, unknown>[]) => T = (rs) => rs as T,
) {
  if (values.only && !label.includes(values.only)) return;
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const input = prepare(rows());
    const t = performance.now();
    await run(input);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] ?? 0;
  console.log(
    `${label.padEnd(64)} ${median.toFixed(0).padStart(6)} ms  (${Math.round(ROWS / (median / 1000))} rows/s; runs ${ms.map((m) => m.toFixed(0)).join('/')})`,
  );
}

await runMigrations({ client, database });
const cmd = (query: string) => client.command({ query: query.replaceAll('{db}', database) });
await cmd('CREATE TABLE {db}.events_nomv AS {db}.events');
await cmd('CREATE TABLE {db}.events_noidx AS {db}.events');
await cmd('ALTER TABLE {db}.events_noidx DROP INDEX session_bf');
await cmd('CREATE TABLE {db}.events_nodedup AS {db}.events');
await cmd('ALTER TABLE {db}.events_nodedup MODIFY SETTING non_replicated_deduplication_window = 0');
await cmd(
  'CREATE TABLE {db}.events_plain AS {db}.events ENGINE = MergeTree PARTITION BY toYYYYMM(client_ts) ORDER BY (project_id, toDate(client_ts), type, event_id)',
);
const dedup = () => ({ insert_deduplicate: '1', insert_deduplication_token: randomUUID() });

console.log(`${ROWS} rows per insert, ${RUNS} runs, ${url}`);
const sample = rows();
for (const [format, build] of Object.entries(BODIES)) {
  const t = performance.now();
  const body = build(sample);
  console.log(
    `build ${format.padEnd(20)} ${(performance.now() - t).toFixed(0).padStart(5)} ms, ${(body.length / 1e6).toFixed(1)} MB`,
  );
}

await time(
  'client objects JSONEachRow → events (the processor until JSONCompactEachRow)',
  async (rs) => {
    await client.insert({
      table: `${database}.events`,
      values: rs,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: randomUUID() },
    });
  },
);
const cols = `(${COLUMNS.join(',')})`;
for (const [format, build] of Object.entries(BODIES)) {
  for (const table of ['events', 'events_nomv', 'events_noidx', 'events_nodedup', 'events_plain']) {
    await time(
      `POST ${format} → ${table}`,
      (body) => post(`INSERT INTO ${table} ${cols} FORMAT ${format}`, body, dedup()),
      build,
    );
  }
}
const tsv = BODIES.TabSeparated!;
await time(
  'POST TabSeparated → events, no dedup token',
  (body) => post(`INSERT INTO events ${cols} FORMAT TabSeparated`, body, {}),
  tsv,
);
await time(
  'POST TabSeparated → events, input_format_parallel_parsing=0',
  (body) =>
    post(`INSERT INTO events ${cols} FORMAT TabSeparated`, body, {
      ...dedup(),
      input_format_parallel_parsing: '0',
    }),
  tsv,
);
await time(
  'POST TabSeparated → events, async_insert=1 wait=1',
  (body) =>
    post(`INSERT INTO events ${cols} FORMAT TabSeparated`, body, {
      async_insert: '1',
      wait_for_async_insert: '1',
    }),
  tsv,
);
await cmd('CREATE TABLE {db}.tmp_mem AS {db}.events_nomv ENGINE = Memory');
await time(
  'POST TabSeparated → Memory (parse only)',
  (body) => post(`INSERT INTO tmp_mem ${cols} FORMAT TabSeparated`, body, {}),
  tsv,
);
await time(
  'POST TabSeparated → Memory (parse only), parallel_parsing=0',
  (body) =>
    post(`INSERT INTO tmp_mem ${cols} FORMAT TabSeparated`, body, {
      input_format_parallel_parsing: '0',
    }),
  tsv,
);
await time(
  'POST JSONCompactEachRow → Memory (parse only)',
  (body) => post(`INSERT INTO tmp_mem ${cols} FORMAT JSONCompactEachRow`, body, {}),
  BODIES.JSONCompactEachRow,
);
await time(
  'POST JSONEachRow → Memory (parse only)',
  (body) => post(`INSERT INTO tmp_mem ${cols} FORMAT JSONEachRow`, body, {}),
  BODIES.JSONEachRow,
);
await time('INSERT events SELECT * FROM Memory (write + MV, no parse)', () =>
  post(
    `INSERT INTO events ${cols} SELECT * EXCEPT inserted_at FROM tmp_mem LIMIT ${ROWS}`,
    '',
    dedup(),
  ),
);
await time('INSERT events_nomv SELECT * FROM Memory (write, no parse)', () =>
  post(
    `INSERT INTO events_nomv ${cols} SELECT * EXCEPT inserted_at FROM tmp_mem LIMIT ${ROWS}`,
    '',
    dedup(),
  ),
);
await client.command({ query: `DROP DATABASE ${database}` });
await client.close();
