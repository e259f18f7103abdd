import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The file URL of tsx's loader, for `node --import <it> file.ts` (one process, no tsx CLI
 * wrapper). Resolved with require.resolve rather than import.meta.resolve, which vitest's
 * module runner (global setup, config files) does not provide.
 */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
