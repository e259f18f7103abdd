/**
 * The freshness benchmark's load generator: wire batches of `batchSize` events
 * (one session's worth, like the SDK) POSTed to /v1/batch on an open-loop
 * schedule — request k is sent at start + k × interval whether or not earlier
 * answers came back, so a slow server cannot slow the offered load down.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { validEvents } from '../../schema/src/contract/fixtures/valid-events';

/** What one phase of load did. Only events answered 202 are in `accepted`. */
export interface PhaseResult {
  /** Target events per second. */
  rate: number;
  requests: number;
  eventsSent: number;
  /** event id → wall clock (ms) when its request had been written to the socket. */
  accepted: Map<string, number>;
  /** HTTP status (or `error`) → requests, for everything that was not a 202. */
  failures: Map<string, number>;
  /** From the first planned send to the last request written (ms). */
  durationMs: number;
  /** How far the sender fell behind its own schedule at worst (ms). */
  maxBehindMs: number;
}

export interface LoadTarget {
  port: number;
  project: string;
  origin: string;
  batchSize: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const types = Object.values(validEvents);

/** An open-loop sender against one ingestor; `close()` ends its keep-alive sockets. */
export function createOpenLoopLoad(target: LoadTarget) {
  // Many sockets: browsers are independent clients; a request never waits for a free socket.
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const headers = {
    'content-type': 'text/plain;charset=UTF-8',
    origin: target.origin,
    'user-agent':
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  };
  let sessionNo = 0;

  function batchBody(ids: string[]): string {
    const now = Date.now();
    const session = `s_fresh_${sessionNo % 5000}`;
    const anon = `a_fresh_${sessionNo % 5000}`;
    sessionNo += 1;
    const events = ids.map((id, i) => ({
      ...types[i % types.length],
      id,
      session_id: session,
      anon_id: anon,
      ts: now - (ids.length - i) * 50,
    }));
    return JSON.stringify({ project: target.project, sent_at: now, events });
  }

  /** Sends `rate` events/s for `seconds`; resolves when every request was answered (or 15 s passed). */
  async function run(rate: number, seconds: number): Promise<PhaseResult> {
    const intervalMs = (1000 * target.batchSize) / rate;
    const total = Math.round((rate * seconds) / target.batchSize);
    const result: PhaseResult = {
      rate,
      requests: 0,
      eventsSent: 0,
      accepted: new Map(),
      failures: new Map(),
      durationMs: 0,
      maxBehindMs: 0,
    };
    let inFlight = 0;
    let lastWritten = 0;
    const fail = (why: string) => result.failures.set(why, (result.failures.get(why) ?? 0) + 1);

    const send = () => {
      const ids = Array.from({ length: target.batchSize }, () => randomUUID());
      const body = batchBody(ids);
      let writtenAt = 0;
      inFlight += 1;
      result.requests += 1;
      result.eventsSent += ids.length;
      const req = request({
        agent,
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: '/v1/batch',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      });
      // t_sent: the request is fully handed to the socket ('finish'), not merely planned.
      req.once('finish', () => (writtenAt = lastWritten = Date.now()));
      req.once('response', (res) => {
        res.resume();
        res.once('end', () => {
          inFlight -= 1;
          if (res.statusCode === 202) for (const id of ids) result.accepted.set(id, writtenAt);
          else fail(String(res.statusCode));
        });
      });
      req.once('error', (error) => {
        inFlight -= 1;
        fail(`error ${error.message}`);
      });
      req.end(body);
    };

    const start = performance.now();
    const wallStart = Date.now();
    let next = 0;
    while (next < total) {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        result.maxBehindMs = Math.max(result.maxBehindMs, now - (start + next * intervalMs));
        send();
        next += 1;
      }
      const wait = start + next * intervalMs - performance.now();
      await sleep(Math.max(0, Math.min(wait, 5)));
    }
    const answersDeadline = Date.now() + 15_000;
    while (inFlight > 0 && Date.now() < answersDeadline) await sleep(10);
    if (inFlight > 0) fail(`no answer within 15 s (${inFlight} requests)`);
    result.durationMs = lastWritten - wallStart;
    return result;
  }

  return { run, close: () => agent.destroy() };
}
