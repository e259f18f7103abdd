import { describe, expect, it } from 'vitest';
import { createStatementPolicy } from './statement-policy';

// A part of what chdb 3.x lists in system.table_functions / table_engines / database_engines.
const policy = createStatementPolicy({
  tableFunctions: ['file', 'url', 's3', 'remote', 'numbers', 'values', 'iceberg', 'newLakeThing'],
  tableEngines: [
    'MergeTree',
    'ReplicatedReplacingMergeTree',
    'ReplacingMergeTree',
    'File',
    'URL',
    'Kafka',
    'Memory',
    'Null',
  ],
  databaseEngines: ['Atomic', 'Filesystem', 'MySQL'],
});

const refused = (sql: string, role: 'reader' | 'writer' = 'writer') => {
  try {
    policy.checkStatement(sql, role);
    return undefined;
  } catch (err) {
    return (err as { type: string }).type;
  }
};

describe('statement policy', () => {
  it('refuses file-system and network table functions, however they are written', () => {
    for (const sql of [
      "SELECT * FROM file('/etc/passwd','LineAsString') LIMIT 2",
      "INSERT INTO FUNCTION file('/tmp/pwn.txt','LineAsString') SELECT 'x'",
      "SELECT * FROM FILE ('/etc/passwd')",
      "SELECT * FROM `file`('/etc/passwd')",
      'SELECT * FROM "url" /* hi */ (\'http://x\')',
      "SELECT * FROM s3('http://x/y')",
      "SELECT * FROM remote('127.0.0.1:9000', system.one)",
      "SELECT file('/etc/hostname')",
      "SELECT * FROM (SELECT * FROM numbers(1) UNION ALL SELECT * FROM url('http://x'))",
      "SELECT * FROM newLakeThing('x')",
      "SELECT * FROM iceberg('x')",
      "SELECT 1 INTO OUTFILE '/tmp/x'",
      "INSERT INTO t FROM INFILE '/etc/passwd' FORMAT LineAsString",
      "CREATE TABLE t (a String) ENGINE = File(LineAsString, '/etc/passwd')",
      "CREATE TABLE t (a String) ENGINE = Kafka SETTINGS kafka_broker_list = 'x:9092'",
      "CREATE DATABASE d ENGINE = Filesystem('/')",
      "CREATE DICTIONARY d (k UInt64) PRIMARY KEY k SOURCE(HTTP(url 'http://x' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
      "CREATE DICTIONARY d (k UInt64) PRIMARY KEY k SOURCE(CLICKHOUSE(host 'x' table 't')) LAYOUT(FLAT()) LIFETIME(0)",
      "SELECT 1 SETTINGS format_schema = '/etc/passwd'",
      "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = 'local', path = '/')",
      "ATTACH TABLE t FROM '/var/lib/x' (a UInt8) ENGINE = MergeTree ORDER BY a",
      'SYSTEM SHUTDOWN',
      "BACKUP TABLE t TO Disk('default', 'x')",
    ]) {
      expect([sql, refused(sql)]).toEqual([sql, 'ACCESS_DENIED']);
    }
  });

  it('lets ordinary analytics, DDL and inserts through', () => {
    for (const sql of [
      "SELECT url, count() FROM gosight.events WHERE url LIKE '%file(%' GROUP BY url",
      'SELECT engine, name FROM system.tables WHERE engine = MergeTree',
      'SELECT name FROM system.settings WHERE readonly = 0',
      'SELECT * FROM numbers(10) FORMAT JSONEachRow',
      "SELECT domain(url), path(url) FROM gosight.events -- file('x')",
      'CREATE TABLE t (a UInt8) ENGINE = ReplacingMergeTree ORDER BY a',
      'CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a',
      "CREATE TABLE t ON CLUSTER c (a UInt8) ENGINE = ReplicatedReplacingMergeTree('/p', '{replica}', a) ORDER BY a",
      'INSERT INTO t FORMAT TabSeparated\nfile(/etc/passwd)\turl(x)',
      'SELECT 1;',
      'SELECT 1 SETTINGS max_threads = 1',
    ]) {
      expect([sql, refused(sql)]).toEqual([sql, undefined]);
    }
  });

  it('refuses a second statement', () => {
    expect(refused('SELECT 1; SELECT 2')).toBe('SYNTAX_ERROR');
  });

  it('keeps the reader inside its limits, in SET, SETTINGS and URL settings', () => {
    expect(refused('SELECT 1 SETTINGS max_execution_time = 0', 'reader')).toBe(
      'SETTING_CONSTRAINT_VIOLATION',
    );
    expect(refused('SET max_threads = 2, max_memory_usage = 0', 'reader')).toBe(
      'SETTING_CONSTRAINT_VIOLATION',
    );
    expect(refused('SELECT 1 SETTINGS max_execution_time = 0', 'writer')).toBeUndefined();
    expect(() => policy.checkSetting('readonly', 'reader')).toThrow(/should not be changed/);
    expect(() => policy.checkSetting('max_threads', 'reader')).not.toThrow();
    expect(() => policy.checkSetting('format_template_row', 'writer')).toThrow(/not allowed/);
  });
});
