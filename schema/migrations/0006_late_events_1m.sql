-- Late data made visible: per project and minute of event time, how many
-- events arrived (received_at, the ingestor's clock) more than 2 minutes after
-- their event time (ts). Streaming pipelines with a 2-minute watermark drop
-- these; gosight stores them in their own minute, and this table shows how
-- many a watermark would have dropped. Exact under duplicates (uniqExact over
-- event_id). Read with:
--   SELECT minute, uniqExactMerge(events) AS events, uniqExactMerge(late) AS late
--   FROM gosight.late_events_1m GROUP BY minute ORDER BY minute;
CREATE TABLE IF NOT EXISTS {{db}}.late_events_1m
(
    project_id LowCardinality(String),
    minute     DateTime('UTC'),
    events     AggregateFunction(uniqExact, UUID),
    late       AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (project_id, minute);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.late_events_1m_mv TO {{db}}.late_events_1m AS
SELECT
    project_id,
    toStartOfMinute(ts) AS minute,
    uniqExactState(event_id) AS events,
    uniqExactStateIf(event_id, received_at > ts + INTERVAL 2 MINUTE) AS late
FROM {{db}}.events
GROUP BY project_id, minute;
