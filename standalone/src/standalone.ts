/**
 * The whole stack in one process: the ingestor's Fastify app (plus the demo
 * shop on the same port), the processor, and — without KAFKA_BROKERS /
 * REDIS_URL / CLICKHOUSE_URL — the single-machine adapters: the journaled
 * in-process bus, the in-memory session store (snapshotted) and an embedded
 * ClickHouse endpoint. `close()` drains in order: stop taking batches, flush
 * the bus, processor finishes and commits, snapshot, close ClickHouse.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import {
  buildApp,
  createIngestorDeps,
  startMetricsServer,
  type IngestorDeps,
} from '@gosight/ingestor';
import {
  createClickHouseHttpServer,
  WRITER_PASSWORD_FILE,
  ensureLocalStack,
  type ClickHouseHttpServer,
} from '@gosight/local';
import {
  createClients,
  createProcessor,
  settingsFromConfig,
  type Processor,
  type ProcessorSettings,
} from '@gosight/processor';
import { ConfigError, runMigrations } from '@gosight/schema';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { banner } from './banner';
import { checkKafkaReachable } from './check-kafka';
import type { StandaloneConfig } from './config';
import { dataDirError, ensureWritableDataDir } from './data-dir';
import { createDurableWriteMetrics, type DurableWriteMetrics } from './durable-write-metrics';
import { listenError, StartError } from './errors';
import { openInProcessBus, type InProcessBus } from './in-process-bus';
import { openSessionCheckpoint, type SessionCheckpoint } from './session-checkpoint';
import { registerStaticSite } from './static-site';

/** A running stack. */
export interface Standalone {
  /** e.g. http://127.0.0.1:8080 */
  siteUrl: string;
  clickhouseUrl: string;
  /** The start banner (not printed by `startStandalone`). */
  banner: string;
  /** Drains and stops everything this process started (never the local Kafka / Redis services). */
  close(): Promise<void>;
}

