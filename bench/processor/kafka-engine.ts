/**
 * The reference the processor is compared with: ClickHouse's own Kafka table engine, inside a
 * chdb session of this process, reading the bench's pre-filled topic (its own group) into a copy
 * of `events` through a materialized view that lifts the columns with JSONExtract*, as an
 * operator who asks "why not just the Kafka engine?" would set it up. Events only: no sessions,
 * no quarantine, no dedup token. Prints one JSON line: rows, wall seconds, CPU seconds.
 *
 *   npx tsx bench/processor/kafka-engine.ts --brokers 127.0.0.1:9092 --topic T --group G --events N
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Session } from 'chdb';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: '127.0.0.1:9092' },
    topic: { type: 'string' },
    group: { type: 'string' },
    events: { type: 'string' },
    'timeout-seconds': { type: 'string', default: '600' },
  },
});
const topic = values.topic ?? '';
const group = values.group ?? '';
const events = Number(values.events);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-kafka-engine-'));
const session = new Session(dataDir);
const sql = (query: string): string => session.query(query, 'TabSeparated').toString();
const literal = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const migration = readFileSync(
  fileURLToPath(new URL('../../schema/migrations/0001_events.sql', import.meta.url)),
  'utf8',
);
sql('CREATE DATABASE IF NOT EXISTS bench');
sql(migration.replaceAll('{{db}}', 'bench'));

// e: one enriched event (JSON text); p: its payload.
const str = (key: string) => `JSONExtractString(e, '${key}') AS ${key}`;
const ms = (key: string) =>
  `fromUnixTimestamp64Milli(JSONExtractInt(e, '${key}'), 'UTC') AS ${key}`;
const uint = (key: string) => `JSONExtractUInt(e, '${key}') AS ${key}`;
const columns = [
  "toUUID(JSONExtractString(e, 'event_id')) AS event_id",
  ...['project_id', 'type'].map(str),
  ...['ts', 'client_ts', 'sent_at', 'received_at'].map(ms),
  ...['session_id', 'anon_id'].map(str),
  "JSONExtract(e, 'user_id', 'Nullable(String)') AS user_id",
  ...['url', 'path', 'referrer', 'title'].map(str),
  ...['viewport_w', 'viewport_h', 'screen_w', 'screen_h'].map(uint),
  ...['lang', 'ip', 'country', 'region', 'city', 'user_agent', 'browser'].map(str),
  ...['browser_version', 'os', 'os_version', 'device_type'].map(str),
  "JSONExtractBool(e, 'is_bot') AS is_bot",
  "JSONExtractString(p, 'name') AS name",
  "multiIf(type = 'web_vitals', JSONExtract(p, 'value', 'Nullable(Float64)'), type = 'custom', JSONExtract(p, 'props', 'value', 'Nullable(Float64)'), NULL) AS value",
  "JSONExtractString(p, 'utm_source') AS utm_source",
  "JSONExtractString(p, 'utm_medium') AS utm_medium",
  "JSONExtractString(p, 'utm_campaign') AS utm_campaign",
  "JSONExtractString(p, 'selector') AS selector",
  "JSONExtractString(p, 'tag') AS element_tag",
  "JSONExtractString(p, 'text') AS element_text",
  "JSONExtractString(p, 'href') AS href",
  "JSONExtractBool(p, 'rage') AS is_rage_click",
  "JSONExtractBool(p, 'dead') AS is_dead_click",
  "toUInt8(if(type = 'page_leave', JSONExtractUInt(p, 'max_scroll'), JSONExtractUInt(p, 'depth'))) AS scroll_depth",
  "JSONExtractString(p, 'message') AS error_message",
  "JSONExtractString(p, 'error_type') AS error_type",
  "JSONExtractString(p, 'stack') AS error_stack",
  'p AS payload',
];
sql(`CREATE TABLE bench.kafka_raw (raw String) ENGINE = Kafka SETTINGS
  kafka_broker_list = ${literal(values.brokers)}, kafka_topic_list = ${literal(topic)},
  kafka_group_name = ${literal(group)}, kafka_format = 'RawBLOB', kafka_num_consumers = 1,
  kafka_max_block_size = 65536, kafka_flush_interval_ms = 1000`);

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
const cpu0 = cpuSeconds();
const t0 = Date.now();
// Raw messages are JSON arrays of events (format 2); a bare object (format 1) is one event.
sql(`CREATE MATERIALIZED VIEW bench.kafka_mv TO bench.events AS
  SELECT ${columns.join(',\n    ')}
  FROM (SELECT e, JSONExtractRaw(e, 'payload') AS p FROM (
    SELECT arrayJoin(if(startsWith(raw, '['), JSONExtractArrayRaw(raw), [raw])) AS e FROM bench.kafka_raw))`);

const deadline = t0 + Number(values['timeout-seconds']) * 1000;
let stored = 0;
while (stored < events && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  stored = Number(sql('SELECT count() FROM bench.events').trim());
}
const wall = (Date.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
sql('DROP TABLE bench.kafka_mv');
sql('DROP TABLE bench.kafka_raw');
session.cleanup();
rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ rows: stored, wallSeconds: wall, cpuSeconds: cpu }));
process.exit(stored >= events ? 0 : 1);
