/**
 * `gosight profiles import <file.csv|file.ndjson> --project KEY`: server-side
 * profiles from a file into `user_profiles`, a page of rows per insert, with
 * progress on stderr and one line per bad record (its line number and why).
 * Good records are stored, bad ones reported; the exit code is 1 when any was
 * bad. It writes to ClickHouse directly (the CLI's CLICKHOUSE_* user), so
 * processors see the new segments at their next refresh
 * (GOSIGHT_SEGMENT_REFRESH_SECONDS).
 */
import { describeProblem, firstProblem, profileInput, serverProfileRecord } from '@gosight/schema';
import { toProfileRow, type ProfileRow } from '../profiles/profile-row';
import type { Warehouse } from '../warehouse/warehouse';
import { readProfileLines, type ProfileFileFormat } from './profile-lines';

/** Bad records printed one by one; past it only counted. */
const MAX_REPORTED = 1000;

export interface ProfilesImportOptions {
  warehouse: Warehouse;
  file: string;
  format: ProfileFileFormat;
  project: string;
  /** The update time of records without `updated_at` (epoch ms). */
  now: number;
  /** Rows per insert. */
  batchRows?: number;
  /** Progress and the bad records (stderr in the CLI). */
  err: (line: string) => void;
  /** The summary (stdout in the CLI). */
  out: (line: string) => void;
}

export interface ProfilesImportResult {
  read: number;
  stored: number;
  bad: number;
}

/** Imports the file; resolves with the counts (exit code: 1 when `bad` > 0). */
export async function runProfilesImport(
  options: ProfilesImportOptions,
): Promise<ProfilesImportResult> {
  const { warehouse, err, project, now } = options;
  const batchRows = options.batchRows ?? 10_000;
  const result: ProfilesImportResult = { read: 0, stored: 0, bad: 0 };
  let rows: ProfileRow[] = [];
  let firstLine = 0;

  const flush = async (lastLine: number) => {
    if (rows.length === 0) return;
    const token = `profiles-import:${project}:${options.file}:${now}:${firstLine}-${lastLine}`;
    await warehouse.insert('user_profiles', rows, token);
    result.stored += rows.length;
    rows = [];
    err(
      `profiles import: ${result.read} records read, ${result.stored} stored, ${result.bad} bad (line ${lastLine})`,
    );
  };
  const report = (line: number, reason: string) => {
    result.bad += 1;
    if (result.bad <= MAX_REPORTED) err(`line ${line}: ${reason}`);
    else if (result.bad === MAX_REPORTED + 1) err(`(more bad records are counted, not shown)`);
  };

  let line = 0;
  for await (const record of readProfileLines(options.file, options.format)) {
    line = record.line;
    result.read += 1;
    if (!record.ok) {
      report(record.line, record.reason);
      continue;
    }
    const checked = profileInput.safeParse(record.value);
    if (!checked.success) {
      report(record.line, describeProblem(firstProblem(checked.error)));
      continue;
    }
    if (rows.length === 0) firstLine = record.line;
    rows.push(toProfileRow(serverProfileRecord(project, checked.data, now)));
    if (rows.length >= batchRows) await flush(record.line);
  }
  await flush(line);
  options.out(
    `profiles import: ${options.file}: ${result.read} records, ${result.stored} stored into user_profiles` +
      (result.bad > 0 ? `, ${result.bad} bad (listed above, not stored)` : ''),
  );
  return result;
}
