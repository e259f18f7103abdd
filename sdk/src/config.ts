import { DEFAULT_MASK } from './url';

/** Captures that data-auto can switch on; all are on when it is absent. */
export const CAPTURES = ['pageviews', 'clicks', 'scroll', 'errors', 'vitals'];

/** The SDK's settings, validated once at start. */
export interface Config {
  _project: string;
  _endpoint: string;
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

/**
 * Reads data-* attributes; throws an Error naming the bad attribute, so the
 * caller can disable the SDK with one warning. `origin` is the default endpoint.
 */
export const readConfig = (d: Attributes, origin: string): Config => {
  const flag = (k: string): boolean => {
    const v = d[k];
    if (v == null || v == 'false') return false;
    if (v == '' || v == 'true') return true;
    throw Error('data-' + k);
  };
  const project = d.project;
  if (!project || project.length > 64) throw Error('data-project');
  const endpoint = (d.endpoint ?? origin).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw Error('data-endpoint');
  const auto = d.auto == null ? CAPTURES : list(d.auto);
  if (auto.some((a) => !CAPTURES.includes(a))) throw Error('data-auto');
  return {
    _project: project,
    _endpoint: endpoint,
    _dnt: flag('respectDnt'),
    _cookieless: flag('cookieless'),
    _mask: DEFAULT_MASK.concat(list(d.maskParams ?? '')),
    _auto: auto,
    _debug: flag('debug'),
  };
};
