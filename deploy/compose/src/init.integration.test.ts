/**
 * The compose `init` job as the image runs it (the esbuild bundle, plain
 * node, migrations next to it) against the real local Kafka and ClickHouse
 * engine, on its own topics and database.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import kafkajs, { type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { createImageLayout, type ImageLayout } from './testing/image-layout';

const { Kafka, logLevel, ConfigResourceTypes } = kafkajs;
const exec = promisify(execFile);
const suffix = uniqueSuffix();
const database = `gosight_init_${suffix}`;
const raw = `gosight.it.${suffix}.raw`;
const dlq = `gosight.it.${suffix}.dlq`;

let layout: ImageLayout;
let admin: Admin;
let clickhouse: ClickHouseClient;

/** Runs the bundled init job with only `vars` in its environment. */
async function runInit(vars: Record<string, string>) {
  const env = { PATH: process.env.PATH ?? '', ...vars };
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(layout.root, 'dist/init.mjs')], {
      env,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const baseVars = () => ({
  KAFKA_BROKERS: serviceEnv().kafkaBrokers.join(','),
  CLICKHOUSE_URL: serviceEnv().clickhouseUrl,
  CLICKHOUSE_USER: serviceEnv().clickhouseAuth.username,
  CLICKHOUSE_PASSWORD: serviceEnv().clickhouseAuth.password,
  CLICKHOUSE_DATABASE: database,
  GOSIGHT_TOPIC_RAW: raw,
  GOSIGHT_TOPIC_DLQ: dlq,
  KAFKA_TOPIC_RETENTION_HOURS: '24',
  GOSIGHT_RETENTION_DAYS: '30',
});

async function partitions(topic: string) {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return metadata.topics[0]?.partitions.length;
}

async function retentionMs(topic: string) {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
  });
  return described.resources[0]?.configEntries[0]?.configValue;
}

beforeAll(async () => {
  layout = await createImageLayout(`init-it-${suffix}`);
  const kafka = new Kafka({ brokers: serviceEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  clickhouse = createClient({ url: serviceEnv().clickhouseUrl, ...serviceEnv().clickhouseAuth });
});

afterAll(async () => {
  const existing = new Set(await admin.listTopics());
  const ours = [raw, dlq].filter((t) => existing.has(t));
  if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  await admin.disconnect();
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await clickhouse.close();
  await layout.remove();
});

describe('init job (bundled, as in the image)', () => {
  it('creates the topics with partitions and retention, and migrates ClickHouse with retention', async () => {
    const first = await runInit({ ...baseVars(), KAFKA_TOPIC_PARTITIONS: '12' });
    expect(first.code, first.output).toBe(0);
    expect(await partitions(raw)).toBe(12);
    expect(await partitions(dlq)).toBe(3);
    expect(await retentionMs(raw)).toBe(String(24 * 3_600_000));
    expect(await retentionMs(dlq)).toBe(String(720 * 3_600_000));
    const tables = await clickhouse.query({
      query:
        'SELECT name, engine_full LIKE {ttl:String} AS ttl FROM system.tables WHERE database = {db:String} ORDER BY name',
      query_params: { db: database, ttl: '%toIntervalDay(30)%' },
      format: 'JSONEachRow',
    });
    expect(await tables.json()).toEqual([
      { name: 'custom_stats_1m', ttl: 1 },
      { name: 'custom_stats_1m_mv', ttl: 0 },
      { name: 'custom_stats_1m_view', ttl: 0 },
      { name: 'events', ttl: 1 },
      { name: 'events_quarantine', ttl: 1 },
      { name: 'late_events_1m', ttl: 1 },
      { name: 'late_events_1m_mv', ttl: 0 },
      { name: 'page_stats_1m', ttl: 1 },
      { name: 'page_stats_1m_mv', ttl: 0 },
      { name: 'schema_migrations', ttl: 0 },
      { name: 'sessions', ttl: 1 },
      { name: 'user_profiles', ttl: 0 },
    ]);
  });

  it('a second run changes nothing but raises partitions when asked for more', async () => {
    const again = await runInit({ ...baseVars(), KAFKA_TOPIC_PARTITIONS: '16' });
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('0 applied now, 7 already applied');
    expect(again.output).toContain(`${raw} raised from 12 to 16 partitions`);
    expect(await partitions(raw)).toBe(16);
    const fewer = await runInit({ ...baseVars(), KAFKA_TOPIC_PARTITIONS: '8' });
    expect(fewer.code, fewer.output).toBe(0);
    expect(fewer.output).toContain('Kafka cannot lower it');
    expect(await partitions(raw)).toBe(16);
  });

  it('stops with exit code 2 and the variable name on bad configuration', async () => {
    const bad = await runInit({ ...baseVars(), KAFKA_TOPIC_PARTITIONS: 'twelve' });
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('KAFKA_TOPIC_PARTITIONS');
  });
});
