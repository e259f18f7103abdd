import { describe, expect, it } from 'vitest';
import { quarantineRecord } from '../contract/enriched';
import {
  QUARANTINE_RAW_MAX_CHARS,
  QUARANTINE_REASON_MAX_CHARS,
  quarantineRecordOf,
} from './quarantine-record';

const fields = {
  step: 'decode',
  reason: 'not JSON',
  project_id: 'p',
  received_at: 1_767_225_600_000,
  raw: '{',
  source: 'processor' as const,
};

describe('quarantineRecordOf', () => {
  it('keeps a record within its bounds as it is', () => {
    expect(quarantineRecordOf(fields)).toEqual(fields);
  });

  it('cuts an over-long reason and raw input, and the result passes the schema', () => {
    const record = quarantineRecordOf({
      ...fields,
      reason: 'r'.repeat(QUARANTINE_REASON_MAX_CHARS + 10),
      raw: 'x'.repeat(QUARANTINE_RAW_MAX_CHARS + 10),
    });
    expect(record.reason).toHaveLength(QUARANTINE_REASON_MAX_CHARS);
    expect(record.raw).toHaveLength(QUARANTINE_RAW_MAX_CHARS);
    expect(quarantineRecord.safeParse(record).success).toBe(true);
    expect(quarantineRecord.safeParse({ ...record, reason: `${record.reason}r` }).success).toBe(
      false,
    );
  });
});
