/**
 * `npm start [-- --local-services]`: the whole stack in one process (see
 * standalone.ts), the banner, and a drain on Ctrl-C / SIGTERM.
 * Exit codes: 0 stopped cleanly, 1 unexpected failure, 2 bad configuration,
 * 3 port in use, 4 Kafka or ClickHouse unreachable, 5 SDK build failed,
 * 6 data directory not writable, 7 bus journal damaged (errors.ts).
 */
import { ConfigError } from '@gosight/schema';
import { pino } from 'pino';
import { loadStandaloneConfig } from './config';
import { StartError } from './errors';
import { startStandalone } from './standalone';

const log = (line: string) => process.stderr.write(`gosight: ${line}\n`);

async function main(): Promise<number> {
  const config = loadStandaloneConfig(process.argv.slice(2));
  const logger = pino({ level: config.ingestor.GOSIGHT_LOG_LEVEL, name: 'gosight' });
  let signalled: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (signalled = resolve));
  process.once('SIGTERM', () => signalled('SIGTERM'));
  process.once('SIGINT', () => signalled('SIGINT'));
  const stack = await startStandalone(config, logger, log);
  process.stdout.write(`${stack.banner}\n`);
  const signal = await stopped;
  log(`${signal}: draining (stop taking batches, flush the bus, store, commit)`);
  const hardStop = setTimeout(() => {
    log(
      'drain took longer than 30 s; exiting (acknowledged events are replayed on the next start)',
    );
    process.exit(1);
  }, 30_000);
  hardStop.unref();
  await stack.close();
  log('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof StartError) {
      console.error(error.message);
      process.exit(error.exitCode);
    }
    console.error(error);
    process.exit(1);
  },
);
