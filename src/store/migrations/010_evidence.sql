-- The evidence log (docs/evidence-format.md §8): every snapshot and version (later provisions) is one
-- leaf of an RFC 9162 Merkle tree, appended in the same transaction as the record it logs.

-- One row: the log's size. Appenders lock it (UPDATE … RETURNING) so that two writers never claim
-- the same leaf index. backfill_* are the highest record ids that existed before the log did: only
-- those may be appended later by the backfill; any other record without a leaf is an anomaly.
CREATE TABLE evidence_log (
  id int PRIMARY KEY CHECK (id = 1),
  size bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
  backfill_snapshot_max int NOT NULL DEFAULT 0,
  backfill_version_max int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO evidence_log (id, size, backfill_snapshot_max, backfill_version_max)
  SELECT 1, 0, (SELECT coalesce(max(id), 0) FROM snapshots), (SELECT coalesce(max(id), 0) FROM versions);

-- The leaves (level 0 of the tree): which record each one logs, its canonical record JSON
-- (the leaf bytes, UTF-8) and SHA-256(0x00 || leaf bytes). No foreign key: a deleted record must
-- leave its leaf behind, so that verification can name it.
CREATE TABLE evidence_leaves (
  leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
  kind text NOT NULL,
  record_id bigint NOT NULL,
  leaf_hash bytea NOT NULL,
  leaf_data text NOT NULL,
  logged_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, record_id)
);

-- Hashes of complete subtrees of 2^level leaves (level >= 1), written once, never changed.
CREATE TABLE evidence_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL,
  PRIMARY KEY (level, idx)
);

-- Signed checkpoints (C2SP signed notes), with an optional RFC 3161 timestamp token of the note text.
CREATE TABLE evidence_checkpoints (
  id serial PRIMARY KEY,
  tree_size bigint NOT NULL,
  root bytea NOT NULL,
  origin text NOT NULL,
  key_id text NOT NULL,
  signed_at timestamptz NOT NULL,
  note text NOT NULL,
  tsa_url text,
  timestamp_token bytea,
  timestamp_time timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_checkpoints_size ON evidence_checkpoints (tree_size, id);

-- Save Page Now submissions (optional), and the Wayback Machine capture each one returned.
CREATE TABLE evidence_archives (
  id serial PRIMARY KEY,
  kind text NOT NULL,
  record_id bigint NOT NULL,
  url text NOT NULL,
  job_id text,
  status text NOT NULL,
  archive_url text,
  archived_at timestamptz,
  detail text,
  requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_archives_record ON evidence_archives (kind, record_id, id);

-- Finding the capture that created a version (its source snapshot) is part of every version's
-- leaf; without this index it is a scan of all captures per version.
CREATE INDEX evidence_captures_version ON captures (version_id) WHERE version_id IS NOT NULL;
