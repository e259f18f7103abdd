/**
 * `npm run bi [-- up|stop|status] [--port N] [--data-dir DIR] …`: Superset with gosight's dashboards on
 * 127.0.0.1 (deploy/bi/README.md). Exit 0 done, 1 a step failed, 2 bad
 * configuration or usage.
 */
import { readFileSync } from 'node:fs';
import { BI_OPTIONS, BiConfigError, parseBiArgs } from './bi-config';
import { ADMIN_USER, dataFiles, setupBi } from './bi-setup';
import { isHealthy, runningPid, serverUrl, stopServer } from './superset-server';

const print = (line: string): void => console.log(line);

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseBiArgs(argv);
  } catch (err) {
    if (err instanceof BiConfigError) {
      console.error(`bi: ${err.message}`);
      console.error(`usage: npm run bi -- [up|stop|status] [${BI_OPTIONS.join('] [')}]`);
      return 2;
    }
    throw err;
  }
  const { command, config } = parsed;
  if (command === 'stop') {
    const pid = await stopServer(config);
    print(pid === undefined ? 'bi: Superset was not running' : `bi: Superset stopped (pid ${pid})`);
    return 0;
  }
  if (command === 'status') {
    const pid = runningPid(config);
    const healthy = await isHealthy(config);
    print(
      pid === undefined
        ? `bi: not running${healthy ? ` (something else answers on ${serverUrl(config)})` : ''}`
        : `bi: running, pid ${pid}, ${serverUrl(config)} ${healthy ? 'healthy' : 'NOT answering'}`,
    );
    return pid !== undefined && healthy ? 0 : 1;
  }
  try {
    const url = await setupBi(config, print);
    let remembered = '';
    try {
      readFileSync(dataFiles(config).adminPassword, 'utf8');
      remembered = ` (password in ${dataFiles(config).adminPassword})`;
    } catch {
      remembered = '';
    }
    print('');
    print(`Superset: ${url}  user ${ADMIN_USER}${remembered}`);
    print('dashboards: gosight · Traffic, Engagement, Web Vitals, Pipeline health');
    const where = argv.filter(
      (a, i) => a === '--data-dir' || argv[i - 1] === '--data-dir' || a.startsWith('--data-dir='),
    );
    print(`stop it with: npm run bi -- stop${where.length > 0 ? ` ${where.join(' ')}` : ''}`);
    return 0;
  } catch (err) {
    // VenvError, MissingToolError, BiSetupError, ServerStartError: each message says what to do.
    console.error(`bi: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
