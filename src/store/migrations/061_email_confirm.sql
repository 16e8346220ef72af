-- Email confirmation (docs/monitoring.md): a signed-up address gets alerts and digests only once its owner
-- has followed the emailed link (or a password-reset link, which proves the same). Accounts made before this
-- migration, and accounts an admin creates with `clausewatch user add`, count as confirmed.
ALTER TABLE users ADD COLUMN email_confirmed_at timestamptz;
UPDATE users SET email_confirmed_at = created_at;

-- Confirmation links, stored as their SHA-256 only (like password resets); single-use and expiring.
CREATE TABLE email_confirmations (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX email_confirmations_user ON email_confirmations (user_id);
