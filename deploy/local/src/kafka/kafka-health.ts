import { Kafka, logLevel, type Admin } from 'kafkajs';
import { isPortOpen } from '../is-port-open';

/** Runs `probe` with a short-lived, silent, non-retrying kafkajs admin; false on any error. */
async function withAdmin(
  host: string,
  port: number,
  probe: (admin: Admin) => Promise<boolean>,
): Promise<boolean> {
  if (!(await isPortOpen(host, port))) return false;
  const admin = new Kafka({
    clientId: 'gosight-local-health',
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return await probe(admin);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * True when a Kafka broker answers on host:port: the port accepts a connection and a
 * kafkajs admin `describeCluster()` (a Metadata request) names at least one broker.
 */
export function isKafkaHealthy(host: string, port: number): Promise<boolean> {
  return withAdmin(host, port, async (admin) => (await admin.describeCluster()).brokers.length > 0);
}

/**
 * True when the broker's group coordinator serves requests. Right after a (re)start the
 * broker answers Metadata while __consumer_offsets is still being created or loaded, and
 * consumers joining then crash once with COORDINATOR_NOT_AVAILABLE / COORDINATOR_LOAD_IN_PROGRESS.
 * DescribeGroups makes the broker create __consumer_offsets if needed; ListGroups fails while
 * any of its partitions is still loading.
 */
export function isKafkaGroupCoordinatorReady(host: string, port: number): Promise<boolean> {
  return withAdmin(host, port, async (admin) => {
    // Loads the broker pool first: kafkajs' describeGroups fails with "No brokers in the
    // broker pool" on an admin that has not fetched metadata yet (and retries are off here).
    await admin.describeCluster();
    await admin.describeGroups(['gosight-local-readiness-probe']);
    await admin.listGroups();
    return true;
  });
}
