-- Tracking: platforms, documents, the declaration rules that held, snapshots (content-addressed bytes),
-- captures (one tracking attempt of a document), texts (stored once) and versions (each change of text).

CREATE TABLE platforms (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  homepage text,
  jurisdictions text[] NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
  id serial PRIMARY KEY,
  platform_id int NOT NULL REFERENCES platforms(id),
  key text NOT NULL,
  type text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform_id, key)
);

-- Every distinct set of rules a document was tracked with, so old snapshots re-extract as they were.
CREATE TABLE declaration_rules (
  id serial PRIMARY KEY,
  document_id int NOT NULL REFERENCES documents(id),
  sha256 text NOT NULL,
  rules jsonb NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, sha256)
);

-- Raw fetched bytes, stored once per SHA-256 however often fetched, compressed.
CREATE TABLE blobs (
  sha256 text PRIMARY KEY,
  size int NOT NULL,
  encoding text NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Normalised document texts, stored once per SHA-256.
CREATE TABLE texts (
  sha256 text PRIMARY KEY,
  body text NOT NULL,
  chars int NOT NULL
);

CREATE TABLE versions (
  id serial PRIMARY KEY,
  document_id int NOT NULL REFERENCES documents(id),
  recorded_at timestamptz NOT NULL,
  text_sha256 text NOT NULL REFERENCES texts(sha256),
  kind text NOT NULL CHECK (kind IN ('first', 'change', 'return', 'reextraction')),
  previous_id int REFERENCES versions(id),
  returns_to_id int REFERENCES versions(id),
  lines_added int NOT NULL DEFAULT 0,
  lines_removed int NOT NULL DEFAULT 0,
  origin text NOT NULL,
  origin_ref text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX versions_document_time ON versions (document_id, recorded_at, id);
CREATE INDEX versions_document_text ON versions (document_id, text_sha256);

-- One tracking attempt of a document (live fetch, replayed file, imported commit) and what came of it.
CREATE TABLE captures (
  id serial PRIMARY KEY,
  document_id int NOT NULL REFERENCES documents(id),
  captured_at timestamptz NOT NULL,
  origin text NOT NULL,
  origin_ref text,
  outcome text NOT NULL CHECK (outcome IN ('first', 'changed', 'unchanged', 'returned', 'suspect', 'failed', 'reextraction')),
  text_sha256 text REFERENCES texts(sha256),
  version_id int REFERENCES versions(id),
  rules_id int REFERENCES declaration_rules(id),
  problem_kind text,
  detail text,
  http_status int,
  url text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX captures_origin_ref ON captures (document_id, origin, origin_ref) WHERE origin_ref IS NOT NULL;
CREATE INDEX captures_document_time ON captures (document_id, captured_at, id);

CREATE TABLE snapshots (
  id serial PRIMARY KEY,
  capture_id int NOT NULL REFERENCES captures(id),
  document_id int NOT NULL REFERENCES documents(id),
  page_index int NOT NULL,
  url text NOT NULL,
  final_url text,
  fetched_at timestamptz NOT NULL,
  blob_sha256 text NOT NULL REFERENCES blobs(sha256),
  media_type text NOT NULL,
  http_status int,
  fetcher text NOT NULL,
  UNIQUE (capture_id, page_index)
);
CREATE INDEX snapshots_document_time ON snapshots (document_id, fetched_at);

-- Where a resumable import got to, written in the same transaction as the capture it records.
CREATE TABLE import_cursors (
  source text PRIMARY KEY,
  position int NOT NULL,
  last_ref text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
