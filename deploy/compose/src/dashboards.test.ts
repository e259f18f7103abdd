/** The pipeline dashboard queries series the services really export, from targets Prometheus really scrapes. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, readDashboards } from './dashboards';

const source = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

/** Metric names a metrics.ts registers, with the series a histogram adds. */
function exportedSeries(file: string): string[] {
  const text = source(file);
  return [...text.matchAll(/name: '(gosight_[a-z_]+)'[\s\S]*?(?=name: '|$)/g)].flatMap((m) => {
    const name = m[1] ?? '';
    const histogram = /^name: '[a-z_]+',\s*help: [^\n]*\n[\s\S]*?buckets:/.test(m[0]);
    return histogram ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  });
}

describe('Grafana dashboards and Prometheus', () => {
  const series = new Set([
    ...exportedSeries('ingestor/src/metrics.ts'),
    ...exportedSeries('processor/src/metrics.ts'),
  ]);

  it('provisions the two dashboards', () => {
    expect(
      readDashboards()
        .map((d) => d.title)
        .sort(),
    ).toEqual(['gosight: pipeline health', 'gosight: web analytics']);
  });

  it('every gosight series a panel queries is exported by the ingestor or the processor', () => {
    const used = dashboardQueries('prometheus').flatMap(({ query }) =>
      [...query.matchAll(/\b(gosight_[a-z_]+)/g)].map((m) => m[1] ?? ''),
    );
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(used)].filter((name) => !series.has(name))).toEqual([]);
  });

  it('scrapes the ports the services serve /metrics on', () => {
    const prometheus = source('deploy/compose/prometheus/prometheus.yml');
    const compose = source('deploy/compose/docker-compose.yml');
    expect(compose).toMatch(/\n\s+GOSIGHT_INGESTOR_METRICS_PORT: 9464\n/);
    expect(compose).toMatch(/\n\s+METRICS_PORT: 9465\n/);
    expect(prometheus).toMatch(/names: \[ingestor\][\s\S]*?port: 9464/);
    expect(prometheus).toMatch(/names: \[processor\][\s\S]*?port: 9465/);
    expect(prometheus).toContain("'clickhouse:9363'");
    expect(source('deploy/compose/clickhouse/config.d/gosight-server.xml')).toContain(
      '<port>9363</port>',
    );
  });
});
