/**
 * Superset's export bundle (the YAML files of an "assets" export) built from
 * the dataset, chart and dashboard specs. The files are committed under
 * deploy/bi/bundle; `write-bundle.ts` regenerates them and a unit test fails
 * when they are stale.
 */
import { createHash } from 'node:crypto';
import { DATASETS, type DatasetSpec } from './bundle-datasets';
import { CHARTS, DASHBOARDS, type ChartSpec, type Thresholds } from './bundle-dashboards';
import { toYaml, type YamlValue } from './to-yaml';

type Obj = { [key: string]: YamlValue };

/** The URI the bundle carries; provision.py replaces it with the configured one. */
export const BUNDLE_DATABASE_URI = 'clickhousedb://default@127.0.0.1:8123/gosight';

/** A stable UUID for a named object, so every import overwrites the same rows. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(`gosight-bi:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const DATABASE_UUID = stableUuid('database:gosight');

function database(): Obj {
  return {
    database_name: 'gosight',
    sqlalchemy_uri: BUNDLE_DATABASE_URI,
    cache_timeout: null,
    expose_in_sqllab: true,
    allow_run_async: false,
    allow_ctas: false,
    allow_cvas: false,
    allow_dml: false,
    allow_csv_upload: false,
    impersonate_user: false,
    extra: { allows_virtual_table_explore: true, disable_data_preview: false },
    uuid: DATABASE_UUID,
    version: '1.0.0',
  };
}

function dataset(d: DatasetSpec): Obj {
  return {
    table_name: d.tableName,
    main_dttm_col: d.timeColumn,
    description: d.description,
    default_endpoint: null,
    offset: 0,
    cache_timeout: null,
    schema: null,
    sql: d.sql ?? null,
    params: null,
    template_params: null,
    filter_select_enabled: true,
    fetch_values_predicate: null,
    extra: null,
    uuid: stableUuid(`dataset:${d.key}`),
    metrics: d.metrics.map((m) => ({
      metric_name: m.name,
      verbose_name: m.label,
      metric_type: null,
      expression: m.expression,
      description: null,
      d3format: m.format ?? null,
      extra: {},
      warning_text: null,
    })),
    columns: d.columns.map((c) => ({
      column_name: c.name,
      verbose_name: c.label ?? null,
      is_dttm: c.isTime === true,
      is_active: true,
      type: c.type,
      groupby: c.isTime !== true,
      filterable: true,
      expression: c.expression ?? null,
      description: null,
      python_date_format: null,
    })),
    version: '1.0.0',
    database_uuid: DATABASE_UUID,
  };
}

const VIZ: Record<ChartSpec['kind'], string> = {
  line: 'echarts_timeseries_line',
  bar: 'echarts_timeseries_bar',
  table: 'table',
  big_number: 'big_number_total',
  pie: 'pie',
};

function thresholdLines(t: Thresholds): Obj[] {
  const line = (name: string, value: number, color: string): Obj => ({
    name,
    annotationType: 'FORMULA',
    sourceType: '',
    value: String(value),
    overrides: { time_range: null },
    show: true,
    showLabel: true,
    showMarkers: false,
    hideLine: false,
    style: 'dashed',
    width: 1,
    color,
    opacity: '',
    titleColumn: '',
    descriptionColumns: [],
    timeColumn: '',
    intervalEndColumn: '',
  });
  return [line(`good ≤ ${t.good}`, t.good, '#5AC189'), line(`poor > ${t.poor}`, t.poor, '#E04355')];
}

function conditionalFormatting(by: Record<string, Thresholds>): Obj[] {
  return Object.entries(by).flatMap(([column, t]) => [
    { column, colorScheme: '#5AC189', operator: '≤', targetValue: t.good },
    {
      column,
      colorScheme: '#FCC700',
      operator: '< x ≤',
      targetValueLeft: t.good,
      targetValueRight: t.poor,
    },
    { column, colorScheme: '#E04355', operator: '>', targetValue: t.poor },
  ]);
}

/** The chart's form data, as Superset's explore view saves it. */
function params(c: ChartSpec): Obj {
  const adhocFilters: Obj[] =
    c.where === undefined
      ? []
      : [{ expressionType: 'SQL', sqlExpression: c.where, clause: 'WHERE', subject: null }];
  const common: Obj = {
    viz_type: VIZ[c.kind],
    datasource: '0__table',
    adhoc_filters: adhocFilters,
    extra_form_data: {},
    dashboards: [],
  };
  switch (c.kind) {
    case 'line':
    case 'bar':
      return {
        ...common,
        x_axis: c.x ?? null,
        time_grain_sqla: c.grain ?? null,
        x_axis_sort_asc: true,
        metrics: c.metrics,
        groupby: c.groupby ?? [],
        row_limit: 10000,
        truncate_metric: true,
        show_legend: true,
        legendType: 'scroll',
        legendOrientation: 'top',
        rich_tooltip: true,
        show_value: false,
        stack: c.stack === true ? 'Stack' : null,
        only_total: true,
        markerEnabled: true,
        markerSize: 6,
        seriesType: 'line',
        y_axis_format: 'SMART_NUMBER',
        x_axis_time_format: 'smart_date',
        comparison_type: 'values',
        annotation_layers: c.thresholds === undefined ? [] : thresholdLines(c.thresholds),
        color_scheme: 'supersetColors',
        zoomable: false,
      };
    case 'table':
      return {
        ...common,
        query_mode: 'aggregate',
        groupby: c.groupby ?? [],
        metrics: c.metrics,
        all_columns: [],
        percent_metrics: [],
        order_by_cols: [],
        timeseries_limit_metric: c.metrics[0] ?? null,
        order_desc: true,
        row_limit: c.rowLimit ?? 100,
        server_page_length: 10,
        table_timestamp_format: 'smart_date',
        show_cell_bars: c.colourBy === undefined,
        color_pn: true,
        conditional_formatting: c.colourBy === undefined ? [] : conditionalFormatting(c.colourBy),
      };
    case 'big_number':
      return {
        ...common,
        metric: c.metrics[0] ?? null,
        header_font_size: 0.4,
        subheader_font_size: 0.15,
        subheader: c.subheader ?? '',
        y_axis_format: c.format ?? 'SMART_NUMBER',
        time_format: 'smart_date',
      };
    case 'pie':
      return {
        ...common,
        groupby: c.groupby ?? [],
        metric: c.metrics[0] ?? null,
        row_limit: c.rowLimit ?? 20,
        sort_by_metric: true,
        color_scheme: 'supersetColors',
        show_labels: true,
        show_legend: true,
        legendType: 'scroll',
        legendOrientation: 'top',
        label_type: 'key_percent',
        number_format: 'SMART_NUMBER',
        donut: true,
        innerRadius: 30,
        outerRadius: 70,
        labels_outside: true,
        show_labels_threshold: 5,
      };
  }
}

