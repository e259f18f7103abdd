import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../consume/event-source';
import { createIngestPipeline } from './ingest-pipeline';
import { enrichedEvent, newSession } from '../testing/enriched-builder';

const session = newSession('pk_pipe');
const T0 = Date.UTC(2026, 10, 22, 12);
const at = (ts: number) =>
  enrichedEvent(
    session,
    'custom',
    { name: 'x' },
    { ts: T0 + ts, url: 'https://shop.example.com/' },
  );
const message = (value: string | null): ConsumedMessage => ({
  key: null,
  value: value === null ? null : Buffer.from(value),
  offset: '0',
  timestamp: 0,
});

function run(value: string | null) {
  const out: { kind: string; step?: string; reason?: string; input: unknown; single: boolean }[] =
    [];
  createIngestPipeline()(message(value), (result, input, single) => {
    out.push({
      kind: result.kind,
      ...(result.kind === 'ok' ? {} : { step: result.step, reason: result.reason }),
      input,
      single,
    });
  });
  return out;
}

describe('ingest pipeline', () => {
  it('gives one result per event of an array message, in order, bad ones set aside alone', () => {
    const [a, b] = [at(1), at(2)];
    const out = run(JSON.stringify([a, { nope: 1 }, b]));
    expect(out.map((r) => r.kind)).toEqual(['ok', 'quarantine', 'ok']);
    expect(out[1]).toMatchObject({ step: 'validate-event', input: { nope: 1 }, single: false });
  });

  it('reads a bare event object (format 1) as a single event', () => {
    const out = run(JSON.stringify(at(3)));
    expect(out).toEqual([expect.objectContaining({ kind: 'ok', single: true })]);
  });

  it('quarantines an undecodable or empty message as a whole and drops a tombstone', () => {
    expect(run('{nope')).toEqual([
      expect.objectContaining({ kind: 'quarantine', step: 'decode', input: undefined }),
    ]);
    expect(run('[]')).toEqual([
      expect.objectContaining({ kind: 'quarantine', step: 'decode', single: true }),
    ]);
    expect(run(null)).toEqual([expect.objectContaining({ kind: 'drop', step: 'decode' })]);
  });
});
