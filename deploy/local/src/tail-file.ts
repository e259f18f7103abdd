import { readFileSync, statSync } from 'node:fs';

/** The size of a file in bytes, or 0 when it does not exist (a mark to tail from later). */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The last `lines` lines of a text file written after byte `fromByte` (default: the whole
 * file), or '' when there are none or it cannot be read. Reads at most the last 64 KiB.
 */
export function tailFile(file: string, lines = 20, fromByte = 0): string {
  let text: string;
  try {
    const buf = readFileSync(file);
    text = buf.subarray(Math.max(fromByte, buf.length - 65_536)).toString('utf8');
  } catch {
    return '';
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
