import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_DIR } from './bi-paths';
import { CHARTS, DASHBOARDS } from './bundle-dashboards';
import { DATASETS } from './bundle-datasets';
import { formattedBundle } from './write-bundle';

describe('the Superset bundle in deploy/bi/bundle', () => {
  it('is what write-bundle.ts generates from the specs (run it after changing them)', async () => {
    const generated = await formattedBundle();
    const committed = readdirSync(BUNDLE_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) {
      expect({ name, text: readFileSync(path.join(BUNDLE_DIR, name), 'utf8') }).toEqual({
        name,
        text,
      });
    }
    // Prettier formats 34 files: a few seconds on a busy 2-core machine.
  }, 60_000);

  it('uses every chart on a dashboard, and only metrics and columns its dataset has', () => {
    const placed = DASHBOARDS.flatMap((d) =>
      d.rows.flatMap((r) => r.cells.flatMap((c) => ('chart' in c ? [c.chart] : []))),
    );
    expect([...placed].sort()).toEqual(CHARTS.map((c) => c.key).sort());
    for (const chart of CHARTS) {
      const dataset = DATASETS.find((d) => d.key === chart.dataset);
      expect(dataset, chart.key).toBeDefined();
      const metrics = dataset?.metrics.map((m) => m.name) ?? [];
      const columns = dataset?.columns.map((c) => c.name) ?? [];
      for (const m of chart.metrics) expect(metrics, `${chart.key}: ${m}`).toContain(m);
      for (const g of [...(chart.groupby ?? []), ...(chart.x === undefined ? [] : [chart.x])]) {
        expect(columns, `${chart.key}: ${g}`).toContain(g);
      }
    }
  });

  it('keeps every row of a dashboard 12 columns wide at most', () => {
    for (const d of DASHBOARDS) {
      for (const r of d.rows) {
        expect(
          r.cells.reduce((a, c) => a + c.width, 0),
          d.key,
        ).toBeLessThanOrEqual(12);
      }
    }
  });
});