/** Starts the stack; on failure, closes what it had started and rethrows. */
export async function startStandalone(
  config: StandaloneConfig,
  logger: FastifyBaseLogger,
  log: (line: string) => void,
): Promise<Standalone> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'close failed'));
    }
  };
  try {
    return await start(config, logger, log, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function start(
  config: StandaloneConfig,
  logger: FastifyBaseLogger,
  log: (line: string) => void,
  closers: (() => Promise<void>)[],
  closeAll: () => Promise<void>,
): Promise<Standalone> {
  const { ingestor: ingestorConfig, processor: processorConfig } = config;
  await ensureWritableDataDir(config.dataDir);
  let brokers = ingestorConfig.KAFKA_BROKERS;
  let redisUrl = ingestorConfig.REDIS_URL;
  if (config.localServices) {
    log('starting the local Kafka and Redis (deploy/local); they keep running after Ctrl-C');
    const stack = await ensureLocalStack({ services: ['kafka', 'redis'], log });
    brokers = stack.kafkaBrokers.split(',');
    redisUrl = stack.redisUrl;
  }
  if ((brokers === undefined) !== (redisUrl === undefined)) {
    throw new ConfigError(
      'gosight: set both KAFKA_BROKERS and REDIS_URL (the production topology) or neither (the single-machine bus and session store)',
      [brokers === undefined ? 'KAFKA_BROKERS' : 'REDIS_URL'],
    );
  }
  await assertPortFree(
    ingestorConfig.HOST,
    ingestorConfig.PORT,
    'the demo shop and ingest',
    'PORT',
  );
  await assertPortFree(
    ingestorConfig.GOSIGHT_INGESTOR_METRICS_HOST,
    ingestorConfig.GOSIGHT_INGESTOR_METRICS_PORT,
    'ingestor metrics',
    'GOSIGHT_INGESTOR_METRICS_PORT',
  );
  if (brokers) {
    await checkKafkaReachable(brokers, config.kafkaConnectTimeoutMs, [
      processorConfig.GOSIGHT_TOPIC_RAW,
      processorConfig.GOSIGHT_TOPIC_DLQ,
    ]);
  }
  ensureSdkBuilt(ingestorConfig.GOSIGHT_SDK_FILE, config.repoRoot, log);

  // Warehouse: the given ClickHouse, or the engine embedded on GOSIGHT_CLICKHOUSE_PORT.
  let clickhouseUrl = config.clickhouseUrl;
  let warehouseConfig = processorConfig;
  let writerPasswordFile: string | undefined;
  if (clickhouseUrl === undefined) {
    const server: ClickHouseHttpServer = createClickHouseHttpServer({
      dataDir: join(config.dataDir, 'clickhouse'),
      port: config.clickhousePort,
    });
    try {
      clickhouseUrl = await server.listen();
    } catch (error) {
      throw listenError(
        'embedded ClickHouse',
        'GOSIGHT_CLICKHOUSE_PORT',
        config.clickhousePort,
        error,
      );
    }
    closers.push(() => server.close());
    // The embedded endpoint's writer: its password was generated into the data directory.
    writerPasswordFile = join(config.dataDir, 'clickhouse', WRITER_PASSWORD_FILE);
    warehouseConfig = {
      ...processorConfig,
      CLICKHOUSE_USER: server.writer.username,
      CLICKHOUSE_PASSWORD: server.writer.password,
    };
  }
  const clickhouse = clickhouseClient(clickhouseUrl, warehouseConfig);
  closers.push(() => clickhouse.close());
  const database = processorConfig.CLICKHOUSE_DATABASE;
  try {
    await runMigrations({
      client: clickhouse,
      database,
      retentionDays: processorConfig.GOSIGHT_RETENTION_DAYS,
      log,
    });
  } catch (error) {
    throw new StartError(
      'CLICKHOUSE_UNREACHABLE',
      `gosight: could not migrate ClickHouse at CLICKHOUSE_URL=${clickhouseUrl}: ${String(error)}`,
      { cause: error },
    );
  }

  const settings: ProcessorSettings = {
    ...settingsFromConfig(processorConfig),
    metricsPort: config.processorMetricsPort,
  };
  let processor: Processor;
  let ingestorDeps: IngestorDeps;
  let bus: InProcessBus | undefined;
  let checkpoint: SessionCheckpoint | undefined;
  let durableWrites: DurableWriteMetrics | undefined;
  if (brokers && redisUrl) {
    const clients = createClients(
      { ...warehouseConfig, CLICKHOUSE_URL: clickhouseUrl, kafkaBrokers: brokers, redisUrl },
      { log },
    );
    closers.push(() => clients.close());
    processor = createProcessor({ settings, ...clients, log });
    ingestorDeps = await createIngestorDeps(
      { ...ingestorConfig, KAFKA_BROKERS: brokers, REDIS_URL: redisUrl },
      logger,
    );
  } else {
    durableWrites = createDurableWriteMetrics(['offsets', 'sessions_snapshot']);
    const health = durableWrites;
    const openedBus = await openInProcessBus({
      dir: join(config.dataDir, 'bus'),
      consumedTopics: [settings.topic, settings.dlqTopic],
      maxBufferedMessages: ingestorConfig.GOSIGHT_BUFFER_MAX_EVENTS,
      log,
      health,
    }).catch((error: unknown) => {
      throw dataDirError(error, config.dataDir);
    });
    bus = openedBus;
    closers.push(() => openedBus.close());
    const openedCheckpoint = await openSessionCheckpoint({
      dataDir: config.dataDir,
      bus: openedBus,
      topic: settings.topic,
      group: settings.group,
      tombstoneTtlMs: 7 * 24 * 3600 * 1000,
      log,
      health,
    }).catch((error: unknown) => {
      throw dataDirError(error, config.dataDir);
    });
    checkpoint = openedCheckpoint;
    processor = createProcessor({
      settings,
      clickhouse,
      log,
      sessionStore: openedCheckpoint.store,
      dlq: openedBus.dlq(settings.dlqTopic),
      createEventSource: (group, topic = settings.topic) =>
        // The processor's group is made durable by the session checkpoint, with the snapshot.
        openedBus.source(topic, group, { durable: group !== settings.group }),
    });
    ingestorDeps = await createIngestorDeps(ingestorConfig, logger, {
      producer: openedBus.producer,
    });
  }
  const deps = ingestorDeps;
  await processor.start();
  checkpoint?.start();
  closers.push(async () => {
    await processor.close();
    await checkpoint?.close();
  });
  closers.push(() => deps.close());

  const built = await buildApp(deps.deps);
  const app: FastifyInstance = built.app;
  durableWrites?.register(built.metrics.registry);
  durableWrites?.register(processor.metrics.registry);
  registerStaticSite(app, config.siteDir);
  closers.push(async () => {
    built.beginShutdown();
    await app.close();
  });
  try {
    await app.listen({ host: ingestorConfig.HOST, port: ingestorConfig.PORT });
  } catch (error) {
    throw listenError('the demo shop and ingest', 'PORT', ingestorConfig.PORT, error);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ingestorConfig.PORT;
  const siteUrl = `http://${ingestorConfig.HOST}:${port}`;
  // The ingestor's metrics name project keys and volumes: their own (loopback) port.
  const metricsServer = await startMetricsServer({
    host: ingestorConfig.GOSIGHT_INGESTOR_METRICS_HOST,
    port: ingestorConfig.GOSIGHT_INGESTOR_METRICS_PORT,
    registry: built.metrics.registry,
  }).catch((error: unknown) => {
    throw listenError(
      'ingestor metrics',
      'GOSIGHT_INGESTOR_METRICS_PORT',
      ingestorConfig.GOSIGHT_INGESTOR_METRICS_PORT,
      error,
    );
  });
  closers.push(() => metricsServer.close());
  const processorMetricsUrl =
    processor.metricsPort === null
      ? undefined
      : `http://${processorConfig.METRICS_HOST}:${processor.metricsPort}/metrics`;
  const topology = bus
    ? 'single machine: in-process bus and session store, data in ' + config.dataDir
    : `Kafka ${brokers?.join(',') ?? ''} + Redis ${redisUrl ?? ''}`;
  let closing: Promise<void> | undefined;
  return {
    siteUrl,
    clickhouseUrl,
    banner: banner({
      siteUrl,
      clickhouseUrl,
      database,
      topology,
      metricsUrl: metricsServer.url,
      processorMetricsUrl,
      clickhouseWriterPasswordFile: writerPasswordFile,
      geoIpByDbIp: (ingestorConfig.GEOIP_DB ?? []).some((file) => /dbip/i.test(basename(file))),
    }),
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}

function clickhouseClient(url: string, config: StandaloneConfig['processor']): ClickHouseClient {
  return createClient({
    url,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    request_timeout: 30_000,
    log: { level: ClickHouseLogLevel.OFF },
  });
}

/** Rejects with PORT_IN_USE before anything else starts, so the message comes first and fast. */
async function assertPortFree(host: string, port: number, what: string, variable: string) {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(listenError(what, variable, port, error)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Builds the SDK bundle the demo loads when it is missing (a fresh clone). */
function ensureSdkBuilt(file: string, repoRoot: string, log: (line: string) => void) {
  if (existsSync(file)) return;
  log(`SDK bundle ${file} is missing: running npm run build -w sdk`);
  const result = spawnSync('npm', ['run', 'build', '-w', 'sdk'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0 || !existsSync(file)) {
    throw new StartError(
      'SDK_BUILD_FAILED',
      `gosight: the SDK bundle is missing and \`npm run build -w sdk\` failed: ${result.stderr.slice(-500)}`,
    );
  }
}
