/** The ingestor's enriched events through the schema's generated serializer. */
import { checkEnrichedEvent, serializeEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { describe, expect, it } from 'vitest';
import { createEventPipeline } from './event-pipeline';
import { CHROME_UA, testProjects, validEvents } from './test-support';
import { createUserAgentParser } from './user-agent';

const project = testProjects().get('pk_test_shop');
const pipeline = createEventPipeline();
const context = (ua: string, geo = { country: 'GB', region: 'England', city: 'London' }) => {
  if (!project) throw new Error('test project missing');
  return {
    project,
    sentAt: Date.UTC(2026, 10, 22, 12, 0, 5),
    receivedAt: Date.UTC(2026, 10, 22, 12, 0, 6),
    ip: '203.0.113.0',
    geo,
    userAgent: createUserAgentParser({ cacheSize: 0 }).parse(ua),
  };
};

function enrich(
  raw: unknown,
  ua = CHROME_UA,
  geo?: { country: string; region: string; city: string },
): EnrichedEvent {
  const result = pipeline(raw, 0, context(ua, geo));
  if (result.kind !== 'ok') throw new Error(`fixture refused: ${JSON.stringify(result)}`);
  return result.value;
}

describe('serializeEnrichedEvent', () => {
  it.each(Object.entries(validEvents))(
    'parses back to the same %s event, which passes the contract',
    (_, raw) => {
      const event = enrich(raw);
      const parsed: unknown = JSON.parse(serializeEnrichedEvent(event));
      expect(parsed).toEqual(JSON.parse(JSON.stringify(event)));
      expect(checkEnrichedEvent(parsed).ok).toBe(true);
    },
  );

  it('escapes quotes, backslashes, control and line-separator characters in free text', () => {
    const nasty = 'a"b\\c\n\u0001\u2028\u2029 é 😀 </script>';
    const raw = {
      ...validEvents.custom,
      user_id: nasty,
      title: nasty,
      referrer: nasty,
      lang: 'x"y',
      url: 'https://shop.example.com/a%22b?q="x"',
      payload: { name: nasty, props: { [nasty]: nasty } },
    };
    const event = enrich(raw, `Mozilla/5.0 ${nasty}`, {
      country: 'X"',
      region: nasty,
      city: nasty,
    });
    const parsed: unknown = JSON.parse(serializeEnrichedEvent(event));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(event)));
  });
});
