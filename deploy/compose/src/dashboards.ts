/** Reads the provisioned Grafana dashboards for the tests: their Prometheus expressions and ClickHouse SQL. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../grafana/dashboards/', import.meta.url));

interface Target {
  expr?: string;
  rawSql?: string;
  datasource?: { type?: string };
}
interface Dashboard {
  title: string;
  panels: Array<{ title: string; targets?: Target[] }>;
}

/** Every dashboard file, parsed. */
export function readDashboards(): Dashboard[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard);
}

/** Every query of a kind, with the panel it belongs to. */
export function dashboardQueries(kind: 'prometheus' | 'clickhouse') {
  return readDashboards().flatMap((d) =>
    d.panels.flatMap((p) =>
      (p.targets ?? []).flatMap((t) => {
        const query = kind === 'prometheus' ? t.expr : t.rawSql;
        return query ? [{ panel: `${d.title} / ${p.title}`, query }] : [];
      }),
    ),
  );
}

/** Replaces the Grafana ClickHouse macros this repo uses with plain SQL for the last `hours`. */
export function expandMacros(sql: string, hours = 24): string {
  return sql.replace(/\$__timeFilter\((\w+)\)/g, `$1 >= now() - INTERVAL ${hours} HOUR`);
}
