-- Raw enriched events, one row per client event.
--
-- Dedup: the client event id is the dedup key. Kafka redelivery, processor
-- restarts and SDK retries can all write a second copy of an event, so the
-- table is a ReplacingMergeTree whose sorting key ends in event_id: copies
-- collapse on merge, and `FINAL` (or `LIMIT 1 BY event_id`) hides them until
-- then. Every column of the sorting and partition keys must be identical in
-- every copy, which is why they use client_ts (the client's own clock, resent
-- unchanged on retry) and not ts: ts is corrected with the request's
-- received_at − sent_at, which differs by a few ms between two deliveries.
--
-- ORDER BY (project_id, toDate(client_ts), type, event_id): per-project
-- queries prune on the first key column, day ranges on the second; the minmax
-- index on ts prunes time ranges written against the corrected time.
-- Non-replicated insert deduplication drops an identical retried insert block
-- at once (the processor retries a failed insert with the same rows).
CREATE TABLE IF NOT EXISTS {{db}}.events
(
    event_id        UUID,
    project_id      LowCardinality(String),
    type            LowCardinality(String),
    ts              DateTime64(3, 'UTC'),
    client_ts       DateTime64(3, 'UTC'),
    sent_at         DateTime64(3, 'UTC'),
    received_at     DateTime64(3, 'UTC'),
    session_id      String,
    anon_id         String,
    user_id         Nullable(String),
    url             String,
    path            String,
    referrer        String,
    title           String,
    viewport_w      UInt32,
    viewport_h      UInt32,
    screen_w        UInt32,
    screen_h        UInt32,
    lang            LowCardinality(String),
    ip              String,
    country         LowCardinality(String),
    region          LowCardinality(String),
    city            String,
    user_agent      String,
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device_type     LowCardinality(String),
    is_bot          Bool,
    -- Typed columns lifted from the payload for the common questions.
    -- `name`: the custom event's name or the Web Vital's name.
    name            LowCardinality(String),
    -- Web Vital value (ms, or unitless for CLS); absent for other types.
    value           Nullable(Float64),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    String,
    selector        String,
    element_tag     LowCardinality(String),
    element_text    String,
    href            String,
    is_rage_click   Bool,
    is_dead_click   Bool,
    scroll_depth    UInt8,
    error_message   String,
    error_type      LowCardinality(String),
    error_stack     String,
    -- The whole validated payload as JSON, for everything not lifted above.
    payload         String,
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX ts_minmax ts TYPE minmax GRANULARITY 1,
    INDEX session_bf session_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(client_ts)
ORDER BY (project_id, toDate(client_ts), type, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
