import { describe, expect, it } from 'vitest';
import { ConfigError } from '@gosight/schema';
import { loadConfig } from './config';

describe('processor configuration', () => {
  it('has defaults for everything but the service addresses', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      GOSIGHT_TOPIC_RAW: 'gosight.events.raw',
      GOSIGHT_TOPIC_DLQ: 'gosight.events.dlq',
      GOSIGHT_CONSUMER_GROUP: 'gosight-processor',
      CLICKHOUSE_DATABASE: 'gosight',
      GOSIGHT_SESSION_IDLE_MINUTES: 30,
      METRICS_PORT: 9465,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      loadConfig({
        GOSIGHT_SESSION_IDLE_MINUTES: 'soon',
        METRICS_PORT: '70000',
        GOSIGHT_TOPIC_RAWW: 'x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables.sort()).toEqual([
      'GOSIGHT_SESSION_IDLE_MINUTES',
      'GOSIGHT_TOPIC_RAWW',
      'METRICS_PORT',
    ]);
    expect((error as ConfigError).message).toMatch(
      /GOSIGHT_TOPIC_RAWW: .*did you mean GOSIGHT_TOPIC_RAW/,
    );
  });
});
