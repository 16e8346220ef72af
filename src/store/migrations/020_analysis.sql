-- Clause analysis (docs/analysis.md, "Storage"): provisions with an identity that lasts across a
-- document's versions (CW-P-…), each distinct text they had with its clause types and severity, which
-- version holds which provision texts, what changed between consecutive versions, and per-platform
-- AI-training facts and summary. Written by src/analyse/store/ after versions are recorded.

-- One provision of one document, followed through its versions (lineage from matchProvisions).
-- The state columns describe the document's latest analysed version; history is in provision_changes.
CREATE TABLE provisions (
  id serial PRIMARY KEY,
  document_id int NOT NULL REFERENCES documents(id),
  lineage text NOT NULL,
  first_version_id int REFERENCES versions(id),
  first_seen timestamptz,
  last_changed_version_id int REFERENCES versions(id),
  last_changed_on timestamptz,
  removed_version_id int REFERENCES versions(id),
  removed_on timestamptz,
  current_text_id int,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, lineage)
);

-- One row per (provision, distinct text): classified once, whatever number of versions holds it.
-- key is the provision key (section path + normalised text); text_sha256 is over the text's UTF-8 bytes.
CREATE TABLE provision_texts (
  id serial PRIMARY KEY,
  provision_id int NOT NULL REFERENCES provisions(id),
  document_id int NOT NULL REFERENCES documents(id),
  key text NOT NULL,
  text_sha256 text NOT NULL,
  body text NOT NULL,
  section text[] NOT NULL,
  kind text NOT NULL,
  columns text[],
  first_version_id int NOT NULL REFERENCES versions(id),
  language text NOT NULL,
  analysed boolean NOT NULL,
  types jsonb NOT NULL DEFAULT '[]',
  type_ids text[] NOT NULL DEFAULT '{}',
  severity text CHECK (severity IN ('high', 'medium', 'low', 'positive')),
  severity_reasons jsonb NOT NULL DEFAULT '[]',
  model text,
  classified_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provision_id, key, text_sha256)
);
CREATE INDEX provision_texts_document_key ON provision_texts (document_id, key);
CREATE INDEX provision_texts_sha ON provision_texts (text_sha256);

ALTER TABLE provisions ADD CONSTRAINT provisions_current_text FOREIGN KEY (current_text_id) REFERENCES provision_texts(id);

-- Which provision texts a version holds, in document order.
CREATE TABLE version_provisions (
  version_id int NOT NULL REFERENCES versions(id),
  ordinal int NOT NULL,
  provision_id int NOT NULL REFERENCES provisions(id),
  text_id int NOT NULL REFERENCES provision_texts(id),
  PRIMARY KEY (version_id, ordinal)
);
CREATE INDEX version_provisions_text ON version_provisions (text_id);
CREATE INDEX version_provisions_provision ON version_provisions (provision_id, version_id);

-- One row per analysed version: written last, in the transaction that writes everything else, so its
-- presence means the version's analysis is complete.
CREATE TABLE version_analysis (
  version_id int PRIMARY KEY REFERENCES versions(id),
  document_id int NOT NULL REFERENCES documents(id),
  status text NOT NULL CHECK (status IN ('analysed', 'not-analysed', 'empty', 'failed')),
  language text NOT NULL,
  note text,
  provision_count int NOT NULL DEFAULT 0,
  typed_count int NOT NULL DEFAULT 0,
  previous_version_id int REFERENCES versions(id),
  reused_from_version_id int REFERENCES versions(id),
  source_change boolean NOT NULL DEFAULT true,
  material boolean,
  summary text NOT NULL,
  ai_differences jsonb NOT NULL DEFAULT '[]',
  change_counts jsonb NOT NULL DEFAULT '{}',
  model text,
  classified int NOT NULL DEFAULT 0,
  duration_ms int,
  analysed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX version_analysis_document ON version_analysis (document_id, version_id);

-- Provision-level changes of a version against the previous analysed version of its document.
CREATE TABLE provision_changes (
  id serial PRIMARY KEY,
  version_id int NOT NULL REFERENCES versions(id),
  ordinal int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('added', 'removed', 'modified')),
  provision_id int NOT NULL REFERENCES provisions(id),
  before_text_id int REFERENCES provision_texts(id),
  after_text_id int REFERENCES provision_texts(id),
  section text[] NOT NULL,
  types text[] NOT NULL DEFAULT '{}',
  material boolean NOT NULL,
  cosmetic_reason text,
  returned boolean NOT NULL DEFAULT false,
  summary text NOT NULL,
  UNIQUE (version_id, ordinal)
);
CREATE INDEX provision_changes_provision ON provision_changes (provision_id, version_id);

-- Per platform: AI-training facts and summary over the latest analysed version of each document.
-- stale is set in the transaction of every version analysis and cleared by the recomputation.
CREATE TABLE platform_analysis (
  platform_id int PRIMARY KEY REFERENCES platforms(id),
  stale boolean NOT NULL DEFAULT true,
  version_ids int[] NOT NULL DEFAULT '{}',
  ai_training jsonb,
  provision_counts jsonb,
  clause_counts jsonb,
  grade text,
  score real,
  grade_reasons jsonb,
  computed_at timestamptz
);
