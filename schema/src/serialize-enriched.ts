/**
 * The enriched event as JSON text, by fast-json-stringify compiled from the
 * enriched-event schema (generated/enriched-serializer-schemas.json, written
 * by scripts/generate.ts from `enrichedEvent`): one serializer per event type,
 * so no union is resolved per value. Keys come out in the schema's order and
 * keys the schema does not know are left out.
 */
import fastJson, { type Schema } from 'fast-json-stringify';
import schemas from './generated/enriched-serializer-schemas.json';
import type { EventType } from './limits';
import type { EnrichedEvent } from './types';

const serializers = Object.fromEntries(
  Object.entries(schemas).map(([type, schema]) => [type, fastJson(schema as Schema)]),
) as Record<EventType, (event: EnrichedEvent) => string>;

/** JSON text of a valid enriched event; `JSON.parse` of it equals the event. */
export function serializeEnrichedEvent(event: EnrichedEvent): string {
  return serializers[event.type](event);
}
