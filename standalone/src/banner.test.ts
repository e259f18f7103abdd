import { describe, expect, it } from 'vitest';
import { banner, DB_IP_ATTRIBUTION } from './banner';

const input = {
  siteUrl: 'http://127.0.0.1:8080',
  clickhouseUrl: 'http://127.0.0.1:8123',
  database: 'gosight',
  topology: 'single machine',
  metricsUrl: 'http://127.0.0.1:9464/metrics',
  geoIpByDbIp: true,
};

describe('start banner', () => {
  it('says where the ingestor metrics are (and the processor metrics when asked for)', () => {
    expect(banner(input)).toMatch(/metrics +http:\/\/127\.0\.0\.1:9464\/metrics +\(ingestor\)/);
    expect(banner(input)).not.toContain('(processor)');
    const both = banner({ ...input, processorMetricsUrl: 'http://127.0.0.1:9465/metrics' });
    expect(both).toMatch(/http:\/\/127\.0\.0\.1:9465\/metrics +\(processor\)/);
  });

  it('names the embedded ClickHouse users and where the writer password is', () => {
    const file = 'data/clickhouse/gosight-writer.password';
    expect(banner({ ...input, clickhouseWriterPasswordFile: file })).toContain(
      `user default reads (no password); user gosight writes, password in ${file}`,
    );
    expect(banner(input)).not.toContain('user gosight');
  });

  it('credits DB-IP (CC BY 4.0) when its GeoIP data is in use, and not otherwise', () => {
    expect(DB_IP_ATTRIBUTION).toBe('IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0');
    expect(banner(input)).toContain(DB_IP_ATTRIBUTION);
    expect(banner({ ...input, geoIpByDbIp: false })).not.toContain('DB-IP');
  });
});
