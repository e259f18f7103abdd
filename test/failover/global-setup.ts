/**
 * The failover tests' engines: a 3-broker Kafka cluster of their own (ports 19092-19097,
 * state in a temporary folder), started once for all failover files and always stopped
 * afterwards — also when the run dies (the exit hook SIGKILLs what is left). ClickHouse is the
 * local endpoint (CLICKHOUSE_URL when set, else brought up like the integration tests do).
 * Each test file starts the Redis it needs itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureLocalStack, stopLocalStack } from '@gosight/local';
import { failoverCluster, setFailoverStateDir } from './failover-topology';

export default async function setup(): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const stateDir = mkdtempSync(path.join(tmpdir(), 'gosight-failover-'));
  setFailoverStateDir(stateDir);
  const cluster = failoverCluster(stateDir);
  const killLeft = () => {
    for (const node of cluster.nodes) {
      const pid = node.pid();
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  };
  process.once('exit', killLeft);
  let startedClickHouse: string[] = [];
  try {
    if (!process.env.CLICKHOUSE_URL) {
      const stack = await ensureLocalStack({ services: ['clickhouse'] });
      startedClickHouse = stack.started;
      process.env.CLICKHOUSE_URL = stack.clickhouseUrl;
      if (stack.clickhouseWriter) {
        process.env.CLICKHOUSE_USER ??= stack.clickhouseWriter.username;
        process.env.CLICKHOUSE_PASSWORD ??= stack.clickhouseWriter.password;
      }
    }
    await cluster.start((line) => console.log(`[failover] kafka: ${line}`));
    console.log(
      `[failover] 3-broker cluster up on ${cluster.brokers.join(',')} in ${((Date.now() - t0) / 1000).toFixed(1)} s (state ${stateDir})`,
    );
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    killLeft();
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await cluster.stop();
    killLeft();
    process.removeListener('exit', killLeft);
    rmSync(stateDir, { recursive: true, force: true });
    if (startedClickHouse.length > 0) await stopLocalStack(startedClickHouse);
  };
}
