/**
 * `npm run stack:up|stack:down|stack:status [-- kafka redis clickhouse]`:
 * the single-machine stack from the command line. One line per service says what
 * happened; `up` ends with the environment variables the rest of the repo reads.
 * `--brokers 3 [--kafka-port 9092]` runs a 3-broker Kafka cluster instead of the single
 * broker, `--redis-replica` adds a Redis replica; `status` and `down` find both by themselves.
 */
import { relative } from 'node:path';
import { logFilePath } from './paths';
import { readLivePid } from './pidfile';
import type { LocalService } from './service';
import { readKafkaTopology } from './kafka/kafka-cluster-service';
import { selectServices, serviceLog, type StackTopology } from './services';
import { WRITER_USER } from './clickhouse/endpoint-users';
import { clickhouseWriterPasswordPath } from './clickhouse/service';
import { fileSize, tailFile } from './tail-file';

const ENV_VARS: Record<string, string> = {
  kafka: 'KAFKA_BROKERS',
  redis: 'REDIS_URL',
  'redis-replica': 'REDIS_REPLICA_URL',
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
      // A service of several processes says per member below who started what.
      const pid = service.members ? 0 : readLivePid(service.name);
      const [how, who] =
        result === 'started'
          ? ['started', '']
          : service.members
            ? ['running', '']
            : pid === undefined
              ? ['reusing', 'not started by gosight, ']
              : ['running', `started by gosight earlier, pid ${pid}, `];
      print(
        `${column(service.name)}${how} ${service.address} (${what(service)}${who}${seconds(t0)})`,
      );
      for (const m of (await service.members?.()) ?? []) {
        print(`  ${column(m.name)}${m.address}${m.pid === undefined ? '' : `, pid ${m.pid}`}`);
      }
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
    if (service.members) {
      const before = await service.members();
      await service.stop(() => undefined);
      for (const m of before) {
        print(
          m.pid !== undefined
            ? `${column(m.name)}stopped (pid ${m.pid}, ${seconds(t0)})`
            : `${column(m.name)}${m.healthy ? `left alone ${m.address} (not started by gosight)` : 'not running'}`,
        );
      }
      continue;
    }
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
    if (service.members) {
      for (const m of await service.members()) {
        const owner =
          m.pid === undefined ? 'not started by gosight' : `started by gosight, pid ${m.pid}`;
        if (m.healthy) print(`${column(m.name)}up   ${m.address} (${owner})`);
        else {
          allUp = false;
          const detail =
            m.pid === undefined ? '' : ` (pid ${m.pid} is running but does not answer yet)`;
          print(`${column(m.name)}down ${m.address}${detail}`);
        }
      }
      continue;
    }
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

const USAGE = `usage: cli.ts <up|down|status> [options] [kafka|redis|redis-replica|clickhouse ...]
  up      start the services (all by default) unless already answering; print env vars
  down    stop the services gosight started (others are left alone)
  status  one line per service; exit 1 when any is down
options (up; status and down remember what up started):
  --brokers N       N Kafka brokers (KRaft, each broker + controller), topics with
                    replication factor min(3, N) and min.insync.replicas RF-1; default 1
  --kafka-port P    broker port of node 1 (node i: P + 2(i-1), its controller one above);
                    default 9092
  --redis-replica   also a Redis replica of the primary on 127.0.0.1:6380
state, logs and data: ${relative(process.cwd(), logFilePath('x').replace(/x\.log$/, ''))}`;

/** Splits the options from the service names; `status` and `down` default to what `up` left. */
function parseOptions(
  command: string | undefined,
  args: readonly string[],
): { topology: StackTopology; names: string[] } {
  const names: string[] = [];
  let brokers: number | undefined;
  let basePort: number | undefined;
  let redisReplica = false;
  const intArg = (flag: string, value: string | undefined, min: number, max: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
      throw new Error(
        `${flag} needs a whole number from ${min} to ${max} (got ${value ?? 'nothing'})`,
      );
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--brokers') brokers = intArg(arg, args[++i], 1, 9);
    else if (arg === '--kafka-port') basePort = intArg(arg, args[++i], 1024, 65_000);
    else if (arg === '--redis-replica') redisReplica = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else names.push(arg);
  }
  const remembered = command === 'up' ? undefined : readKafkaTopology();
  const kafka =
    brokers !== undefined
      ? { brokers, basePort: basePort ?? remembered?.basePort ?? 9092 }
      : remembered;
  if (command !== 'up' && readLivePid('redis-replica') !== undefined) redisReplica = true;
  return { topology: { ...(kafka ? { kafka } : {}), redisReplica }, names };
}

/** Runs one CLI command and resolves with the process exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  let topology: StackTopology;
  let names: string[];
  try {
    ({ topology, names } = parseOptions(command, rest));
  } catch (err) {
    print(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const commands: Record<string, (s: LocalService[]) => Promise<number>> = { up, down, status };
  const run = command === undefined ? undefined : commands[command];
  if (run === undefined) {
    print(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  let services: LocalService[];
  try {
    services = selectServices(names, topology);
  } catch (err) {
    print(err instanceof Error ? err.message : String(err));
    return 2;
  }
  return run(services);
}

process.exitCode = await main(process.argv.slice(2));
