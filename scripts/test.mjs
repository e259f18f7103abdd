// `npm test`: the one command CI runs. Lint, typecheck, SDK build + size
// guard, unit + integration tests (vitest) against the real local stack, the failover tests
// (a 3-broker Kafka cluster and Redis of their own, engines killed under load), the browser
// tests (Playwright + Debian's Chromium), and the Superset dashboards (`bi`). Every step runs even
// after a failure, so one run shows everything that is wrong; the last line
// is `N passed, N failed` (vitest tests + Playwright tests + one per check).
//
// The local stack (Kafka, Redis, ClickHouse engine) is brought up when
// KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL are not set, and stopped again
// afterwards if this run started it (GOSIGHT_KEEP_STACK=1 leaves it running).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// Not passed on to the children: gosight services refuse GOSIGHT_* names they do not read.
const keepStack = Boolean(process.env.GOSIGHT_KEEP_STACK);
delete process.env.GOSIGHT_KEEP_STACK;

const only = process.argv.slice(2); // e.g. `npm test -- unit` runs just that step
const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const started = Date.now();

/**
 * Runs a command; its exit code. With `onLine`, stdout is also handed over line by line. With
 * `quiet`, stdout and stderr are held and printed in one piece when it ends (checks that run
 * side by side must not interleave their output).
 */
