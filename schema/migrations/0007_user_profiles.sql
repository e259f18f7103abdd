-- User profiles and segments (issue 17, section 1).
--
-- user_profiles keeps the latest profile of each user, per source:
--   'server' rows come from POST /v1/profiles (secret key) and
--            `gosight profiles import`: they carry the user's segment;
--   'sdk'    rows come from the browser's `gosight.identify(userId, traits)`
--            (a custom event named '$identify'): traits only, never a segment,
--            so a page cannot move another user into a segment.
-- ReplacingMergeTree on updated_at: a newer update replaces an older one,
-- an older one arriving late changes nothing; query with FINAL.
-- `traits` is the flat JSON object of traits (JSONExtractString(traits, 'plan')).
-- inserted_at lets the processor's segment cache read only what is new.
CREATE TABLE IF NOT EXISTS {{db}}.user_profiles
(
    project_id  LowCardinality(String),
    user_id     String,
    source      LowCardinality(String),
    segment     LowCardinality(String),
    traits      String,
    updated_at  DateTime64(3, 'UTC'),
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project_id, user_id, source);

-- The user's segment as it was at the event's time ('unknown' when the user
-- has none), filled by the processor from its segment cache. Rows stored
-- before this migration read 'unknown'.
ALTER TABLE {{db}}.events ADD COLUMN IF NOT EXISTS segment LowCardinality(String) DEFAULT 'unknown' AFTER user_id;
