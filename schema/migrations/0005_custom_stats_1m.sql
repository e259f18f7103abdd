-- Per project, per minute, per custom event name: how many events, the
-- numeric values they carried (`props.value`, lifted into events.value), and
-- unique sessions; "revenue per minute". The minute is the event's own
-- (corrected) time, so a late event lands in its own minute whenever it arrives.
--
-- Exact under duplicates like page_stats_1m: events are counted with
-- uniqExact over event_id, and the values are kept as the set of distinct
-- (event_id, value) pairs, so a retried or replayed copy of a purchase adds
-- neither a count nor its amount. Read through custom_stats_1m_view, or with
-- the -Merge combinators:
--   SELECT minute, name, events, sum, avg, min, max, sessions
--   FROM gosight.custom_stats_1m_view WHERE name = 'purchase' ORDER BY minute;
CREATE TABLE IF NOT EXISTS {{db}}.custom_stats_1m
(
    project_id LowCardinality(String),
    minute     DateTime('UTC'),
    name       LowCardinality(String),
    events     AggregateFunction(uniqExact, UUID),
    value_set  AggregateFunction(groupUniqArray, Tuple(UUID, Float64)),
    sessions   AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (project_id, minute, name);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.custom_stats_1m_mv TO {{db}}.custom_stats_1m AS
SELECT
    project_id,
    toStartOfMinute(ts) AS minute,
    name,
    uniqExactState(event_id) AS events,
    groupUniqArrayStateIf(tuple(event_id, assumeNotNull(value)), value IS NOT NULL) AS value_set,
    uniqExactState(session_id) AS sessions
FROM {{db}}.events
WHERE type = 'custom'
GROUP BY project_id, minute, name;

CREATE VIEW IF NOT EXISTS {{db}}.custom_stats_1m_view AS
SELECT
    project_id,
    minute,
    name,
    events,
    length(v) AS valued,
    arraySum(v) AS sum,
    if(length(v) = 0, NULL, arraySum(v) / length(v)) AS avg,
    if(length(v) = 0, NULL, arrayMin(v)) AS min,
    if(length(v) = 0, NULL, arrayMax(v)) AS max,
    sessions
FROM
(
    SELECT
        project_id,
        minute,
        name,
        uniqExactMerge(events) AS events,
        arrayMap(x -> x.2, groupUniqArrayMerge(value_set)) AS v,
        uniqExactMerge(sessions) AS sessions
    FROM {{db}}.custom_stats_1m
    GROUP BY project_id, minute, name
);
