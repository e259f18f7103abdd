import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JAVA_INSTALL_HINT } from '../config';
import { runCommand } from '../run-command';
import { KAFKA_FILES } from './kafka-files';

/** Written into the libs folder once Maven has copied every jar; holds a hash of the pom. */
const STAMP_FILE = '.complete';

/** The Apache Kafka version the pom asks for, e.g. '4.1.1'. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
    readFileSync(KAFKA_FILES.pom, 'utf8'),
  );
  if (match?.[1] === undefined) throw new Error(`no <kafka.version> in ${KAFKA_FILES.pom}`);
  return match[1].trim();
}

function pomHash(): string {
  return createHash('sha256').update(readFileSync(KAFKA_FILES.pom)).digest('hex');
}

/**
 * Makes sure .cache/kafka-libs/ holds the jars the pom lists and returns its path.
 * Runs `mvn dependency:copy-dependencies` only when the folder is missing or was filled
 * from a different pom; the copy goes to a temporary folder first, so an interrupted run
 * never looks complete.
 */
export function ensureKafkaLibs(log: (line: string) => void): Promise<string> {
  // One resolution per process at a time: a cluster's brokers start side by side and would
  // otherwise share the same `.tmp-<pid>` folder (seen: ENOENT on an empty cache).
  resolving ??= resolveKafkaLibs(log).finally(() => (resolving = undefined));
  return resolving;
}

let resolving: Promise<string> | undefined;

async function resolveKafkaLibs(log: (line: string) => void): Promise<string> {
  const dir = KAFKA_FILES.libsDir;
  const hash = pomHash();
  const stamp = path.join(dir, STAMP_FILE);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return dir;

  log(`resolving Apache Kafka ${kafkaVersion()} jars with Maven (first start only)...`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  const result = await runCommand(
    'mvn',
    ['-B', '-q', '-f', KAFKA_FILES.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`],
    { installHint: JAVA_INSTALL_HINT, timeoutMs: 15 * 60_000 },
  );
  if (result.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`mvn could not fetch the Kafka jars (exit ${result.code}):\n${output}`);
  }
  writeFileSync(path.join(tmp, STAMP_FILE), `${hash}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** The `-cp` argument for a java command that runs from the cached jars. */
export function kafkaClassPath(libsDir: string): string {
  // The java launcher itself expands a trailing '*' to every jar in the folder.
  return path.join(libsDir, '*');
}
