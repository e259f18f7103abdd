/**
 * `npm run start -w ingestor`: config → deps → buildApp → listen, and the
 * metrics port. SIGTERM or SIGINT: stop accepting, finish requests in flight,
 * flush the producer, exit.
 */
import { ConfigError } from '@gosight/schema';
import { pino } from 'pino';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createIngestorDeps } from './create-deps';
import { startMetricsServer } from './http/metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.GOSIGHT_LOG_LEVEL, name: 'ingestor' });
  const resources = await createIngestorDeps(config, logger);
  const built = await buildApp(resources.deps);
  const app = built.app;
  await app.listen({ port: config.PORT, host: config.HOST });
  const metricsServer = await startMetricsServer({
    host: config.GOSIGHT_INGESTOR_METRICS_HOST,
    port: config.GOSIGHT_INGESTOR_METRICS_PORT,
    registry: built.metrics.registry,
  });
  logger.info(`metrics on ${metricsServer.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: draining`);
    built.beginShutdown();
    app
      .close()
      .then(() => resources.close())
      .then(() => metricsServer.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
