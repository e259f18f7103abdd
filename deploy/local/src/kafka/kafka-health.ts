import { Kafka, logLevel } from 'kafkajs';
import { isPortOpen } from '../is-port-open';

/**
 * True when a Kafka broker answers on host:port: the port accepts a connection and a
 * kafkajs admin `describeCluster()` (a Metadata request) names at least one broker.
 */
export async function isKafkaHealthy(host: string, port: number): Promise<boolean> {
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
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