/**
 * The saved query context: what /api/v1/chart/{id}/data and reports run. It
 * asks for the chart's rows without the front end's post-processing (pivots),
 * so the numbers read as they come from ClickHouse.
 */
function queryContext(c: ChartSpec, formData: Obj): string {
  const columns: YamlValue[] = [];
  if (c.x !== undefined) {
    columns.push({
      timeGrain: c.grain ?? null,
      columnType: 'BASE_AXIS',
      sqlExpression: c.x,
      label: c.x,
      expressionType: 'SQL',
    });
  }
  columns.push(...(c.groupby ?? []));
  const orderby: YamlValue[] =
    c.x !== undefined ? [] : c.kind === 'big_number' ? [] : [[c.metrics[0] ?? '', false]];
  const query: Obj = {
    filters: [],
    extras: { having: '', where: c.where === undefined ? '' : `(${c.where})` },
    applied_time_extras: {},
    columns,
    metrics: c.metrics,
    orderby,
    annotation_layers: [],
    row_limit: c.kind === 'table' || c.kind === 'pie' ? (c.rowLimit ?? 100) : 10000,
    series_limit: 0,
    order_desc: true,
    url_params: {},
    custom_params: {},
    custom_form_data: {},
    time_range: 'No filter',
  };
  return JSON.stringify({
    datasource: { id: 0, type: 'table' },
    force: false,
    queries: [query],
    form_data: formData,
    result_format: 'json',
    result_type: 'full',
  });
}

