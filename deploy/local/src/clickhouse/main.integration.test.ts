/**
 * main.ts as the service runs it: its own process, stopped with SIGTERM while a query runs.
 * The running query must still be answered, the process must exit 0, and the data must be there
 * when a new process opens the same directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tsxLoaderUrl } from '../tsx-loader';
import { readWriterCredentials } from './endpoint-users';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-main-'));
const children: ChildProcess[] = [];

/** Starts main.ts on a free port and resolves with its process and URL once it logs readiness. */
function startMain(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoaderUrl(), MAIN, '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = / on (http:\/\/[\d.]+:\d+),/.exec(output)?.[1];
      if (url !== undefined) resolve({ child, url, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`main.ts exited with ${code}: ${output}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function sql(url: string, query: string): Promise<string> {
  const { username, password } = readWriterCredentials(dataDir);
  const res = await fetch(`${url}/`, {
    method: 'POST',
    body: query,
    headers: { 'X-ClickHouse-User': username, 'X-ClickHouse-Key': password },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(text);
  return text;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('main.ts', () => {
  it('logs the engine version, finishes running queries on SIGTERM, exits 0 and keeps data', async () => {
    const first = await startMain();
    expect(first.output()).toMatch(/ClickHouse \d+\.\d+\.\d+\.\d+ \(chdb\)/);
    await sql(first.url, 'CREATE TABLE kept (n UInt32) ENGINE = MergeTree ORDER BY n');
    await sql(first.url, 'INSERT INTO kept SELECT number FROM numbers(1000)');

    const slow = sql(first.url, 'SELECT sleep(2), count() FROM kept');
    // SIGTERM once the query runs (a fixed 200 ms could signal before it had started)
    const runs = async () =>
      sql(first.url, "SELECT count() FROM system.processes WHERE query LIKE 'SELECT sleep(2)%'");
    await expect.poll(runs, { timeout: 10_000, interval: 50 }).toBe('1\n');
    const exited = exitCode(first.child);
    first.child.kill('SIGTERM');
    expect(await slow).toBe('0\t1000\n');
    expect(await exited).toBe(0);

    const second = await startMain();
    expect(await sql(second.url, 'SELECT count(), sum(n) FROM kept')).toBe('1000\t499500\n');
    const exitedAgain = exitCode(second.child);
    second.child.kill('SIGINT');
    expect(await exitedAgain).toBe(0);
  });
});
