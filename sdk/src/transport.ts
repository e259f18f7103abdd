import { max, min } from './globals';
import type { WireEvent } from '@gosight/schema/types';
import type { Config } from './config';
import { createRetryQueue } from './retry-queue';
import { log, safe } from './safe';
import type { Store } from './storage';

/** Flush thresholds and the size of one request body. */
export const BATCH_EVENTS = 20;
export const BATCH_DELAY_MS = 5000;
export const MAX_BODY_BYTES = 60 * 1024;
/** Longest wait between retries, also the cap on Retry-After. */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

/** Batches events and delivers them at least once. */
export interface Transport {
  _add(event: WireEvent): void;
  /** Moves buffered events to the durable queue and sends what may be sent. */
  _flush(): void;
  /** Forgets everything not yet delivered (opt-out). */
  _clear(): void;
}

const bytes = (v: unknown) => new Blob([JSON.stringify(v)]).size;

/**
 * Creates the transport. Flushed events are written to the retry queue first and
 * removed only when the collector answers (2xx, or a 4xx that retrying cannot fix),
 * so a page closed mid-request re-sends them on the next page load; the event id
 * lets the pipeline drop the duplicate.
 */
export const createTransport = (cfg: Config, st: Store): Transport => {
  const url = cfg._endpoint + '/v1/batch';
  const q = createRetryQueue(st);
  const busy: Record<string, 1> = {};
  let buf: WireEvent[] = [];
  let timer = 0;
  let attempt = 0;
  let warned = 0;

  const wait = (ms: number) => {
    const at = Date.now() + ms;
    q._retryAt(at);
    setTimeout(
      safe(() => {
        q._retryAt(0);
        send();
      }),
      ms,
    );
  };

  const done = (events: WireEvent[], dropped: number, status: number) => {
    const ids = events.map((e) => e.id);
    ids.forEach((id) => delete busy[id]);
    if (status > 0 && status < 500 && status != 429) {
      if (status > 299 && !warned++) log('batch refused', status);
      attempt = 0;
      q._ack(ids, dropped);
      send();
      return 0;
    }
    return 1;
  };

  const post = (events: WireEvent[], dropped: number) => {
    events.forEach((e) => (busy[e.id] = 1));
    const body = JSON.stringify({
      project: cfg._project,
      sent_at: Date.now(),
      events,
      meta: { dropped },
    });
    const retry = (after?: string | null) => {
      // exponential backoff with full jitter, never sooner than Retry-After
      const ra = after ? +after * 1000 || Date.parse(after) - Date.now() : 0;
      const back = min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      wait(min(MAX_BACKOFF_MS, max(ra || 0, back)));
    };
    try {
      fetch(url, { method: 'POST', body, keepalive: true }).then(
        safe(
          (r: Response) => done(events, dropped, r.status) && retry(r.headers.get('Retry-After')),
        ),
        safe(() => done(events, dropped, 0) && retry()),
      );
    } catch {
      // no fetch, or it refused synchronously: hand the body to the browser
      if (done(events, dropped, navigator.sendBeacon(url, body) ? 202 : 0)) retry();
    }
  };

  const send = () => {
    const [all, dropped, retryAt] = q._load();
    if (Date.now() < retryAt) return;
    let chunk: WireEvent[] = [];
    let size = 0;
    let first = 1;
    const out = () => {
      if (chunk.length) {
        post(chunk, first ? dropped : 0);
        first = 0;
      }
      chunk = [];
      size = 200;
    };
    out();
    all.forEach((e) => {
      if (busy[e.id]) return;
      const n = bytes(e) + 1;
      if (size + n > MAX_BODY_BYTES) out();
      chunk.push(e);
      size += n;
    });
    out();
  };

  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    if (buf.length) q._push(buf);
    buf = [];
    send();
  };

  // deliver what earlier pages left behind, honouring a stored Retry-After
  const left = q._load()[2] - Date.now();
  if (left > 0) wait(left);
  else setTimeout(safe(send));

  return {
    _add(e) {
      buf.push(e);
      if (buf.length >= BATCH_EVENTS) flush();
      else timer ||= setTimeout(safe(flush), BATCH_DELAY_MS);
    },
    _flush: flush,
    _clear() {
      buf = [];
      st._set('gs_q', 0);
    },
  };
};