function chart(c: ChartSpec): Obj {
  const p = params(c);
  return {
    slice_name: c.title,
    description: c.description,
    certified_by: null,
    certification_details: null,
    viz_type: VIZ[c.kind],
    params: p,
    query_context: queryContext(c, p),
    cache_timeout: null,
    uuid: stableUuid(`chart:${c.key}`),
    version: '1.0.0',
    dataset_uuid: stableUuid(`dataset:${c.dataset}`),
  };
}

function dashboard(d: (typeof DASHBOARDS)[number], chartIds: Map<string, number>): Obj {
  const position: Obj = {
    DASHBOARD_VERSION_KEY: 'v2',
    ROOT_ID: { type: 'ROOT', id: 'ROOT_ID', children: ['GRID_ID'] },
    GRID_ID: {
      type: 'GRID',
      id: 'GRID_ID',
      children: d.rows.map((_, i) => `ROW-${i + 1}`),
      parents: ['ROOT_ID'],
    },
    HEADER_ID: { id: 'HEADER_ID', type: 'HEADER', meta: { text: d.title } },
  };
  d.rows.forEach((row, i) => {
    const rowId = `ROW-${i + 1}`;
    const children: string[] = [];
    row.cells.forEach((cell, j) => {
      const parents = ['ROOT_ID', 'GRID_ID', rowId];
      if ('chart' in cell) {
        const spec = CHARTS.find((c) => c.key === cell.chart);
        if (spec === undefined) throw new Error(`dashboard ${d.key}: no chart ${cell.chart}`);
        const id = `CHART-${cell.chart}`;
        children.push(id);
        position[id] = {
          type: 'CHART',
          id,
          children: [],
          parents,
          meta: {
            width: cell.width,
            height: row.height,
            chartId: chartIds.get(cell.chart) ?? 0,
            uuid: stableUuid(`chart:${cell.chart}`),
            sliceName: spec.title,
          },
        };
      } else {
        const id = `MARKDOWN-${d.key}-${i + 1}-${j + 1}`;
        children.push(id);
        position[id] = {
          type: 'MARKDOWN',
          id,
          children: [],
          parents,
          meta: { width: cell.width, height: row.height, code: cell.markdown },
        };
      }
    });
    position[rowId] = {
      type: 'ROW',
      id: rowId,
      children,
      parents: ['ROOT_ID', 'GRID_ID'],
      meta: { background: 'BACKGROUND_TRANSPARENT' },
    };
  });
  return {
    dashboard_title: d.title,
    description: null,
    css: '',
    slug: d.slug,
    certified_by: null,
    certification_details: null,
    published: true,
    uuid: stableUuid(`dashboard:${d.key}`),
    position,
    metadata: {
      color_scheme: 'supersetColors',
      refresh_frequency: 0,
      expanded_slices: {},
      label_colors: {},
      timed_refresh_immune_slices: [],
      cross_filters_enabled: false,
      default_filters: '{}',
      chart_configuration: {},
      native_filter_configuration: [],
      shared_label_colors: [],
    },
    version: '1.0.0',
  };
}

/** File name within the bundle → YAML text, for every file of the bundle. */
export function buildBundle(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    'metadata.yaml',
    toYaml({ version: '1.0.0', type: 'assets', timestamp: '2026-01-01T00:00:00+00:00' }),
  );
  files.set('databases/gosight.yaml', toYaml(database()));
  for (const d of DATASETS) {
    files.set(`datasets/gosight/${d.key}.yaml`, toYaml(dataset(d)));
  }
  const chartIds = new Map(CHARTS.map((c, i) => [c.key, i + 1]));
  for (const c of CHARTS) {
    if (!DATASETS.some((d) => d.key === c.dataset)) {
      throw new Error(`chart ${c.key}: no dataset ${c.dataset}`);
    }
    files.set(`charts/${c.key}.yaml`, toYaml(chart(c)));
  }
  for (const d of DASHBOARDS) {
    files.set(`dashboards/${d.key}.yaml`, toYaml(dashboard(d, chartIds)));
  }
  return files;
}
