/**
 * `npm run start -w processor`: configuration → clients → processor.
 * SIGTERM / SIGINT drain: finish the batch in hand, commit, leave the groups.
 * Exit codes: 0 stopped cleanly, 1 failed, 2 bad configuration.
 */
import { ConfigError } from '@gosight/schema';
import { createClients, settingsFromConfig } from './clients';
import { loadConfig } from './config';
import { messageOf } from './errors';
import { createProcessor } from './processor';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // The in-process bus and the memory session store run inside `npm start` (standalone/), not here.
  const redisUrl = config.REDIS_URL ?? '';
  if (!config.KAFKA_BROKERS || (!redisUrl && !config.REDIS_CLUSTER_NODES)) {
    console.error(
      'processor: KAFKA_BROKERS and REDIS_URL (or REDIS_CLUSTER_NODES) are required; on one machine without Kafka and Redis, run `npm start`, which includes the processor',
    );
    return 2;
  }
  if (config.REDIS_CLUSTER_NODES && config.GOSIGHT_REDIS_WAIT_REPLICAS > 0) {
    console.error(
      'processor: GOSIGHT_REDIS_WAIT_REPLICAS is for one Redis with replicas; it cannot be used with REDIS_CLUSTER_NODES',
    );
    return 2;
  }
  const clients = createClients(
    {
      ...config,
      kafkaBrokers: config.KAFKA_BROKERS,
      redisUrl,
      ...(config.REDIS_CLUSTER_NODES ? { redisClusterNodes: config.REDIS_CLUSTER_NODES } : {}),
    },
    { log },
  );
  const processor = createProcessor({ settings: settingsFromConfig(config), ...clients, log });
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`processor: ${signal}, draining`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  try {
    await processor.start();
    await stopped;
    return 0;
  } finally {
    await processor.close();
    await clients.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`processor: ${messageOf(error)}`);
    process.exit(1);
  },
);
