/**
 * The Python venv with Superset and clickhouse-connect: one per version of
 * deploy/bi/requirements.txt + constraints.txt and of python3, kept under
 * ~/.cache/gosight (`--venv-dir`) so a second clone or CI run on the
 * same machine reuses it instead of downloading ~800 MB again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BI_DIR } from './bi-paths';
import { lastLines, runProcess } from './run-process';

const REQUIREMENTS = path.join(BI_DIR, 'requirements.txt');
const CONSTRAINTS = path.join(BI_DIR, 'constraints.txt');
const READY = '.gosight-ready';
const PYTHON_HINT = 'apt-get install python3 python3-venv (Python 3.10 to 3.12)';

/** A venv could not be made or filled; the message says what to install or what pip said. */
export class VenvError extends Error {
  override readonly name = 'VenvError';
}

/** The venv's folder and whether this call created it. */
export interface Venv {
  dir: string;
  bin: (program: string) => string;
  created: boolean;
  key: string;
}

async function pythonVersion(): Promise<string> {
  const r = await runProcess(
    'python3',
    ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
    {
      installHint: PYTHON_HINT,
    },
  );
  const version = r.output.trim();
  if (r.code !== 0 || !/^3\.\d+$/.test(version)) {
    throw new VenvError(
      `python3 did not run: install it with ${PYTHON_HINT}\n${lastLines(r.output)}`,
    );
  }
  const minor = Number(version.split('.')[1]);
  if (minor < 10 || minor > 12) {
    throw new VenvError(`Superset 6.1 needs Python 3.10 to 3.12; python3 is ${version}`);
  }
  return version;
}

/** Creates the venv for the pinned requirements unless a complete one exists; returns it. */
export async function ensureVenv(venvRoot: string, log: (line: string) => void): Promise<Venv> {
  const version = await pythonVersion();
  const key = createHash('sha256')
    .update(version)
    .update(readFileSync(REQUIREMENTS))
    .update(readFileSync(CONSTRAINTS))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(venvRoot, `bi-venv-py${version}-${key}`);
  const venv = (created: boolean): Venv => ({
    dir,
    bin: (program) => path.join(dir, 'bin', program),
    created,
    key,
  });
  if (existsSync(path.join(dir, READY))) return venv(false);

  // A venv without the marker is a broken earlier attempt: start it again.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(venvRoot, { recursive: true });
  log(`creating the Python venv ${dir}`);
  const made = await runProcess('python3', ['-m', 'venv', dir]);
  if (made.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const hint = /ensurepip|venv/i.test(made.output)
      ? `python3 cannot make venvs: install the Debian package python3-venv (apt-get install python3-venv)`
      : 'python3 -m venv failed';
    throw new VenvError(`${hint}\n${lastLines(made.output)}`);
  }
  log(
    'installing apache-superset and clickhouse-connect (pinned, about 800 MB; a few minutes the first time)',
  );
  const t0 = Date.now();
  const pip = await runProcess(
    path.join(dir, 'bin', 'pip'),
    [
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      '-r',
      REQUIREMENTS,
      '-c',
      CONSTRAINTS,
    ],
    { env: { ...process.env, PIP_NO_INPUT: '1' } },
  );
  if (pip.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new VenvError(`pip install failed (exit ${pip.code}):\n${lastLines(pip.output, 25)}`);
  }
  writeFileSync(path.join(dir, READY), `${new Date().toISOString()}\n`);
  log(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return venv(true);
}
