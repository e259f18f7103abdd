-- Inputs that were accepted by the pipeline but could not be stored as
-- events: the raw input, why, and which step said so. Nothing acknowledged is
-- dropped silently; it lands here (and on gosight.events.dlq) and is counted.
CREATE TABLE IF NOT EXISTS {{db}}.events_quarantine
(
    received_at DateTime64(3, 'UTC'),
    project_id  LowCardinality(String),
    source      LowCardinality(String),
    step        LowCardinality(String),
    reason      String,
    raw         String,
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (project_id, received_at);
