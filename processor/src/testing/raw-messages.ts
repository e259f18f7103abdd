/**
 * Raw-topic messages as the ingestor writes them (schema raw-message.ts), for
 * tests and benchmarks that produce their own enriched events: consecutive
 * events of one session go together, up to `perMessage` a message, as one
 * ingest request of the SDK would carry them. `perMessage: 1` writes format 1
 * (one bare event object a message), which readers must still accept.
 */
import {
  ENRICHED_SCHEMA_VERSION,
  HEADERS,
  rawMessageValues,
  type EnrichedEvent,
} from '@gosight/schema';

export interface RawMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The messages carrying `events`, in order. */
export function rawMessagesOf(events: readonly EnrichedEvent[], perMessage: number): RawMessage[] {
  const schema = String(ENRICHED_SCHEMA_VERSION);
  if (perMessage <= 1) {
    return events.map((e) => ({
      key: e.session_id,
      value: JSON.stringify(e),
      headers: {
        [HEADERS.schema]: schema,
        [HEADERS.project]: e.project_id,
        [HEADERS.type]: e.type,
      },
    }));
  }
  const out: RawMessage[] = [];
  let run: EnrichedEvent[] = [];
  const flush = () => {
    const first = run[0];
    if (!first) return;
    for (const { value, count } of rawMessageValues(run.map((e) => JSON.stringify(e)))) {
      out.push({
        key: first.session_id,
        value,
        headers: {
          [HEADERS.schema]: schema,
          [HEADERS.project]: first.project_id,
          [HEADERS.events]: String(count),
        },
      });
    }
    run = [];
  };
  for (const event of events) {
    const first = run[0];
    if (
      first &&
      (run.length >= perMessage ||
        first.session_id !== event.session_id ||
        first.project_id !== event.project_id)
    ) {
      flush();
    }
    run.push(event);
  }
  flush();
  return out;
}
