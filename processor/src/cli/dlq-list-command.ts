/** `gosight dlq list`: the newest quarantined inputs, from events_quarantine. */
import type { Warehouse } from '../warehouse/warehouse';

interface QuarantineListRow {
  received_at: string;
  source: string;
  step: string;
  project_id: string;
  reason: string;
  raw: string;
}

/** Prints the newest `limit` quarantined inputs; resolves with the exit code. */
export async function runDlqListCommand(options: {
  warehouse: Warehouse;
  limit: number;
  json: boolean;
  out: (line: string) => void;
}): Promise<number> {
  const rows = await options.warehouse.query<QuarantineListRow>(
    `SELECT received_at, source, step, project_id, reason, raw
     FROM ${options.warehouse.database}.events_quarantine
     ORDER BY received_at DESC LIMIT {limit:UInt32}`,
    { limit: options.limit },
  );
  if (options.json) {
    for (const row of rows) options.out(JSON.stringify(row));
    return 0;
  }
  if (rows.length === 0) {
    options.out('no quarantined inputs');
    return 0;
  }
  for (const row of rows) {
    const raw = row.raw.length > 80 ? `${row.raw.slice(0, 77)}...` : row.raw;
    options.out(
      `${row.received_at}  ${row.source}/${row.step}  ${row.project_id || '-'}  ${row.reason}`,
    );
    options.out(`    ${raw.replaceAll('\n', ' ')}`);
  }
  options.out(`${rows.length} shown (newest first)`);
  return 0;
}
