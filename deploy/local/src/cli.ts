/**
 * `npm run stack:up|stack:down|stack:status [-- kafka redis clickhouse]`:
 * the single-machine stack from the command line. One line per service says what
 * happened; `up` ends with the environment variables the rest of the repo reads.
 */
import { relative } from 'node:path';
import { logFilePath } from './paths';
import { readLivePid } from './pidfile';
import type { LocalService } from './service';
import { selectServices, serviceLog } from './services';
import { WRITER_USER } from './clickhouse/endpoint-users';
import { clickhouseWriterPasswordPath } from './clickhouse/service';
import { fileSize, tailFile } from './tail-file';

const ENV_VARS: Record<string, string> = {
  kafka: 'KAFKA_BROKERS',
  redis: 'REDIS_URL',
  clickhouse: 'CLICKHOUSE_URL',
};

const print = (line: string): void => console.log(line);
const column = (name: string): string => name.padEnd(11);
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function what(service: LocalService): string {
  return service.description === undefined ? '' : `${service.description}, `;
}

async function up(services: LocalService[]): Promise<number> {
  for (const service of services) {
    const t0 = Date.now();
    const log = logFilePath(service.name);
    const logMark = fileSize(log);
    try {
      const result = await service.start(serviceLog(service, (l) => print(`  ${l}`)));
      const pid = readLivePid(service.name);
      const [how, who] =
        result === 'started'
          ? ['started', '']
          : pid === undefined
            ? ['reusing', 'not started by gosight, ']
            : ['running', `started by gosight earlier, pid ${pid}, `];
      print(
        `${column(service.name)}${how} ${service.address} (${what(service)}${who}${seconds(t0)})`,
      );
    } catch (err) {
      print(`${column(service.name)}FAILED after ${seconds(t0)}`);
      print(`  ${err instanceof Error ? err.message : String(err)}`);
      // Only what this attempt wrote: an old run's shutdown lines would mislead.
      const tail = tailFile(log, 20, logMark);
      if (tail !== '') print(`--- last 20 lines of ${relative(process.cwd(), log)} ---\n${tail}`);
      return 1;
    }
  }
  const env = services.map((s) => `${ENV_VARS[s.name] ?? s.name.toUpperCase()}=${s.address}`);
  if (services.some((s) => s.name === 'clickhouse')) {
    // Writes need the endpoint's writer; its password stays in the file (not in logs).
    env.push(
      `CLICKHOUSE_USER=${WRITER_USER}`,
      `CLICKHOUSE_PASSWORD="$(cat ${relative(process.cwd(), clickhouseWriterPasswordPath())})"`,
    );
  }
  print('');
  print(env.join(' '));
  return 0;
}

async function down(services: LocalService[]): Promise<number> {
  for (const service of [...services].reverse()) {
    const t0 = Date.now();
    const pid = readLivePid(service.name);
    await service.stop(() => undefined);
    if (pid !== undefined) {
      print(`${column(service.name)}stopped (pid ${pid}, ${seconds(t0)})`);
    } else if (await service.isHealthy()) {
      print(`${column(service.name)}left alone ${service.address} (not started by gosight)`);
    } else {
      print(`${column(service.name)}not running`);
    }
  }
  return 0;
}

async function status(services: LocalService[]): Promise<number> {
  let allUp = true;
  for (const service of services) {
    const healthy = await service.isHealthy();
    const pid = readLivePid(service.name);
    const owner = pid === undefined ? 'not started by gosight' : `started by gosight, pid ${pid}`;
    if (healthy) {
      print(`${column(service.name)}up   ${service.address} (${owner})`);
    } else {
      allUp = false;
      const detail = pid === undefined ? '' : ` (pid ${pid} is running but does not answer yet)`;
      print(`${column(service.name)}down ${service.address}${detail}`);
    }
  }
  return allUp ? 0 : 1;
}

const USAGE = `usage: cli.ts <up|down|status> [kafka|redis|clickhouse ...]
  up      start the services (all by default) unless already answering; print env vars
  down    stop the services gosight started (others are left alone)
  status  one line per service; exit 1 when any is down
state, logs and data: ${relative(process.cwd(), logFilePath('x').replace(/x\.log$/, ''))}`;

/** Runs one CLI command and resolves with the process exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...names] = argv;
  const commands: Record<string, (s: LocalService[]) => Promise<number>> = { up, down, status };
  const run = command === undefined ? undefined : commands[command];
  if (run === undefined) {
    print(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  let services: LocalService[];
  try {
    services = selectServices(names);
  } catch (err) {
    print(err instanceof Error ? err.message : String(err));
    return 2;
  }
  return run(services);
}

process.exitCode = await main(process.argv.slice(2));
