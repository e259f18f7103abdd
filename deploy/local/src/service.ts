/**
 * The contract every single-machine service (kafka, redis, clickhouse) fulfils,
 * so the CLI and the programmatic API can treat them alike.
 */
export interface LocalService {
  /** short name used in output and CLI: 'kafka' | 'redis' | 'clickhouse' */
  readonly name: string;
  /** the URL/host:port clients use, e.g. '127.0.0.1:9092', 'redis://127.0.0.1:6379', 'http://127.0.0.1:8123' */
  readonly address: string;
  /** true when something answers healthily on the port (started by us or not) */
  isHealthy(): Promise<boolean>;
  /** start detached (survives the calling process) unless already healthy; waits for health; resolves with 'started' | 'reused' */
  start(log: (line: string) => void): Promise<'started' | 'reused'>;
  /** stop the process we started (pidfile under deploy/local/.state/); no-op if not ours or not running */
  stop(log: (line: string) => void): Promise<void>;
  /** optional human description of what runs, e.g. 'Apache Kafka 4.1.1' (shown by the CLI) */
  readonly description?: string;
}
