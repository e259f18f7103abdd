/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with
 * the most self time, self time per npm package / source file, and per
 * concern (Kafka client, validation, enrichment, JSON, HTTP, GC...), with
 * node's internals (Buffer, streams) counted with their caller. A frame
 * in a bundle with a `.map` beside it (bench/ingestor/dist/*.mjs) is named by
 * its source file. Busy time excludes the profiler's `(idle)`.
 *
 * Attribution follows V8's frames: builtins such as JSON.parse and
 * JSON.stringify count as their caller's self time, and so do functions
 * TurboFan inlined. For a profile by function, run the ingestor with
 * `BENCH_NODE_FLAGS="--max-semi-space-size=32 --no-turbo-inlining"` (slower,
 * but each function keeps its own time).
 *
 *   npx tsx bench/ingestor/cpu-top.ts <file.cpuprofile> [top=30]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-top.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 30);

// Self time per node from the sample stream (timeDeltas[i] precedes samples[i]).
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

const sourceMaps = new Map<string, SourceMap | undefined>();
/** The source file behind a bundle's line and column, when the bundle has a source map. */
function sourceOf(url: string, line: number, column: number): string | undefined {
  if (!url.endsWith('.mjs')) return undefined;
  const path = url.replace(/^file:\/\//, '');
  if (!sourceMaps.has(path)) {
    const mapFile = `${path}.map`;
    sourceMaps.set(
      path,
      existsSync(mapFile)
        ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as never)
        : undefined,
    );
  }
  const entry = sourceMaps.get(path)?.findEntry(line, column) as
    { originalSource?: string } | undefined;
  return entry?.originalSource?.replace(/^.*?\/(?=(ingestor|schema|bench|node_modules)\/)/, '');
}

/** The concern a frame's time belongs to, from its source file or package. */
function concernOf(where: string, functionName: string): string {
  if (where === '(idle)') return '(idle)';
  if (where === '(garbage collector)') return 'GC';
  if (/kafkajs\/.*crc32C/i.test(where)) return 'Kafka client: CRC-32C';
  if (/kafkajs\/src\/protocol\/(encoder|recordBatch|requests\/produce)/.test(where))
    return 'Kafka client: encoding';
  if (/^kafkajs|\/kafkajs\//.test(where)) return 'Kafka client: other';
  if (/@platformatic\/kafka\/.*crc32c|@node-rs\/crc32/.test(where)) return 'Kafka client: CRC-32C';
  if (
    /@platformatic\/kafka\/dist\/protocol\/(writer|records|dynamic-buffer|murmur2)|@platformatic\/kafka\/dist\/apis\/producer/.test(
      where,
    )
  )
    return 'Kafka client: encoding';
  if (/@platformatic\/kafka/.test(where)) return 'Kafka client: other';
  if (/ingestor\/src\/bus\//.test(where)) return 'own bus code (batching, messages)';
  if (/schema\/src\/generated|check-envelope|validate-event|fast-checks|^zod|\/zod\//.test(where))
    return 'validation (generated validators, zod)';
  if (/ingestor\/src\/enrich\/|ua-parser-js|maxmind|mmdb-lib|isbot|clock-skew/.test(where))
    return 'enrichment (UA, GeoIP, bot, cookieless)';
  if (/parse-body|json-guard/.test(where)) return 'JSON.parse of the body + guard';
  if (/batch-route/.test(where) && functionName === 'prepareBatch')
    return 'prepareBatch (JSON.stringify of each event + what was inlined)';
  if (/raw-message|bus-messages|enriched/.test(where)) return 'JSON: message values';
  if (
    /fastify|find-my-way|avvio|light-my-request|@fastify\/|pino|node:_http|node:net|node:internal\/(streams|http)|^node:stream|node:events|writev|writeBuffer/.test(
      where,
    )
  )
    return 'HTTP: fastify, node:http, streams, sockets';
  if (/^node:buffer|node:internal\/buffer|FastBuffer/.test(where)) return 'node: Buffers';
  if (/prom-client|metrics/.test(where)) return 'metrics';
  if (/ingestor\/src\//.test(where)) return 'other ingestor code';
  if (/^node:/.test(where)) return 'node: other';
  return `other: ${where}`;
}

/** Where a frame is: its source file (through a bundle's map), package file or node module. */
function locate(node: ProfileNode) {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const mapped = sourceOf(url, lineNumber, columnNumber);
  const where = mapped ?? url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(mapped ?? url)?.[1];
  const fn = `${functionName || '(anonymous)'}  ${where}${mapped ? '' : `:${lineNumber + 1}`}`;
  const module =
    pkg ?? (url === '' ? functionName || '(vm)' : url.startsWith('node:') ? 'node:*' : where);
  const own = concernOf(pkg ? `${pkg}/${where}` : url === '' ? functionName : where, functionName);
  return { fn, module, own };
}

/**
 * Node's internals and anonymous native frames are put with the nearest
 * caller that belongs to a concern (Buffer.from under the producer is the
 * producer's, Buffer#toString under parseBody is the body's parse).
 */
const FOLDED = /^(node: |other: $|other: \(anonymous\)|other: RegExp|other: (utf8|isUtf8|parse$))/;
const STARTUP =
  /wrapSafe|compileSourceTextModule|compileForInternalLoader|parseCJS|parseSource|compileFunction|internalModuleStat|readPackage|realpathSync/;
const parent = new Map<number, ProfileNode>();
const byId = new Map<number, ProfileNode>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of (node as { children?: number[] }).children ?? []) parent.set(child, node);
}
const concernCache = new Map<number, string>();
function concernWithCallers(node: ProfileNode): string {
  const cached = concernCache.get(node.id);
  if (cached !== undefined) return cached;
  const { own, fn } = locate(node);
  let concern = own;
  if (STARTUP.test(fn)) concern = 'start-up: loading modules';
  else if (FOLDED.test(own)) {
    const up = parent.get(node.id);
    const inherited = up ? concernWithCallers(up) : own;
    concern = inherited === 'other: (root)' ? own : inherited;
  }
  concernCache.set(node.id, concern);
  return concern;
}

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
const byConcern = new Map<string, number>();
let busy = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { fn, module } = locate(node);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byModule.set(module, (byModule.get(module) ?? 0) + us);
  const concern = concernWithCallers(node);
  byConcern.set(concern, (byConcern.get(concern) ?? 0) + us);
  if (concern !== '(idle)' && !concern.startsWith('start-up')) busy += us;
}

const print = (title: string, rows: Map<string, number>, n: number) => {
  console.log(
    `\n${title} (busy ${(busy / 1e6).toFixed(1)} s sampled, start-up excluded; % of busy time)`,
  );
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name.slice(0, 120)}`);
  }
};
byFunction.delete(`(idle)  :0`);
byModule.delete('(idle)');
byConcern.delete('(idle)');
const startup = byConcern.get('start-up: loading modules') ?? 0;
byConcern.delete('start-up: loading modules');
console.log(`start-up (loading modules, not in the busy time): ${(startup / 1e6).toFixed(1)} s`);
print('self time by function', byFunction, top);
print('self time by package / file', byModule, 25);
print("self time by concern (node's internals counted with their caller)", byConcern, 25);
