import { describe, expect, it } from 'vitest';
import { forCluster } from './migrate';
import { readMigrationFiles } from './migration-files';

const inDb = (sql: string) => sql.replaceAll('{{db}}', 'gosight');

describe('migrations for a cluster (onCluster)', () => {
  it('puts ON CLUSTER after each object name and replicates every MergeTree engine', async () => {
    const statements = (await readMigrationFiles()).flatMap((f) => f.statements.map(inDb));
    const rewritten = statements.map((s) => forCluster(s, 'analytics'));
    const heads = rewritten.map(
      (s) => /(?:CREATE|ALTER) [^\n(]*? ON CLUSTER analytics/.exec(s)?.[0],
    );
    expect(heads).toEqual([
      'CREATE TABLE IF NOT EXISTS gosight.events ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.sessions ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.events_quarantine ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.page_stats_1m ON CLUSTER analytics',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS gosight.page_stats_1m_mv ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.custom_stats_1m ON CLUSTER analytics',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS gosight.custom_stats_1m_mv ON CLUSTER analytics',
      'CREATE VIEW IF NOT EXISTS gosight.custom_stats_1m_view ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.late_events_1m ON CLUSTER analytics',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS gosight.late_events_1m_mv ON CLUSTER analytics',
      'CREATE TABLE IF NOT EXISTS gosight.user_profiles ON CLUSTER analytics',
      'ALTER TABLE gosight.events ON CLUSTER analytics',
    ]);
    const engines = rewritten.map((s) => /ENGINE\s*=\s*(\w+(?:\([^)]*\))?)/.exec(s)?.[1]);
    expect(engines).toEqual([
      'ReplicatedReplacingMergeTree',
      'ReplicatedReplacingMergeTree(version)',
      'ReplicatedMergeTree',
      'ReplicatedAggregatingMergeTree',
      undefined,
      'ReplicatedAggregatingMergeTree',
      undefined,
      undefined,
      'ReplicatedAggregatingMergeTree',
      undefined,
      'ReplicatedReplacingMergeTree(updated_at)',
      undefined,
    ]);
    // Only the head and the engine change: the rest of each statement is untouched.
    rewritten.forEach((s, i) => {
      const undo = s
        .replace(' ON CLUSTER analytics', '')
        .replace('ENGINE = Replicated', 'ENGINE = ');
      expect(undo).toBe(statements[i]);
    });
  });

  it('rewrites the runner own statements and leaves other statements alone', () => {
    expect(forCluster('CREATE DATABASE IF NOT EXISTS gosight', 'c1')).toBe(
      'CREATE DATABASE IF NOT EXISTS gosight ON CLUSTER c1',
    );
    expect(
      forCluster('CREATE TABLE IF NOT EXISTS db.t (x UInt8) ENGINE = MergeTree ORDER BY x', 'c1'),
    ).toBe(
      'CREATE TABLE IF NOT EXISTS db.t ON CLUSTER c1 (x UInt8) ENGINE = ReplicatedMergeTree ORDER BY x',
    );
    expect(forCluster('ALTER TABLE db.t ADD COLUMN x UInt8', 'c1')).toBe(
      'ALTER TABLE db.t ON CLUSTER c1 ADD COLUMN x UInt8',
    );
    expect(forCluster('OPTIMIZE TABLE db.t FINAL', 'c1')).toBe('OPTIMIZE TABLE db.t FINAL');
    // A table that is already replicated is not replicated twice.
    expect(
      forCluster('CREATE TABLE db.r (x UInt8) ENGINE = ReplicatedMergeTree ORDER BY x', 'c1'),
    ).toBe('CREATE TABLE db.r ON CLUSTER c1 (x UInt8) ENGINE = ReplicatedMergeTree ORDER BY x');
  });
});
