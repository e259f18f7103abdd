/**
 * A steady stream of valid beacons, as browsers send them: `concurrency` live sessions, each
 * sending `batches` batches of `perBatch` events (a page view first) `intervalMs` apart; a
 * session that is done is replaced by a new one. Batches go to the ingestors in turn. Like the
 * SDK, a client retries a batch that was not accepted (503 with Retry-After, a refused or
 * broken connection) with the same event ids until it gets a 202, so every event ends up
 * either 202'd or counted as given up.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { validEvents } from '../../schema/src/contract/fixtures/valid-events';

export interface LoadOptions {
  /** ingestor ports, used in turn */
  ports: number[];
  project: string;
  origin: string;
  concurrency: number;
  batches: number;
  perBatch: number;
  intervalMs: number;
  /** a batch still not accepted after this long is given up (and counted) */
  giveUpMs: number;
}

export interface LoadReport {
  sessions: number;
  /** events generated (each id once, however often it was retried) */
  sent: number;
  /** ids answered 202 */
  accepted: Set<string>;
  /** session id → events 202'd, page views among them */
  perSession: Map<string, { events: number; pages: number }>;
  requests: number;
  /** HTTP status (or 'error') → answers, retries included */
  statuses: Map<string, number>;
  /** requests that were sent again after a 503 or a connection error */
  retries: number;
  /** events in batches given up after giveUpMs */
  givenUp: number;
  /** longest time from a batch's first non-202 to its 202 (ms) */
  longestRetryMs: number;
  /** first and last time (epoch ms) an ingestor answered 5xx or failed to answer */
  failureWindow: { first: number; last: number } | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const OTHER_TYPES = [
  validEvents.click,
  validEvents.scroll,
  validEvents.custom,
  validEvents.web_vitals,
];

/** Starts the load; `stop()` lets the live sessions finish and resolves with the report. */
export function startBeaconLoad(options: LoadOptions): { stop(): Promise<LoadReport> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const report: LoadReport = {
    sessions: 0,
    sent: 0,
    accepted: new Set(),
    perSession: new Map(),
    requests: 0,
    statuses: new Map(),
    retries: 0,
    givenUp: 0,
    longestRetryMs: 0,
    failureWindow: undefined,
  };
  let stopping = false;
  let turn = 0;

  const note = (status: string) => {
    report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
    if (status === '202') return;
    const now = Date.now();
    report.failureWindow = report.failureWindow
      ? { first: report.failureWindow.first, last: now }
      : { first: now, last: now };
  };

  /** POSTs once; resolves with the status ('error' when no answer) and Retry-After seconds. */
  function post(port: number, body: string): Promise<{ status: string; retryAfter: number }> {
    return new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/batch',
          timeout: 30_000,
          headers: {
            'content-type': 'text/plain;charset=UTF-8',
            origin: options.origin,
            'user-agent': UA,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.once('end', () =>
            resolve({
              status: String(res.statusCode),
              retryAfter: Number(res.headers['retry-after'] ?? 1) || 1,
            }),
          );
        },
      );
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => resolve({ status: 'error', retryAfter: 0.5 }));
      req.end(body);
    });
  }

  /** Resolves true once the batch was 202'd, false when it was given up. */
  async function sendBatch(
    sessionId: string,
    anonId: string,
    types: typeof OTHER_TYPES,
  ): Promise<boolean> {
    const now = Date.now();
    const events = types.map((template, i) => ({
      ...template,
      id: randomUUID(),
      session_id: sessionId,
      anon_id: anonId,
      ts: now + i,
    }));
    report.sent += events.length;
    const body = JSON.stringify({ project: options.project, sent_at: now, events });
    let firstFailure: number | undefined;
    for (;;) {
      const port = options.ports[turn++ % options.ports.length] ?? 0;
      report.requests += 1;
      const { status, retryAfter } = await post(port, body);
      note(status);
      if (status === '202') {
        if (firstFailure !== undefined) {
          report.longestRetryMs = Math.max(report.longestRetryMs, Date.now() - firstFailure);
        }
        for (const e of events) report.accepted.add(e.id);
        const mine = report.perSession.get(sessionId) ?? { events: 0, pages: 0 };
        mine.events += events.length;
        mine.pages += events.filter((e) => e.type === 'page_view').length;
        report.perSession.set(sessionId, mine);
        return true;
      }
      firstFailure ??= Date.now();
      // Only what a browser would retry: the bus was busy or the connection failed.
      if (
        (status !== '503' && status !== 'error') ||
        Date.now() - firstFailure > options.giveUpMs
      ) {
        report.givenUp += events.length;
        return false;
      }
      report.retries += 1;
      await sleep(retryAfter * 1000);
    }
  }

  async function session(): Promise<void> {
    report.sessions += 1;
    const sessionId = `s_fo_${randomUUID()}`;
    const anonId = `a_fo_${randomUUID()}`;
    for (let b = 0; b < options.batches; b++) {
      const types = Array.from(
        { length: options.perBatch },
        (_, i) =>
          (b === 0 && i === 0
            ? validEvents.page_view
            : OTHER_TYPES[(b + i) % OTHER_TYPES.length]) ?? validEvents.click,
      );
      // A batch given up ends its session (a browser that went away), so stop() stays bounded.
      if (!(await sendBatch(sessionId, anonId, types))) return;
      if (b < options.batches - 1) await sleep(options.intervalMs * (0.75 + Math.random() / 2));
    }
  }

  const lanes = Array.from({ length: options.concurrency }, async (_, lane) => {
    // Spread the sessions' starts over one interval, so the stream is steady from the start.
    await sleep((lane * options.intervalMs) / options.concurrency);
    while (!stopping) await session();
  });

  return {
    async stop() {
      stopping = true;
      await Promise.all(lanes);
      agent.destroy();
      return report;
    },
  };
}
