-- Search over provisions reads a stored vector instead of re-parsing each matching text to rank it
-- (ranking "train" over 100,000 provisions re-tokenised thousands of texts per query). The vector is a
-- generated column, so the analysis layer's inserts fill it without knowing about it; it replaces the
-- expression index of migration 050.
ALTER TABLE provision_texts ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', left(body, 20000))) STORED;
CREATE INDEX provision_texts_search ON provision_texts USING gin (search_tsv) WITH (fastupdate = off);
DROP INDEX provision_texts_fts;
-- "The latest version holding this text" (provision pages, citations): one index probe instead of a
-- backward scan of the whole table filtered by text.
CREATE INDEX version_provisions_text_version ON version_provisions (text_id, version_id);
