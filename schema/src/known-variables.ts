/**
 * Every `GOSIGHT_*` variable any gosight service reads. One deployment often
 * shares one environment (a compose `.env`, `npm start` running ingestor and
 * processor in one process), so a service must not refuse another service's
 * variable — only a name that no service knows, which is a typo.
 * A test checks this list against every service's config schema.
 */
export const KNOWN_GOSIGHT_VARIABLES: readonly string[] = [
  // shared
  'GOSIGHT_RETENTION_DAYS',
  'GOSIGHT_LOG_LEVEL',
  'GOSIGHT_TOPIC_RAW',
  'GOSIGHT_TOPIC_DLQ',
  // ingestor
  'GOSIGHT_PROJECTS',
  'GOSIGHT_TRUSTED_PROXIES',
  'GOSIGHT_IP_MODE',
  'GOSIGHT_SDK_PATH',
  'GOSIGHT_SDK_FILE',
  'GOSIGHT_BUFFER_MAX_EVENTS',
  'GOSIGHT_BUFFER_MAX_BYTES',
  'GOSIGHT_PRODUCE_BATCH_SIZE',
  'GOSIGHT_PRODUCE_LINGER_MS',
  'GOSIGHT_PRODUCE_TIMEOUT_MS',
  'GOSIGHT_KAFKA_CLIENT',
  'GOSIGHT_RETRY_AFTER_SECONDS',
  'GOSIGHT_UA_CACHE_SIZE',
  'GOSIGHT_INGESTOR_METRICS_PORT',
  'GOSIGHT_INGESTOR_METRICS_HOST',
  'GOSIGHT_REQUEST_TIMEOUT_MS',
  'GOSIGHT_KEEP_ALIVE_TIMEOUT_MS',
  'GOSIGHT_MAX_CONNECTIONS',
  // processor
  'GOSIGHT_CONSUMER_GROUP',
  'GOSIGHT_SESSIONS_GROUP',
  'GOSIGHT_REDIS_PREFIX',
  'GOSIGHT_SESSION_IDLE_MINUTES',
  'GOSIGHT_SWEEP_INTERVAL_SECONDS',
  'GOSIGHT_BATCH_MAX_ROWS',
  'GOSIGHT_BATCH_MAX_WAIT_MS',
  'GOSIGHT_KAFKA_SESSION_TIMEOUT_MS',
  'GOSIGHT_SEGMENT_REFRESH_SECONDS',
  'GOSIGHT_SEGMENT_CACHE_USERS',
  // standalone (`npm start`)
  'GOSIGHT_DATA_DIR',
  'GOSIGHT_CLICKHOUSE_PORT',
  'GOSIGHT_KAFKA_CONNECT_TIMEOUT_MS',
  'GOSIGHT_SITE_DIR',
];
