-- One row per session, upserted by the processor each time the session is
-- touched. ReplacingMergeTree(version) keeps the row with the highest version
-- (the processor's monotonic counter from Redis); query with FINAL.
--
-- No PARTITION BY on purpose: the row's versions must land in one partition to
-- replace each other, and started_at can still move earlier when an
-- out-of-order event arrives, so no time column is stable enough to partition
-- on. The minmax index on started_at prunes time-range queries instead.
CREATE TABLE IF NOT EXISTS {{db}}.sessions
(
    project_id       LowCardinality(String),
    session_id       String,
    user_id          Nullable(String),
    anon_id          String,
    started_at       DateTime64(3, 'UTC'),
    ended_at         DateTime64(3, 'UTC'),
    duration_ms      UInt64,
    entry_url        String,
    entry_path       String,
    exit_url         String,
    exit_path        String,
    page_count       UInt32,
    event_count      UInt32,
    click_count      UInt32,
    error_count      UInt32,
    max_scroll_depth UInt8,
    has_error        Bool,
    has_rage_click   Bool,
    has_dead_click   Bool,
    is_bounce        Bool,
    browser          LowCardinality(String),
    os               LowCardinality(String),
    device_type      LowCardinality(String),
    country          LowCardinality(String),
    referrer         String,
    utm_source       LowCardinality(String),
    utm_medium       LowCardinality(String),
    utm_campaign     String,
    -- 1 while the session is live in Redis; 0 once the sweeper finalised it.
    is_live          Bool,
    version          UInt64,
    updated_at       DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX started_minmax started_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, session_id);
