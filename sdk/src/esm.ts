/** Bundler entry (dist/gosight.esm.js): `init(options)` instead of a script tag. */
import { readConfig } from './config';
import { createTracker, type Api } from './tracker';

export type { Api, PropValue } from './tracker';

/** Options of `init`, the ESM twin of the script tag's data-* attributes. */
export interface Options {
  project: string;
  /** Ingest origin; default: this page's origin. */
  endpoint?: string;
  respectDnt?: boolean;
  cookieless?: boolean;
  /** Extra query parameters to strip from URLs. */
  maskParams?: string[];
  /** Captures to run (default all): pageviews, clicks, scroll, errors, vitals. */
  auto?: string[];
  debug?: boolean;
}

const flag = (b?: boolean) => (b ? '' : undefined);

/** Starts the tracker; throws if the options are invalid. Call once per page. */
export const init = (o: Options): Api =>
  createTracker(
    readConfig(
      {
        project: o.project,
        endpoint: o.endpoint,
        respectDnt: flag(o.respectDnt),
        cookieless: flag(o.cookieless),
        maskParams: o.maskParams?.join(),
        auto: o.auto?.join(),
        debug: flag(o.debug),
      },
      location.origin,
    ),
  );
