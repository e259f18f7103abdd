import { DEFAULT_MASK } from './url';

/** Captures that data-auto can switch on; all are on when it is absent. */
export const CAPTURES = 'pageviews,clicks,scroll,errors,vitals'.split(',');

/** The SDK's settings, validated once at start. */
export interface Config {
  _project: string;
  /** The collector's batch URL: data-endpoint (or the script's origin) + /v1/batch. */
  _batchUrl: string;
  _dnt: boolean;
  _cookieless: boolean;
  _mask: string[];
  _auto: string[];
  _debug: boolean;
}

/** Attribute values as a script tag's dataset holds them. */
export type Attributes = Record<string, string | undefined>;

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** Throws an Error naming the attribute unless `ok`. */
const need: (ok: unknown, attribute: string) => asserts ok = (ok, attribute) => {
  if (!ok) throw Error('data-' + attribute);
};

/**
 * Reads data-* attributes; throws an Error naming the bad attribute, so the
 * caller can disable the SDK with one warning. `origin` is the default endpoint.
 */
export const readConfig = (d: Attributes, origin: string): Config => {
  // absent is false, present without a value is true
  const flag = (k: string): boolean => {
    const v = d[k] ?? 'false';
    need(/^(true|false)?$/.test(v), k);
    return v != 'false';
  };
  const project = d.project;
  need(project && project.length <= 64, 'project');
  const endpoint = (d.endpoint ?? origin).replace(/\/+$/, '');
  need(/^https?:\/\/[^/]/.test(endpoint), 'endpoint');
  const auto = d.auto == null ? CAPTURES : list(d.auto);
  need(
    auto.every((a) => CAPTURES.includes(a)),
    'auto',
  );
  return {
    _project: project,
    _batchUrl: endpoint + '/v1/batch',
    _dnt: flag('respectDnt'),
    _cookieless: flag('cookieless'),
    _mask: list(DEFAULT_MASK + ',' + (d.maskParams ?? '')),
    _auto: auto,
    _debug: flag('debug'),
  };
};
