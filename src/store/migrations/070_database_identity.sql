-- A random identity per database, so that caches kept outside it (rendered pages on disk) can tell a
-- database that was dropped and refilled from the one they were made for, even at equal sequence values.
CREATE TABLE database_identity (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton)
);
INSERT INTO database_identity DEFAULT VALUES;
