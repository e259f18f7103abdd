import { describe, expect, it } from 'vitest';
import {
  profileInput,
  profilesMessageValues,
  profilesOfMessage,
  serverProfileRecord,
  type ProfileRecord,
} from './profiles';
import { RAW_MESSAGE_MAX_BYTES } from './raw-message';
import { IDENTIFY_EVENT, wireEvent } from './wire';

const T = Date.UTC(2026, 11, 2, 19);

describe('profiles', () => {
  it('takes a profile with optional segment, traits and update time (epoch ms or ISO)', () => {
    expect(profileInput.parse({ user_id: 'u1' })).toEqual({ user_id: 'u1' });
    expect(
      profileInput.parse({ user_id: 'u1', segment: ' gold ', updated_at: '2026-12-02T19:00:00Z' }),
    ).toEqual({ user_id: 'u1', segment: 'gold', updated_at: T });
    expect(serverProfileRecord('pk', { user_id: 'u1' }, T)).toEqual({
      project_id: 'pk',
      user_id: 'u1',
      source: 'server',
      segment: 'unknown',
      traits: {},
      updated_at: T,
    });
  });

  it('refuses unknown keys, nested or too many traits, blank segments and bad times', () => {
    const bad = [
      { user_id: 'u', segmnet: 'gold' },
      { user_id: 'u', traits: { a: { b: 1 } } },
      {
        user_id: 'u',
        traits: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      { user_id: 'u', segment: '   ' },
      { user_id: 'u', segment: 'x'.repeat(129) },
      { user_id: 'u', updated_at: 'yesterday' },
      { user_id: 'u', updated_at: 1 },
      { segment: 'gold' },
    ];
    for (const input of bad)
      expect(profileInput.safeParse(input).success, JSON.stringify(input)).toBe(false);
  });

  it('identify traits are a custom event the wire accepts, bounded like props', () => {
    const event = {
      id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e6f',
      type: 'custom',
      ts: T,
      session_id: 's1',
      anon_id: 'a1',
      user_id: 'u1',
      url: 'https://shop.example.com/',
      payload: { name: IDENTIFY_EVENT, props: { plan: 'pro', seats: 3, vip: true, none: null } },
    };
    expect(wireEvent.safeParse(event).success).toBe(true);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(
      wireEvent.safeParse({ ...event, payload: { name: IDENTIFY_EVENT, props: tooMany } }).success,
    ).toBe(false);
  });

  it('profiles messages round-trip and are told apart from event messages', () => {
    const record: ProfileRecord = {
      project_id: 'pk',
      user_id: 'u1',
      source: 'server',
      segment: 'gold',
      traits: { note: 'x'.repeat(1000) },
      updated_at: T,
    };
    const many = Array.from({ length: 600 }, (_, i) => ({ ...record, user_id: `u${i}` }));
    const values = profilesMessageValues(many);
    expect(values.length).toBeGreaterThan(1);
    expect(values.every((v) => Buffer.byteLength(v.value) <= RAW_MESSAGE_MAX_BYTES + 40)).toBe(
      true,
    );
    const back = values.flatMap((v) => profilesOfMessage(JSON.parse(v.value)) ?? []);
    expect(back).toEqual(many);
    expect(values.reduce((n, v) => n + v.count, 0)).toBe(600);
    expect(profilesOfMessage([{ kind: 'profiles' }])).toBeUndefined();
    expect(profilesOfMessage({ v: 1, event_id: 'x' })).toBeUndefined();
    expect(profilesOfMessage({ kind: 'profiles', profiles: record })).toEqual([record]);
  });
});
