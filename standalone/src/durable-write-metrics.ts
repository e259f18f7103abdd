/**
 * The metrics of the files `npm start` keeps rewriting in its data directory
 * (bus offsets, session snapshot): failed attempts and whether each is
 * failing now. Created without a registry; `register` adds them to the
 * ingestor's and the processor's, so they show on every /metrics.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WriteHealth } from './retrying-write';

/** WriteHealth backed by Prometheus metrics. */
export interface DurableWriteMetrics extends WriteHealth {
  /** Adds the metrics to `registry` (safe to call for several registries). */
  register(registry: Registry): void;
}

/** Creates the metrics, with a zero series for each of `files`. */
export function createDurableWriteMetrics(files: readonly string[]): DurableWriteMetrics {
  const failures = new Counter({
    name: 'gosight_standalone_durable_write_failures_total',
    help: 'Failed attempts at writing a file of the data directory, by file (each is retried)',
    labelNames: ['file'] as const,
    registers: [],
  });
  const failing = new Gauge({
    name: 'gosight_standalone_durable_write_failing',
    help: '1 while the latest attempt at writing the file failed (retries carry on)',
    labelNames: ['file'] as const,
    registers: [],
  });
  for (const file of files) {
    failures.inc({ file }, 0);
    failing.set({ file }, 0);
  }
  return {
    failed: (file) => failures.inc({ file }),
    failing: (file, now) => failing.set({ file }, now ? 1 : 0),
    register(registry) {
      registry.registerMetric(failures);
      registry.registerMetric(failing);
    },
  };
}
