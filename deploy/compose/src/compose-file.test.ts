/**
 * docker-compose.yml validated by Debian's docker-compose (`config -q`, no
 * Docker engine needed) and its rendered form checked for what operators rely
 * on: health checks and start order, named volumes, replicas, least-privilege
 * credentials, loopback-only admin ports. Fails when docker-compose is missing
 * (CI installs it: .ci/run).
 */
import { describe, expect, it } from 'vitest';
import { compose, renderedConfig, TEST_SECRETS, type ComposeService } from './compose-cli';

describe('docker-compose.yml', () => {
  it('docker-compose is installed (apt-get install docker-compose)', () => {
    const version = compose(['version', '--short']);
    expect(version.error?.message).toBeUndefined();
    expect(version.status).toBe(0);
  });

  it('is valid with .env.example once the secrets are set', () => {
    const run = compose(['config', '-q'], { ...TEST_SECRETS });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('refuses to start without each secret, naming it', () => {
    for (const name of Object.keys(TEST_SECRETS)) {
      const secrets: Record<string, string> = { ...TEST_SECRETS };
      delete secrets[name];
      const run = compose(['config', '-q'], secrets);
      expect(run.status, name).not.toBe(0);
      expect(run.stderr).toContain(`set ${name} in .env`);
    }
    // One docker-compose run per secret (six): more than the default 5 s on a busy machine.
  }, 60_000);

  const config = renderedConfig();
  const service = (name: string): ComposeService => {
    const s = config.services[name];
    if (!s) throw new Error(`no service ${name}`);
    return s;
  };

  it('has the topology: Kafka, ClickHouse, Redis, init, 2 ingestors behind a proxy, 2 processors, monitoring and bi profiles', () => {
    expect(Object.keys(config.services).sort()).toEqual([
      'clickhouse',
      'grafana',
      'ingestor',
      'init',
      'kafka',
      'processor',
      'prometheus',
      'proxy',
      'redis',
      'superset',
      'superset-init',
    ]);
    expect(service('kafka').image).toMatch(/^apache\/kafka:4\./);
    expect(service('clickhouse').image).toMatch(/^clickhouse\/clickhouse-server:\d+\.(3|8)$/);
    expect(service('redis').image).toMatch(/^redis:7/);
    expect(service('ingestor').scale).toBe(2);
    expect(service('processor').scale).toBe(2);
    expect(service('prometheus').profiles).toEqual(['monitoring']);
    expect(service('grafana').profiles).toEqual(['monitoring']);
    expect(service('superset').profiles).toEqual(['bi']);
    expect(service('superset-init').profiles).toEqual(['bi']);
    expect(service('redis').healthcheck).toBeDefined();
    expect(JSON.stringify(config.services.redis)).toContain('--appendonly');
  });

  it('every long-running service has a health check and starts after what it needs is healthy', () => {
    for (const [name, s] of Object.entries(config.services)) {
      if (name === 'init' || name === 'superset-init') continue;
      expect(s.healthcheck ?? (s.build ? 'from the image' : undefined), name).toBeDefined();
    }
    expect(service('init').depends_on).toEqual({
      kafka: { condition: 'service_healthy' },
      clickhouse: { condition: 'service_healthy' },
    });
    expect(service('init').restart).toBe('no');
    for (const name of ['ingestor', 'processor']) {
      expect(service(name).depends_on?.init).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(service(name).depends_on?.redis).toEqual({ condition: 'service_healthy' });
    }
    expect(service('proxy').depends_on?.ingestor).toEqual({ condition: 'service_healthy' });
    expect(service('superset-init').restart).toBe('no');
    expect(service('superset-init').depends_on).toEqual({
      init: { condition: 'service_completed_successfully' },
      clickhouse: { condition: 'service_healthy' },
    });
    expect(service('superset').depends_on).toEqual({
      'superset-init': { condition: 'service_completed_successfully' },
    });
  });

  it('builds the gosight images from the one Dockerfile, one target each', () => {
    expect(service('ingestor').build?.target).toBe('ingestor');
    expect(service('processor').build?.target).toBe('processor');
    expect(service('init').build?.target).toBe('init');
  });

  it('keeps state in named volumes', () => {
    expect(Object.keys(config.volumes ?? {}).sort()).toEqual([
      'clickhouse-data',
      'grafana-data',
      'kafka-data',
      'prometheus-data',
      'redis-data',
      'superset-data',
    ]);
  });

  it('gives each service only its own ClickHouse credentials', () => {
    const env = (name: string) => service(name).environment ?? {};
    expect(env('processor').CLICKHOUSE_USER).toBe('gosight_writer');
    expect(env('processor').CLICKHOUSE_PASSWORD).toBe(TEST_SECRETS.CLICKHOUSE_WRITER_PASSWORD);
    expect(env('init').CLICKHOUSE_USER).toBe('gosight_admin');
    expect(env('init').CLICKHOUSE_PASSWORD).toBe(TEST_SECRETS.CLICKHOUSE_ADMIN_PASSWORD);
    expect(env('ingestor').CLICKHOUSE_PASSWORD).toBeUndefined();
    expect(env('clickhouse').CLICKHOUSE_SKIP_USER_SETUP).toBeDefined();
    const grafana = JSON.stringify(env('grafana'));
    expect(grafana).toContain(TEST_SECRETS.CLICKHOUSE_ANALYST_PASSWORD);
    expect(grafana).not.toContain(TEST_SECRETS.CLICKHOUSE_ADMIN_PASSWORD);
    // Superset imports the dashboards with the read-only analyst, never a writer.
    const superset = JSON.stringify(service('superset-init'));
    expect(superset).toContain('clickhousedb://gosight_analyst@clickhouse:8123/');
    expect(superset).toContain(TEST_SECRETS.CLICKHOUSE_ANALYST_PASSWORD);
    expect(superset).not.toContain(TEST_SECRETS.CLICKHOUSE_ADMIN_PASSWORD);
    expect(superset).not.toContain(TEST_SECRETS.CLICKHOUSE_WRITER_PASSWORD);
  });

  it('publishes only the proxy beyond loopback by default', () => {
    const published = Object.entries(config.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, port: JSON.stringify(p) })),
    );
    const open = published.filter((p) => !p.port.includes('127.0.0.1')).map((p) => p.name);
    expect(open).toEqual(['proxy']);
  });
});
