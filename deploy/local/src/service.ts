/**
 * The contract every single-machine service (kafka, redis, clickhouse) fulfils,
 * so the CLI and the programmatic API can treat them alike.
 *
 * Helpers for writing one live in sibling files and are re-exported here:
 * - `waitFor(check, { timeoutMs, intervalMs, what })`         ./wait-for.ts
 * - `isPortOpen(host, port)`                                  ./is-port-open.ts
 * - `spawnDetached({ name, command, args })` → pid            ./spawn-detached.ts
 *   (own process group, output appended to .state/<name>.log, pidfile written)
 * - `readLivePid(name, marker?)`, `killFromPidFile(name)`,
 *   `writePid`, `removePid`, `isProcessAlive`                 ./pidfile.ts
 * - `STATE_DIR`, `CACHE_DIR`, `pidFilePath(name)`, `logFilePath(name)`  ./paths.ts
 * - `tailFile(file, lines)`                                   ./tail-file.ts
 * - `withStartLock(name, timeoutMs, fn)`: one starter at a time  ./start-lock.ts
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
  /** optional: what runs, for the CLI's summary line, e.g. 'Apache Kafka 4.1.1' */
  readonly description?: string;
  /** optional: the processes of a service made of several (a multi-broker Kafka cluster) */
  members?(): Promise<ServiceMember[]>;
}

/** One process of a service made of several, as `status` and `down` list it. */
export interface ServiceMember {
  name: string;
  address: string;
  /** the pid gosight started it as, when alive */
  pid: number | undefined;
  healthy: boolean;
}

export { waitFor, WaitTimeoutError, type WaitForOptions } from './wait-for';
export { isPortOpen } from './is-port-open';
export { spawnDetached, type DetachedCommand } from './spawn-detached';
export { isProcessAlive, killFromPidFile, readLivePid, removePid, writePid } from './pidfile';
export { CACHE_DIR, LOCAL_DIR, logFilePath, pidFilePath, STATE_DIR } from './paths';
export { fileSize, tailFile } from './tail-file';
export { withStartLock } from './start-lock';