function run(command, args, env = {}, onLine, quiet = false) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: quiet
        ? ['ignore', 'pipe', 'pipe']
        : onLine
          ? ['ignore', 'pipe', 'inherit']
          : 'inherit',
      env: { ...process.env, ...env },
    });
    if (quiet) {
      const held = [];
      child.stdout.on('data', (chunk) => held.push(chunk));
      child.stderr.on('data', (chunk) => held.push(chunk));
      // 'close' (not 'exit'): the held output is complete only once the pipes closed.
      child.on('close', (code, signal) => {
        process.stdout.write(Buffer.concat(held));
        resolve(code ?? (signal ? 128 : 1));
      });
      child.on('error', () => resolve(127));
      return;
    }
    if (onLine) {
      let pending = '';
      child.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

function wanted(step) {
  return only.length === 0 || only.includes(step);
}

/** A check that counts as one test; `quiet`: its output is printed in one piece at its end. */
async function check(name, command, args, env, quiet = false) {
  if (!wanted(name)) return;
  const t0 = Date.now();
  if (quiet) console.log(`\n=== ${name}: started (${command} ${args.join(' ')})`);
  else console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const code = await run(command, args, env, undefined, quiet);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (code === 0) {
    counts.passed += 1;
    console.log(`=== ${name}: ok (${seconds} s)`);
  } else {
    counts.failed += 1;
    failures.push(name);
    console.log(`=== ${name}: FAILED with exit code ${code} (${seconds} s)`);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A test runner whose own JSON report gives the counts. */
async function suite(name, command, args, env, reportFile, countsOf, quiet = false) {
  if (!wanted(name)) return;
  const t0 = Date.now();
  if (quiet) console.log(`\n=== ${name}: started alongside (${command} ${args.join(' ')})`);
  else console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const code = await run(command, args, env, undefined, quiet);
  if (quiet) console.log(`\n=== ${name}: output above`);
  const report = readJson(reportFile);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (!report) {
    counts.failed += 1;
    failures.push(`${name} (no report, exit code ${code})`);
    console.log(`=== ${name}: FAILED, no report written (exit code ${code})`);
    return;
  }
  const c = countsOf(report);
  counts.passed += c.passed;
  counts.failed += c.failed;
  counts.skipped += c.skipped;
  // A runner that fails outside any test (a crashed file, a failing hook) still fails the run.
  const extra = code !== 0 && c.failed === 0 ? 1 : 0;
  if (extra) {
    counts.failed += 1;
    failures.push(`${name} (exit code ${code} with no failed test: a file or hook failed)`);
  } else if (c.failed > 0) failures.push(`${name} (${c.failed} failed)`);
  console.log(
    `=== ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${seconds} s)`,
  );
}

const npx = 'npx';
// The real services, brought up once for every suite below.
const stackEnv = {};
const startedServices = [];
const needStack = ['integration', 'failover', 'browser', 'bi'].some(wanted);
async function bringUpStack() {
  console.log('\n=== stack: bringing up the local Kafka, Redis and ClickHouse engine');
  // The CLI prints `<service>  started …` for what it started and `running`/`reusing`
  // for what was already there; only what this run started is stopped afterwards.
  // A failure is `<service> FAILED after …` then the reason, indented; the reason goes into
  // the summary too, since CI logs may show only the end of the run.
  let failedAt;
  const code = await run(npx, ['tsx', 'deploy/local/src/cli.ts', 'up'], {}, (line) => {
    const started = /^(kafka|redis|clickhouse)\s+started /.exec(line);
    if (started) startedServices.push(started[1]);
    const failed = /^(kafka|redis|clickhouse)\s+FAILED /.exec(line);
    if (failed) failedAt = { service: failed[1], reason: '' };
    else if (failedAt && failedAt.reason === '' && line.trim() !== '') {
      failedAt.reason = line.trim().slice(0, 300);
    }
  });
  if (code !== 0) {
    counts.failed += 1;
    failures.push(
      failedAt
        ? `stack (${failedAt.service} did not come up: ${failedAt.reason})`
        : `stack (local services did not come up, exit code ${code})`,
    );
  } else {
    Object.assign(stackEnv, {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    });
    if (!process.env.CLICKHOUSE_URL) {
      // The local endpoint's writer; its password was generated on its first start.
      const passwordFile = join(
        root,
        'deploy/local/.state/clickhouse-data/gosight-writer.password',
      );
      if (existsSync(passwordFile)) {
        stackEnv.CLICKHOUSE_USER = 'gosight';
        stackEnv.CLICKHOUSE_PASSWORD = readFileSync(passwordFile, 'utf8').trim();
      } else {
        console.log(
          `=== stack: ${passwordFile} is missing: an older endpoint is running? (npm run stack:down)`,
        );
      }
    }
  }
}
// The stack comes up (mostly waiting for the JVM and the engines) while the static checks run,
// two at a time on the 2-core CI machine, each printing its output in one piece when done.
const stackUp =
  needStack && (!process.env.KAFKA_BROKERS || !process.env.REDIS_URL || !process.env.CLICKHOUSE_URL)
    ? bringUpStack()
    : Promise.resolve();
const staticChecks = [
  ['lint', npx, ['eslint', '.', '--max-warnings', '0']],
  ['format', npx, ['prettier', '--check', '.']],
  ['typecheck', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ...(existsSync(join(root, 'sdk/tsconfig.json'))
    ? [['typecheck-sdk', npx, ['tsc', '-p', 'sdk/tsconfig.json', '--noEmit']]]
    : []),
  ...(existsSync(join(root, 'sdk/e2e/tsconfig.json'))
    ? [['typecheck-sdk-e2e', npx, ['tsc', '-p', 'sdk/e2e/tsconfig.json', '--noEmit']]]
    : []),
];
await Promise.all(
  [0, 1].map(async () => {
    for (let next = staticChecks.shift(); next; next = staticChecks.shift()) {
      const [name, command, args] = next;
      await check(name, command, args, {}, true);
    }
  }),
);
if (existsSync(join(root, 'sdk/rollup.config.mjs'))) {
  await check('sdk-build', 'npm', ['run', 'build', '-w', 'sdk']);
  if (existsSync(join(root, 'sdk/scripts/size.mjs'))) {
    await check('sdk-size', 'node', ['sdk/scripts/size.mjs']);
  }
}
await stackUp;

const vitestCounts = (r) => ({
  passed: r.numPassedTests ?? 0,
  failed: r.numFailedTests ?? 0,
  skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
});
// failover: a 3-broker Kafka cluster, Redis primary + replica and a Redis Cluster of its own
// (test/failover/global-setup.ts), killed and restarted under load; ClickHouse is the stack's.
const vitestSuite = (project, quiet = false) => {
  const file = join(outDir, `vitest-${project}.json`);
  return suite(
    project,
    npx,
    [
      'vitest',
      'run',
      '--project',
      project,
      // unit-isolated: the unit tests that need a module graph of their own (vitest.config.ts)
      ...(project === 'unit' ? ['--project', 'unit-isolated'] : []),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ],
    stackEnv,
    file,
    vitestCounts,
    quiet,
  );
};
await vitestSuite('unit');
// The failover step (about 6-8 minutes, its own 3-broker cluster and Redis, mostly waiting on
// timed failures) runs alongside the integration step (as long, mostly waiting too) and what
// follows, its output held until it ends: in sequence the whole run took over 20 minutes.
const failover = vitestSuite('failover', true);
await vitestSuite('integration');

const playwrightConfigs = ['sdk/playwright.config.ts', 'examples/site/playwright.config.ts'].filter(
  (f) => existsSync(join(root, f)),
);
for (const config of playwrightConfigs) {
  const file = join(outDir, `playwright-${config.split('/')[0]}.json`);
  await suite(
    'browser',
    npx,
    ['playwright', 'test', '-c', config, '--reporter=list,json'],
    { ...stackEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
    file,
    (r) => ({
      passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
      failed: r.stats?.unexpected ?? 0,
      skipped: r.stats?.skipped ?? 0,
    }),
  );
}

// bi: `npm run bi` (Superset + the gosight dashboards, issue 18) set up from nothing against
// the stack, every chart's numbers through the REST API, then each dashboard in Chromium.
// The first run on a machine installs Superset into a venv under ~/.cache/gosight (a few
// minutes); later runs reuse it.
const biVitest = join(outDir, 'vitest-bi.json');
// The REST test leaves its Superset to the browser test through this file: one setup, not two.
const biHandoff = join(outDir, 'bi-handoff.json');
// Every Superset data directory of the step lies under this run's own directory, so that one
// left running is found below whatever failed (bi-harness.ts reads BI_DATA_ROOT).
const { makeBiRoot, stopLeftoverSupersets } = await import('./bi-leftovers.mjs');
const biRoot = wanted('bi') ? makeBiRoot() : '';
await suite(
  'bi',
  npx,
  [
    'vitest',
    'run',
    '-c',
    'test/bi/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${biVitest}`,
  ],
  { ...stackEnv, BI_HANDOFF_FILE: biHandoff, BI_DATA_ROOT: biRoot },
  biVitest,
  vitestCounts,
);
const biPlaywright = join(outDir, 'playwright-bi.json');
await suite(
  'bi',
  npx,
  ['playwright', 'test', '-c', 'test/bi/playwright.config.ts', '--reporter=list,json'],
  {
    ...stackEnv,
    PLAYWRIGHT_JSON_OUTPUT_NAME: biPlaywright,
    BI_HANDOFF_FILE: biHandoff,
    BI_DATA_ROOT: biRoot,
  },
  biPlaywright,
  (r) => ({
    passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
    failed: r.stats?.unexpected ?? 0,
    skipped: r.stats?.skipped ?? 0,
  }),
);
// A Superset handed over but never taken (the browser run died first) is stopped here.
const leftOver = existsSync(biHandoff) ? readJson(biHandoff) : undefined;
if (leftOver?.args) await run(npx, ['tsx', 'deploy/local/src/bi/cli.ts', 'stop', ...leftOver.args]);
// Anything still running now was never torn down: a failure, whatever the tests said.
if (biRoot) {
  const left = await stopLeftoverSupersets(biRoot);
  if (left.length > 0) {
    counts.failed += 1;
    failures.push(`bi (${left.length} Superset process(es) left running after the tests)`);
    console.log(`=== bi: FAILED, Superset left running after the tests (stopped now):`);
    for (const line of left) console.log(`    ${line}`);
  }
  rmSync(biRoot, { recursive: true, force: true });
}

await failover;

if (startedServices.length > 0 && !keepStack) {
  await run(npx, ['tsx', 'deploy/local/src/cli.ts', 'down', ...startedServices]);
}

const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nnpm test finished in ${minutes} min`);
if (failures.length > 0) console.log(`failed: ${failures.join('; ')}`);
const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
console.log(`${counts.passed} passed, ${counts.failed} failed${skipped}`);
process.exitCode = counts.failed > 0 ? 1 : 0;
