import { readFileSync } from 'node:fs';

/** The last `lines` lines of a text file, or '' when it cannot be read. Reads at most the last 64 KiB. */
export function tailFile(file: string, lines = 20): string {
  let text: string;
  try {
    const buf = readFileSync(file);
    text = buf.subarray(Math.max(0, buf.length - 65_536)).toString('utf8');
  } catch {
    return '';
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
