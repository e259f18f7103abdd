/**
 * The failover tests' engines: a 3-broker Kafka cluster of their own (ports 19092-19097,
 * state in a temporary folder) and the services' bundles, started once for all failover files and always stopped
 * afterwards — also when the run dies (the exit hook SIGKILLs what is left). ClickHouse is the
 * local endpoint (CLICKHOUSE_URL when set, else brought up like the integration tests do).
 * Each test file starts the Redis it needs itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureLocalStack, stopLocalStack } from '@gosight/local';
import { bundleServices, REPO_ROOT } from '../../deploy/compose/src/bundle';
import { failoverCluster, setFailoverBundleDir, setFailoverStateDir } from './failover-topology';

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
  let bundleDir: string | undefined;
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
    // The services run as the images run them: esbuild bundles under plain node (no tsx
    // loader to compile at each of the ~20 starts). Inside the repository, so the bundles'
    // npm imports resolve from its node_modules; a folder of this run's own.
    bundleDir = path.join(REPO_ROOT, 'node_modules', '.cache', `gosight-failover-${process.pid}`);
    const [, bundled] = await Promise.all([
      cluster.start((line) => console.log(`[failover] kafka: ${line}`)),
      bundleServices(bundleDir).then(() => Date.now() - t0),
    ]);
    setFailoverBundleDir(bundleDir);
    console.log(
      `[failover] services bundled into ${bundleDir} in ${(bundled / 1000).toFixed(1)} s`,
    );
    console.log(
      `[failover] 3-broker cluster up on ${cluster.brokers.join(',')} in ${((Date.now() - t0) / 1000).toFixed(1)} s (state ${stateDir})`,
    );
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    killLeft();
    rmSync(stateDir, { recursive: true, force: true });
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await cluster.stop();
    killLeft();
    process.removeListener('exit', killLeft);
    rmSync(stateDir, { recursive: true, force: true });
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
    if (startedClickHouse.length > 0) await stopLocalStack(startedClickHouse);
  };
}
