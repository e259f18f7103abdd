/**
 * One open-loop load phase, run as its own process pinned to the other core:
 * request k is planned at start + k / rate and sent then, whether or not
 * earlier answers came back. Latency runs from the planned time to the end of
 * the answer, so a sender that falls behind counts against the server, never
 * for it. (autocannon's `overallRate` is not used for this: it lets each
 * connection send as fast as it can until the second's quota is spent and then
 * idles, so "half load" is full load for part of every second.)
 *
 * Input: a JSON argument like load.ts's plus `rate` (required). In the body,
 * "[<id>]" becomes a fresh id per request, as with autocannon's idReplacement.
 * Output: one JSON line with counts and latency percentiles.
 */
import { Agent, request } from 'node:http';
import type { LoadPhase } from './phase';

const phase = JSON.parse(process.argv[2] ?? '{}') as LoadPhase & { rate: number };
const target = new URL(phase.url);
// Enough sockets that a request never queues behind another one's answer.
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const parts = phase.body.split('[<id>]');
const runId = Date.now().toString(36);

const latencies: number[] = [];
const windows: number[] = [];
let ok = 0;
let non2xx = 0;
let errors = 0;
let inFlight = 0;
let maxBehindMs = 0;

function send(index: number, plannedAt: number): void {
  const body = parts.join(`${runId}_${index}`);
  inFlight += 1;
  const req = request({
    agent,
    host: target.hostname,
    port: target.port,
    method: 'POST',
    path: target.pathname,
    headers: { ...phase.headers, 'content-length': Buffer.byteLength(body) },
  });
  req.once('response', (res) => {
    res.resume();
    res.once('end', () => {
      inFlight -= 1;
      const latency = performance.now() - plannedAt;
      latencies.push(latency);
      // Per 100 ms window of the schedule: the slowest answer, to tell a stall from a steady tail.
      const window = Math.floor((plannedAt - start) / 100);
      windows[window] = Math.max(windows[window] ?? 0, latency);
      if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok += 1;
      else non2xx += 1;
    });
  });
  req.once('error', () => {
    inFlight -= 1;
    errors += 1;
  });
  req.end(body);
}

const intervalMs = 1000 / phase.rate;
const total = Math.round(phase.rate * phase.durationSeconds);
const start = performance.now();
let next = 0;
while (next < total) {
  const now = performance.now();
  while (next < total && start + next * intervalMs <= now) {
    const plannedAt = start + next * intervalMs;
    maxBehindMs = Math.max(maxBehindMs, now - plannedAt);
    send(next, plannedAt);
    next += 1;
  }
  await sleep(Math.max(0, Math.min(start + next * intervalMs - performance.now(), 5)));
}
const deadline = Date.now() + 15_000;
while (inFlight > 0 && Date.now() < deadline) await sleep(10);
errors += inFlight;
agent.destroy();

latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies.length === 0
    ? 0
    : Number(
        (
          latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ??
          0
        ).toFixed(1),
      );
console.log(
  JSON.stringify({
    requests: next,
    rps: next / phase.durationSeconds,
    ok,
    non2xx,
    errors,
    timeouts: 0,
    p50: percentile(50),
    p99: percentile(99),
    p999: percentile(99.9),
    max: percentile(100),
    maxBehindMs: Number(maxBehindMs.toFixed(1)),
    // Share of 100 ms windows whose slowest answer took over 20 ms.
    slowWindows: windows.filter((ms) => ms > 20).length / Math.max(1, windows.length),
  }),
);
