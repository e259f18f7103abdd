/** The few lines `npm start` prints once everything answers. */

export interface BannerInput {
  siteUrl: string;
  clickhouseUrl: string;
  database: string;
  topology: string;
  /** The ingestor's metrics (their own loopback port by default). */
  metricsUrl: string;
  /** The processor's metrics, when METRICS_PORT asked for them. */
  processorMetricsUrl?: string | undefined;
  /** The embedded endpoint's writer password file, when ClickHouse is the embedded one. */
  clickhouseWriterPasswordFile?: string | undefined;
  /** The GeoIP data is DB-IP's, whose CC BY 4.0 licence asks for this attribution. */
  geoIpByDbIp: boolean;
}

/** The attribution DB-IP's licence (CC BY 4.0) asks for wherever its data is used. */
export const DB_IP_ATTRIBUTION = 'IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0';

/** The start banner: where to click, where events go, and SQL to see them. */
export function banner(input: BannerInput): string {
  const db = input.database;
  const queries = [
    `SELECT type, count() AS events FROM ${db}.events FINAL GROUP BY type ORDER BY events DESC`,
    `SELECT entry_path, exit_path, page_count, click_count, has_error, has_rage_click, has_dead_click, max_scroll_depth FROM ${db}.sessions FINAL ORDER BY started_at DESC LIMIT 5`,
    `SELECT minute, path, uniqExactMerge(page_views) AS views, uniqExactMerge(clicks) AS clicks FROM ${db}.page_stats_1m GROUP BY minute, path ORDER BY minute, path`,
  ];
  const curl = `curl '${input.clickhouseUrl}/' --data-binary "${queries[0] ?? ''} FORMAT PrettyCompact"`;
  return [
    '',
    `  gosight is running (${input.topology})`,
    '',
    `  demo shop    ${input.siteUrl}/`,
    `  ingest       ${input.siteUrl}/v1/batch   (SDK: ${input.siteUrl}/sdk/gosight.js)`,
    `  ClickHouse   ${input.clickhouseUrl}/   (database ${db})`,
    ...(input.clickhouseWriterPasswordFile
      ? [
          `               user default reads (no password); user gosight writes, password in ${input.clickhouseWriterPasswordFile}`,
        ]
      : []),
    `  metrics      ${input.metricsUrl}   (ingestor)`,
    ...(input.processorMetricsUrl
      ? [`               ${input.processorMetricsUrl}   (processor)`]
      : []),
    '',
    '  Click around the shop, then ask ClickHouse what you did:',
    ...queries.map((q) => `    ${q};`),
    '',
    `  ${curl}`,
    '',
    '  Ctrl-C stops (everything already acknowledged is kept in ./data and stored on the next start).',
    ...(input.geoIpByDbIp ? ['', `  ${DB_IP_ATTRIBUTION}`] : []),
    '',
  ].join('\n');
}
