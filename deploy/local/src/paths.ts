import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Absolute path of the deploy/local package folder. */
export const LOCAL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runtime state (pidfiles, logs, data); git-ignored, `rm -rf` resets the stack. */
export const STATE_DIR = path.join(LOCAL_DIR, '.state');

/** Downloaded artefacts (Kafka jars); git-ignored, safe to delete. */
export const CACHE_DIR = path.join(LOCAL_DIR, '.cache');

/** Where the pid of the process we started for service `name` is kept. */
export function pidFilePath(name: string): string {
  return path.join(STATE_DIR, `${name}.pid`);
}

/** Where the stdout/stderr of the process we started for service `name` go. */
export function logFilePath(name: string): string {
  return path.join(STATE_DIR, `${name}.log`);
}
