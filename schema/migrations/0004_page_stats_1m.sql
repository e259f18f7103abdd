-- Per project, per minute, per path: page views, clicks, unique sessions,
-- errors and Web Vitals quantiles; the "clicks per page in 1-minute tumbling
-- windows". The minute is the event's own (corrected) time, so a late event
-- lands in its own minute whenever it arrives — no watermark drops it.
--
-- Counts are uniqExact over event_id rather than count(): a retried or
-- replayed copy of an event adds nothing, so the view stays exactly-once as
-- seen by a query, like `events FINAL`. Read with the -Merge combinators:
--   SELECT minute, path, uniqExactMerge(page_views) AS views
--   FROM gosight.page_stats_1m GROUP BY minute, path ORDER BY minute;
CREATE TABLE IF NOT EXISTS {{db}}.page_stats_1m
(
    project_id LowCardinality(String),
    minute     DateTime('UTC'),
    path       String,
    page_views AggregateFunction(uniqExact, UUID),
    clicks     AggregateFunction(uniqExact, UUID),
    errors     AggregateFunction(uniqExact, UUID),
    sessions   AggregateFunction(uniqExact, String),
    lcp        AggregateFunction(quantilesTDigest(0.5, 0.75, 0.95), Float64),
    inp        AggregateFunction(quantilesTDigest(0.5, 0.75, 0.95), Float64),
    cls        AggregateFunction(quantilesTDigest(0.5, 0.75, 0.95), Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (project_id, minute, path);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.page_stats_1m_mv TO {{db}}.page_stats_1m AS
SELECT
    project_id,
    toStartOfMinute(ts) AS minute,
    path,
    uniqExactStateIf(event_id, type = 'page_view') AS page_views,
    uniqExactStateIf(event_id, type = 'click') AS clicks,
    uniqExactStateIf(event_id, type = 'js_error') AS errors,
    uniqExactState(session_id) AS sessions,
    quantilesTDigestStateIf(0.5, 0.75, 0.95)(assumeNotNull(value), type = 'web_vitals' AND name = 'LCP') AS lcp,
    quantilesTDigestStateIf(0.5, 0.75, 0.95)(assumeNotNull(value), type = 'web_vitals' AND name = 'INP') AS inp,
    quantilesTDigestStateIf(0.5, 0.75, 0.95)(assumeNotNull(value), type = 'web_vitals' AND name = 'CLS') AS cls
FROM {{db}}.events
GROUP BY project_id, minute, path;
