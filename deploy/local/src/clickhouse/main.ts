/**
 * Runs the ClickHouse HTTP endpoint as its own process (what `clickhouseService` spawns):
 *   tsx deploy/local/src/clickhouse/main.ts --port 8123 --host 127.0.0.1 --data-dir <dir>
 * SIGTERM / SIGINT stop it cleanly: no new requests, running queries finish, the engine closes,
 * exit code 0.
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClickHouseHttpServer } from './http-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8123' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
  },
});
const dataDir = values['data-dir'];
const port = Number.parseInt(values.port, 10);
if (dataDir === undefined || !Number.isInteger(port)) {
  console.error('usage: main.ts --data-dir <dir> [--port 8123] [--host 127.0.0.1]');
  process.exit(2);
}

const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
mkdirSync(dataDir, { recursive: true });
const server = createClickHouseHttpServer({ dataDir, host: values.host, port });
const started = Date.now();
const url = await server.listen();
log(
  `ClickHouse ${server.version} (chdb) on ${url}, data in ${dataDir}, ready in ${Date.now() - started} ms`,
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing running queries and closing the engine`);
  server.close().then(
    () => {
      log('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      log(`error while stopping: ${String(err)}`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
