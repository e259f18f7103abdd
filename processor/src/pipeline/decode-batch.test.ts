import { profilesMessageValues, type ProfileRecord } from '@gosight/schema';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../consume/event-source';
import { EVENT_COLUMNS } from '../events/event-row-line';
import { createMetrics } from '../metrics';
import { createSegmentCache } from '../profiles/segment-cache';
import { enrichedEvent, newSession } from '../testing/enriched-builder';
import { rawMessagesOf } from '../testing/raw-messages';
import { createBatchDecoder } from './decode-batch';

const T = Date.UTC(2026, 11, 2, 12);
const url = 'https://shop.example.com/';
const delivery = (values: string[]): Delivery => ({
  topic: 't',
  partition: 0,
  messages: values.map((value, i) => ({
    key: null,
    value: Buffer.from(value),
    offset: String(i),
    timestamp: T,
  })),
  heartbeat: () => Promise.resolve(),
  isActive: () => true,
});
const profile = (overrides: Partial<ProfileRecord>): ProfileRecord => ({
  project_id: 'pk',
  user_id: 'u1',
  source: 'server',
  segment: 'premium',
  traits: { plan: 'pro' },
  updated_at: T,
  ...overrides,
});
const segmentsOf = (body: Buffer) =>
  body
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as unknown[])[EVENT_COLUMNS.indexOf('segment')]);

describe('batch decoder: profiles and segments', () => {
  it('gives each event its user segment at its time, applying profiles of the stream at once', () => {
    const segments = createSegmentCache(100);
    const decode = createBatchDecoder(createMetrics(), segments);
    const user = newSession('pk', { userId: 'u1' });
    const anonymous = newSession('pk');
    const events = [
      enrichedEvent(user, 'page_view', {}, { ts: T - 1000, url }),
      enrichedEvent(user, 'page_view', {}, { ts: T + 1000, url }),
      enrichedEvent(anonymous, 'page_view', {}, { ts: T + 1000, url }),
    ];
    const [profiles] = profilesMessageValues([profile({})]);
    const batch = decode([
      delivery([profiles!.value, ...rawMessagesOf(events, 5).map((m) => m.value)]),
    ]);
    expect(segmentsOf(batch.rows.bytes())).toEqual(['unknown', 'premium', 'unknown']);
    expect(batch.profiles).toEqual([
      {
        project_id: 'pk',
        user_id: 'u1',
        source: 'server',
        segment: 'premium',
        traits: '{"plan":"pro"}',
        updated_at: T,
      },
    ]);
    expect(batch.quarantined).toEqual([]);
  });

  it('keeps an identify event as an event and as an sdk profile row, without a segment', () => {
    const decode = createBatchDecoder(createMetrics(), createSegmentCache(100));
    const user = newSession('pk', { userId: 'u9' });
    const identify = enrichedEvent(
      user,
      'custom',
      { name: '$identify', props: { plan: 'free', seats: 3 } },
      { ts: T, url },
    );
    const anonymousIdentify = enrichedEvent(
      newSession('pk'),
      'custom',
      { name: '$identify', props: { plan: 'free' } },
      { ts: T, url },
    );
    const batch = decode([
      delivery(rawMessagesOf([identify, anonymousIdentify], 5).map((m) => m.value)),
    ]);
    expect(batch.rows.rows).toBe(2);
    expect(batch.profiles).toEqual([
      {
        project_id: 'pk',
        user_id: 'u9',
        source: 'sdk',
        segment: '',
        traits: '{"plan":"free","seats":3}',
        updated_at: T,
      },
    ]);
  });

  it('quarantines a bad profile with its reason and stores the good ones of the message', () => {
    const segments = createSegmentCache(100);
    const decode = createBatchDecoder(createMetrics(), segments);
    const value = JSON.stringify({
      kind: 'profiles',
      profiles: [profile({ user_id: 'ok' }), { ...profile({}), segment: '' }],
    });
    const batch = decode([delivery([value, '{"kind":"profiles","profiles":[]}'])]);
    expect(batch.profiles.map((p) => p.user_id)).toEqual(['ok']);
    expect(segments.segmentAt('pk', 'ok', T)).toBe('premium');
    expect(batch.quarantined.map((q) => [q.record.step, q.record.reason])).toEqual([
      ['validate-profile', expect.stringMatching(/^segment: .*too_small/)],
      ['decode', 'profiles message carries no profile'],
    ]);
    expect(batch.quarantined[0]?.record.project_id).toBe('pk');
  });
});
