/** The flags of `gosight profiles import`, parsed and checked; bad values are usage errors (exit 2). */
import { parseArgs } from 'node:util';
import { LIMITS } from '@gosight/schema';
import { usageError } from '../errors';
import { formatOfFile, type ProfileFileFormat } from './profile-lines';

export interface ProfilesImportCommand {
  name: 'profiles-import';
  file: string;
  format: ProfileFileFormat;
  project: string;
}

export const PROFILES_USAGE = `usage: gosight profiles import FILE --project KEY [--format csv|ndjson]

Stores server-side user profiles (segment and traits) of project KEY from FILE
into user_profiles. Processors give the users' events the new segment from
their next refresh (GOSIGHT_SEGMENT_REFRESH_SECONDS, default 10 s), for events
at or after each profile's updated_at. Progress and one line per bad record
(line number and reason) go to stderr; good records are stored, bad ones are
not; exit 1 when any record was bad.

  FILE          .csv (header: user_id, segment, updated_at, any other column is a trait)
                or .ndjson / .jsonl (one {"user_id", "segment", "traits", "updated_at"} a line)
  --project KEY the project's public key
  --format F    csv or ndjson, when the file name does not say it
  updated_at    epoch ms or ISO-8601 (2026-12-02T19:00:00Z); default: the import's start`;

/** Parses `profiles …`; undefined asks for the help text. */
export function parseProfilesArgs(args: readonly string[]): ProfilesImportCommand | undefined {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') return undefined;
  if (sub !== 'import') {
    throw usageError(`unknown profiles command ${JSON.stringify(sub)} (expected import)`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        project: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw usageError(`one FILE is expected, got ${positionals.length}\n\n${PROFILES_USAGE}`);
  }
  const file = positionals[0] as string;
  const project = values.project;
  if (project === undefined || project === '' || project.length > LIMITS.maxProjectKey) {
    throw usageError(`--project KEY is required (the project's public key)\n\n${PROFILES_USAGE}`);
  }
  const format = values.format ?? formatOfFile(file);
  if (format !== 'csv' && format !== 'ndjson') {
    throw usageError(
      values.format === undefined
        ? `cannot tell the format of ${file}: name it .csv, .ndjson or .jsonl, or pass --format csv|ndjson`
        : `--format expects csv or ndjson, got ${JSON.stringify(values.format)}`,
    );
  }
  return { name: 'profiles-import', file, format, project };
}
