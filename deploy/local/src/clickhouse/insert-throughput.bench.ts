/**
 * Prints how fast a 50k-row JSONEachRow INSERT goes through the HTTP interface (body → engine
 * without per-row JS objects). Not a test: run it and read the figures.
 *   npx tsx deploy/local/src/clickhouse/insert-throughput.bench.ts [--url http://127.0.0.1:8123] [--rows 50000]
 * Without --url it starts an in-process server on a temporary data directory. Writes as
 * CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, or as the in-process server's writer.
 */
import { createClient } from '@clickhouse/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClickHouseHttpServer } from './http-server';

const { values } = parseArgs({
  options: { url: { type: 'string' }, rows: { type: 'string', default: '50000' } },
});
const rowCount = Number.parseInt(values.rows, 10);
const dataDir =
  values.url === undefined ? mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-bench-')) : undefined;
const server = dataDir === undefined ? undefined : createClickHouseHttpServer({ dataDir, port: 0 });
const url = values.url ?? (await server?.listen()) ?? '';
const auth = server?.writer ?? {
  username: process.env.CLICKHOUSE_USER ?? 'default',
  password: process.env.CLICKHOUSE_PASSWORD ?? '',
};
const table = `default.bench_${randomUUID().slice(0, 8)}`;

async function sql(query: string, body?: Buffer): Promise<void> {
  const target =
    body === undefined ? `${url}/` : `${url}/?${new URLSearchParams({ query }).toString()}`;
  const res = await fetch(target, {
    method: 'POST',
    body: body ?? query,
    headers: { 'X-ClickHouse-User': auth.username, 'X-ClickHouse-Key': auth.password },
  });
  if (!res.ok) throw new Error(await res.text());
  await res.arrayBuffer();
}

await sql(`CREATE TABLE ${table} (id UUID, ts DateTime64(3), session_id String, type LowCardinality(String),
  url String, props String, n UInt32) ENGINE = MergeTree ORDER BY (session_id, ts)`);
const lines: string[] = [];
for (let i = 0; i < rowCount; i += 1) {
  lines.push(
    JSON.stringify({
      id: randomUUID(),
      ts: '2024-05-01 10:00:00.123',
      session_id: `s${i % 500}`,
      type: 'page_view',
      url: `https://shop.example/p/${i}?utm_source=news`,
      props: JSON.stringify({ w: 1280, h: 720, title: 'Product page' }),
      n: i,
    }),
  );
}
const body = Buffer.from(`${lines.join('\n')}\n`);
console.log(`${rowCount} rows, ${(body.length / 1e6).toFixed(1)} MB of JSONEachRow`);

for (let run = 1; run <= 3; run += 1) {
  const t0 = performance.now();
  await sql(`INSERT INTO ${table} FORMAT JSONEachRow`, body);
  const ms = performance.now() - t0;
  console.log(
    `fetch POST run ${run}: ${ms.toFixed(0)} ms, ${Math.round(rowCount / (ms / 1000))} rows/s`,
  );
}
const client = createClient({ url, ...auth, compression: { request: true } });
const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
for (let run = 1; run <= 3; run += 1) {
  const t0 = performance.now();
  await client.insert({ table, values: objects, format: 'JSONEachRow' });
  const ms = performance.now() - t0;
  console.log(
    `@clickhouse/client insert (gzip) run ${run}: ${ms.toFixed(0)} ms, ${Math.round(rowCount / (ms / 1000))} rows/s`,
  );
}
await client.close();
await sql(`DROP TABLE ${table}`);
await server?.close();
if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
