-- Scenarios are written by anonymous clients. Each row records a keyed hash
-- of its client (for the per-client quota) and its size in bytes (for the
-- store-wide cap); old rows expire. See ScenarioLimits.
ALTER TABLE scenarios ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE scenarios ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
UPDATE scenarios SET size = length(CAST(title AS BLOB)) + length(CAST(body AS BLOB));
CREATE INDEX scenarios_created_at_idx ON scenarios (created_at);
CREATE INDEX scenarios_client_idx ON scenarios (client, created_at);
