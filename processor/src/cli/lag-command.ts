/** `gosight lag`: per partition committed offset, end offset and lag, the totals; --max-lag alerts. */
import type { Admin } from 'kafkajs';
import { readConsumerLag, type GroupLag } from './consumer-lag';

export interface LagCommandOptions {
  admin: Admin;
  groups: string[];
  topic: string;
  json: boolean;
  maxLag: number | undefined;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Prints the lag report; resolves with the exit code (1 when a group is above --max-lag). */
export async function runLagCommand(options: LagCommandOptions): Promise<number> {
  const lags: GroupLag[] = [];
  for (const group of options.groups)
    lags.push(await readConsumerLag(options.admin, group, options.topic));
  const total = lags.reduce((sum, g) => sum + g.total, 0);
  if (options.json) {
    options.out(JSON.stringify({ topic: options.topic, groups: lags, total }));
  } else {
    const rows = [['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG']];
    for (const g of lags) {
      for (const p of g.partitions) {
        rows.push([
          g.group,
          g.topic,
          String(p.partition),
          p.committed ?? '-',
          p.end,
          String(p.lag),
        ]);
      }
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    for (const r of rows)
      options.out(
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    options.out(`TOTAL LAG ${total} (${lags.map((g) => `${g.group} ${g.total}`).join(', ')})`);
  }
  if (options.maxLag !== undefined) {
    const over = lags.filter((g) => g.total > options.maxLag!);
    if (over.length > 0) {
      options.err(
        `lag above --max-lag ${options.maxLag}: ${over.map((g) => `${g.group} ${g.total}`).join(', ')}`,
      );
      return 1;
    }
  }
  return 0;
}
