-- Full-text search over version texts for the web app and API. Kept in its own table, filled by the web
-- layer's indexer (src/web/read/search-index.ts), so recording a capture never pays for tokenising.
CREATE TABLE text_search (
  sha256 text PRIMARY KEY REFERENCES texts(sha256),
  tsv tsvector NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX text_search_tsv ON text_search USING gin (tsv);

-- The changes feed lists versions across all documents, newest first.
CREATE INDEX versions_recorded ON versions (recorded_at DESC, id DESC);
