// The bi step's guard against a Superset left running (scripts/test.mjs). Every Superset data
// directory of the step lies under one run directory (BI_DATA_ROOT, read by test/bi/bi-harness.ts);
// whatever process still runs with its SUPERSET_HOME there once both suites ended was never
// torn down: it is named, stopped, and the step fails.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A new directory for this run's Superset data directories. */
export function makeBiRoot() {
  return mkdtempSync(join(tmpdir(), 'gosight-bi-run-'));
}

/** A process of ours still running with SUPERSET_HOME under `root`. */
function supersetProcesses(root) {
  const prefix = `${root.replace(/\/+$/, '')}/`;
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // no /proc (not Linux)
  }
  const found = [];
  for (const name of pids) {
    try {
      const home = readFileSync(`/proc/${name}/environ`, 'utf8')
        .split('\0')
        .find((v) => v.startsWith('SUPERSET_HOME='))
        ?.slice('SUPERSET_HOME='.length);
      if (!home?.startsWith(prefix)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // exited already
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(name), pgid: Number(fields[2]), home, args });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function signal(p, sig) {
  try {
    // gunicorn's master leads its own group (started detached): master and worker together
    process.kill(p.pgid === p.pid ? -p.pid : p.pid, sig);
  } catch {
    // gone already
  }
}

/**
 * Stops every process whose SUPERSET_HOME is under `root` (SIGTERM, SIGKILL after 20 s) and
 * returns what it found running, one line each; empty when nothing was left.
 */
export async function stopLeftoverSupersets(root) {
  const left = supersetProcesses(root);
  for (const p of left) signal(p, 'SIGTERM');
  for (let i = 0; i < 200 && supersetProcesses(root).length > 0; i++) await sleep(100);
  for (const p of supersetProcesses(root)) signal(p, 'SIGKILL');
  return left.map((p) => `pid ${p.pid} (SUPERSET_HOME=${p.home}): ${p.args.slice(0, 160)}`);
}
