/**
 * Helpers for the ingestor's tests: a recording event producer (a test
 * adapter of the bus port, not a mock of kafkajs), projects, and an app
 * built with them.
 */
// The schema package's own fixtures (not exported from its package.json; tests only).
import { validEvents } from '../../schema/src/contract/fixtures/valid-events';
import type { WireBatch, WireEvent } from '@gosight/schema';
import { pino } from 'pino';
import { buildApp, type AppDeps, type IngestorApp } from './app';
import {
  BusError,
  type BusErrorCode,
  type EventProducer,
  type TopicMessages,
} from './bus/event-producer';
import { noGeoLookup } from './enrich/geo-lookup';
import { createProjectRegistry, projectListSchema } from './projects';
import { createUserAgentParser } from './enrich/user-agent';

/** An EventProducer that keeps what it was sent; `failNext` makes sends fail, `hold` delays acks. */
export interface RecordingProducer extends EventProducer {
  readonly sent: TopicMessages[];
  failWith: BusErrorCode | undefined;
  /** While set, sends wait for `release()`. */
  hold: boolean;
  release(): void;
}

/** Creates a {@link RecordingProducer}. */
export function recordingProducer(): RecordingProducer {
  const waiting: (() => void)[] = [];
  const producer: RecordingProducer = {
    sent: [],
    failWith: undefined,
    hold: false,
    release() {
      for (const resume of waiting.splice(0)) resume();
    },
    async send(batch) {
      if (producer.failWith) throw new BusError(producer.failWith, `test: ${producer.failWith}`);
      if (producer.hold) await new Promise<void>((resolve) => waiting.push(resolve));
      producer.sent.push(...batch);
      return undefined;
    },
    isReady: () => producer.failWith === undefined,
    bufferedEvents: () => 0,
    close: () => Promise.resolve(),
  };
  return producer;
}

export const TEST_PROJECT = 'pk_test_shop';
export const TEST_ORIGIN = 'https://shop.example.com';
export const TEST_SENT_AT = Date.UTC(2026, 10, 22, 12, 0, 5);
export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export const testProjects = () =>
  createProjectRegistry(
    projectListSchema.parse([
      { key: TEST_PROJECT, origins: [TEST_ORIGIN, '*.example.org'] },
      { key: 'pk_limited', origins: ['*'], rate_limit: { max: 3, window_ms: 60_000 } },
      { key: 'pk_nobots', origins: ['*'], drop_bots: true },
    ]),
  );

/** A valid batch of the fixture events (one of each type unless `events` is given). */
export function batchOf(
  events: WireEvent[] = Object.values(validEvents),
  project = TEST_PROJECT,
): WireBatch {
  return { project, sent_at: TEST_SENT_AT, events: structuredClone(events) };
}

/** Builds the app with test deps; anything in `overrides` replaces the default. */
export async function testApp(
  overrides: Partial<AppDeps> = {},
): Promise<IngestorApp & { producer: RecordingProducer }> {
  const producer = recordingProducer();
  const built = await buildApp({
    producer,
    geo: noGeoLookup,
    userAgents: createUserAgentParser({ cacheSize: 100 }),
    projects: testProjects(),
    logger: pino({ level: 'silent' }),
    sdk: { path: '/sdk/gosight.js', file: '/nonexistent/gosight.js' },
    clock: () => TEST_SENT_AT + 1000,
    ...overrides,
  });
  return { ...built, producer: (overrides.producer as RecordingProducer | undefined) ?? producer };
}

export { validEvents };
