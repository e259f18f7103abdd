/**
 * One record of a topic journal as one line of a segment file:
 *
 *     <crc32, 8 hex digits> <offset> <JSON {key, value, headers, timestamp}>\n
 *
 * The checksum covers the offset and the JSON, so a flipped byte that still
 * parses, a line lost or a line moved shows as damage instead of as another
 * record. Lines written before checksums (a bare JSON object) are still read;
 * their offset is their position in the segment.
 */
import { crc32 } from 'node:zlib';

/** One record as stored. */
export interface JournalRecord {
  offset: number;
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
  /** Append time, epoch ms. */
  timestamp: number;
}

/** A line read back: the record, or why it is not one. */
export type DecodedLine = { ok: true; record: JournalRecord } | { ok: false; reason: string };

const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CHECKSUM = /^[0-9a-f]{8}$/;

/** The line (newline included) that stores `record`. */
export function encodeJournalLine(record: JournalRecord): string {
  const { key, value, headers, timestamp } = record;
  const body = `${record.offset} ${JSON.stringify({ key, value, headers, timestamp })}`;
  return `${crc32(body).toString(16).padStart(8, '0')} ${body}\n`;
}

/** Reads one line (without its newline) that should hold the record at `offset`. */
export function decodeJournalLine(line: Buffer, offset: number): DecodedLine {
  if (line[0] === OPEN_BRACE) return fields(line.toString('utf8'), offset); // before checksums
  const checksum = line.toString('latin1', 0, 8);
  if (line[8] !== SPACE || !CHECKSUM.test(checksum)) {
    return { ok: false, reason: 'not a journal record' };
  }
  if (crc32(line.subarray(9)) !== Number.parseInt(checksum, 16)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  const space = line.indexOf(SPACE, 9);
  if (space < 0) return bad;
  const written = line.toString('latin1', 9, space);
  if (written !== String(offset)) {
    return { ok: false, reason: `holds offset ${written} where ${offset} belongs` };
  }
  return fields(line.toString('utf8', space + 1), offset);
}

function fields(json: string, offset: number): DecodedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return bad;
  const { key, value, headers, timestamp } = parsed as Record<string, unknown>;
  if (
    (key !== null && typeof key !== 'string') ||
    typeof value !== 'string' ||
    typeof headers !== 'object' ||
    headers === null ||
    !Object.values(headers).every((h) => typeof h === 'string') ||
    typeof timestamp !== 'number'
  ) {
    return bad;
  }
  return {
    ok: true,
    record: { offset, key, value, headers: headers as Record<string, string>, timestamp },
  };
}

const bad: DecodedLine = { ok: false, reason: 'not a journal record' };
