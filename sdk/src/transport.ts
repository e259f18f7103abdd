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
  const url = cfg._batchUrl;
  const q = createRetryQueue(st);
  const busy: Record<string, 1> = {};
  let buf: WireEvent[] = [];
  let timer = 0;
  let attempt = 0;

  /** Stores the earliest next attempt (it survives a reload) and sends then, whatever else is stored. */
  const wait = (ms: number) => {
    q._retryAt(Date.now() + ms);
    setTimeout(
      safe(() => send(1)),
      ms,
    );
  };

  const post = (events: WireEvent[], dropped: number) => {
    const ids = events.map((e) => ((busy[e.id] = 1), e.id));
    const body = JSON.stringify({
      project: cfg._project,
      sent_at: Date.now(),
      events,
      // the ingestor derives the visitor id of cookieless events (no stored anon_id)
      meta: { dropped, cookieless: cfg._cookieless },
    });
    const done = (status: number, after?: string | null) => {
      ids.forEach((id) => delete busy[id]);
      if (status && status < 500 && status != 429) {
        if (status > 299) log('batch refused', status);
        attempt = 0;
        q._ack(ids, dropped);
        send();
      } else {
        // exponential backoff with jitter, never sooner than Retry-After in seconds (what the
        // ingestor sends; an HTTP-date form is ignored: the backoff applies)
        const back = min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
        wait(min(MAX_BACKOFF_MS, max(+after! * 1000 || 0, back)));
      }
    };
    try {
      fetch(url, { method: 'POST', body, keepalive: true }).then(
        safe((r: Response) => done(r.status, r.headers.get('Retry-After'))),
        safe(() => done(0)),
      );
    } catch {
      // no fetch, or it refused synchronously: hand the body to the browser
      done(navigator.sendBeacon(url, body) ? 202 : 0);
    }
  };

  /** Sends the stored events not in flight, in bodies of at most 60 KB; `force` ignores the stored retry time. */
  const send = (force?: 1) => {
    // eslint-disable-next-line prefer-const -- dropped is reset after the first body
    let [all, dropped, retryAt] = q._load();
    if (!force && Date.now() < retryAt) return;
    let chunk: WireEvent[] = [];
    let size = 200;
    const out = () => {
      if (chunk[0]) {
        post(chunk, dropped);
        dropped = 0;
      }
      chunk = [];
      size = 200;
    };
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
    if (buf[0]) q._push(buf);
    buf = [];
    send();
  };

  // deliver what earlier pages left behind, honouring a stored Retry-After
  wait(q._load()[2] - Date.now());

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
