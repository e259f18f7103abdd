import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@gosight/schema';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const projects = JSON.stringify([{ key: 'pk_a', origins: ['https://a.example'] }]);

describe('config', () => {
  it('applies defaults', () => {
    const config = loadConfig({ GOSIGHT_PROJECTS: projects, KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      GOSIGHT_IP_MODE: 'anonymize',
      GOSIGHT_SDK_PATH: '/sdk/gosight.js',
      GOSIGHT_TRUSTED_PROXIES: [],
      GOSIGHT_KAFKA_CLIENT: 'kafkajs',
    });
    expect(config.GOSIGHT_SDK_FILE).toMatch(/sdk\/dist\/gosight\.js$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads projects from a file path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gosight-projects-')), 'projects.json');
    writeFileSync(file, projects);
    expect(loadConfig({ GOSIGHT_PROJECTS: file }).GOSIGHT_PROJECTS[0]?.key).toBe('pk_a');
  });

  it.each([
    [{ GOSIGHT_PROJECTS: '[{"key":"pk"}]' }, 'GOSIGHT_PROJECTS'],
    [{ GOSIGHT_PROJECTS: '/no/such/file.json' }, 'GOSIGHT_PROJECTS'],
    [{ GOSIGHT_PROJECTS: projects, GOSIGHT_IP_MODE: 'partial' }, 'GOSIGHT_IP_MODE'],
    [
      { GOSIGHT_PROJECTS: projects, GOSIGHT_TRUSTED_PROXIES: '10.0.0.0/33' },
      'GOSIGHT_TRUSTED_PROXIES',
    ],
    [{ GOSIGHT_PROJECTS: projects, PORT: 'eighty' }, 'PORT'],
    [{ GOSIGHT_PROJECTS: projects, GOSIGHT_KAFKA_CLIENT: 'rdkafka' }, 'GOSIGHT_KAFKA_CLIENT'],
    [{ GOSIGHT_PROJECTS: projects, GOSIGHT_IPMODE: 'none' }, 'GOSIGHT_IPMODE'],
    [{}, 'GOSIGHT_PROJECTS'],
  ])('refuses %j naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toContain(variable);
    }
  });
});
