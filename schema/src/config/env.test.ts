import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clickhouseEnv, kafkaEnv, retentionEnv } from './config-shapes';
import { ConfigError, parseEnv } from './env';

const schema = z.object({ ...clickhouseEnv, ...kafkaEnv, ...retentionEnv });
const parse = (env: Record<string, string>) => parseEnv(schema, env, { service: 'test' });

describe('parseEnv', () => {
  it('applies defaults and freezes the result', () => {
    const config = parse({});
    expect(config.CLICKHOUSE_URL).toBe('http://127.0.0.1:8123');
    expect(config.CLICKHOUSE_DATABASE).toBe('gosight');
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config.GOSIGHT_RETENTION_DAYS).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses lists and numbers', () => {
    const config = parse({ KAFKA_BROKERS: 'a:9092,b:9093', GOSIGHT_RETENTION_DAYS: '30' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.GOSIGHT_RETENTION_DAYS).toBe(30);
  });

  it('names the invalid variable and its value', () => {
    expect(() => parse({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS: .*"localhost"/);
    expect(() => parse({ CLICKHOUSE_URL: 'ftp://x' })).toThrow(/CLICKHOUSE_URL/);
    expect(() => parse({ GOSIGHT_RETENTION_DAYS: '0' })).toThrow(/GOSIGHT_RETENTION_DAYS/);
  });

  it('refuses an unknown GOSIGHT_ variable and suggests the near name', () => {
    try {
      parse({ GOSIGHT_RETENTION_DAY: '3' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual(['GOSIGHT_RETENTION_DAY']);
      expect((error as Error).message).toContain('did you mean GOSIGHT_RETENTION_DAYS?');
    }
  });

  it("accepts another service's variable (one shared environment)", () => {
    expect(parse({ GOSIGHT_PROJECTS: '[]' }).CLICKHOUSE_DATABASE).toBe('gosight');
  });

  it('ignores unrelated variables and treats empty as unset', () => {
    expect(parse({ PATH: '/bin', CLICKHOUSE_USER: '' }).CLICKHOUSE_USER).toBe('default');
  });
});
