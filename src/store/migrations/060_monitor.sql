-- Monitoring (docs/monitoring.md): accounts, sessions, API tokens, password resets, watchlists, delivery
-- channels, the alert matches (alert history and per-watchlist feeds), the delivery outbox, weekly digests.

CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('reader', 'analyst', 'admin')),
  plan text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- Sessions, API tokens and password resets are stored as their SHA-256 only. Feed and unsubscribe tokens are
-- capability links the owner must see again (feed URL on the page, link in every email): kept as they are.
CREATE TABLE sessions (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  name text NOT NULL,
  prefix text NOT NULL,
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE password_resets (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- An empty clause_types and categories list means every clause type.
CREATE TABLE watchlists (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  name text NOT NULL,
  platform_ids int[] NOT NULL,
  clause_types text[] NOT NULL DEFAULT '{}',
  categories text[] NOT NULL DEFAULT '{}',
  min_severity text NOT NULL CHECK (min_severity IN ('any', 'low', 'medium', 'high')),
  mode text NOT NULL CHECK (mode IN ('immediate', 'daily')),
  feed_token text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX watchlists_user ON watchlists (user_id);

CREATE TABLE channels (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  kind text NOT NULL CHECK (kind IN ('email', 'webhook')),
  target text NOT NULL,
  secret text,
  unsubscribe_token text UNIQUE,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX channels_user ON channels (user_id);

-- The matcher's cursor: every material version it has matched against the watchlists, written in the
-- transaction that writes its matches and deliveries, so a version is matched once whatever the order in
-- which versions get analysed and however many matchers run.
CREATE TABLE alert_scanned_versions (
  version_id int PRIMARY KEY REFERENCES versions(id),
  matches int NOT NULL,
  scanned_at timestamptz NOT NULL DEFAULT now()
);

-- One material change that matched one watchlist: the alert history and the watchlist's feed.
CREATE TABLE alert_matches (
  id serial PRIMARY KEY,
  watchlist_id int NOT NULL REFERENCES watchlists(id),
  user_id int NOT NULL REFERENCES users(id),
  version_id int NOT NULL REFERENCES versions(id),
  severity text NOT NULL,
  types text[] NOT NULL,
  provision_change_ids int[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (watchlist_id, version_id)
);
CREATE INDEX alert_matches_user ON alert_matches (user_id, id);

-- The outbox: one delivery of one match to one channel. Claimed with FOR UPDATE SKIP LOCKED and a lease,
-- so concurrent or restarted senders never send one twice.
CREATE TABLE alert_deliveries (
  id serial PRIMARY KEY,
  match_id int NOT NULL REFERENCES alert_matches(id),
  user_id int NOT NULL REFERENCES users(id),
  channel_id int NOT NULL REFERENCES channels(id),
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'skipped')),
  attempts int NOT NULL DEFAULT 0,
  due_at timestamptz NOT NULL,
  lease_token text,
  lease_until timestamptz,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (match_id, channel_id)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (due_at) WHERE status IN ('pending', 'sending');
CREATE INDEX alert_deliveries_user ON alert_deliveries (user_id, id);

CREATE TABLE digests (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  week_start date NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  lease_token text,
  lease_until timestamptz,
  changes int,
  last_error text,
  sent_at timestamptz,
  UNIQUE (user_id, week_start)
);
