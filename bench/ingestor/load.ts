/**
 * One closed-loop load phase (as fast as the server answers) with autocannon
 * (keep-alive connections); fixed rates go to open-loop.ts. Run as its own
 * process pinned to the other core. Input: a JSON argument; output: one JSON
 * line with throughput and latency.
 */
import autocannon from 'autocannon';
import type { LoadPhase } from './phase';

const phase = JSON.parse(process.argv[2] ?? '{}') as LoadPhase;
const result = await autocannon({
  url: phase.url,
  method: 'POST',
  headers: phase.headers,
  body: phase.body,
  connections: phase.connections,
  // "[<id>]" in the body becomes a fresh URL-safe id per request (distinct sessions).
  idReplacement: true,
  duration: phase.durationSeconds,
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / phase.durationSeconds,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }),
);
