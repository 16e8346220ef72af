-- Search over provisions starts from the matching texts (GIN) and reaches their provisions through this
-- index, whatever the planner guesses about table sizes (the embedded database keeps no statistics
-- unless ANALYZE runs, and a nested loop over every provision then costs seconds).
CREATE INDEX provisions_current_text ON provisions (current_text_id) WHERE removed_version_id IS NULL;
