-- Full-text search over provision texts for the web app and API (src/web/read/analysis-lists.ts). An
-- expression index over the first 20,000 characters (a provision is a paragraph; a giant one is capped
-- so no vector nears PostgreSQL's 1 MB limit). Entries go straight into the index rather than a pending
-- list that every search would scan.
CREATE INDEX provision_texts_fts ON provision_texts USING gin (to_tsvector('english', left(body, 20000))) WITH (fastupdate = off);
-- Current provisions of a document (provision pages, platform pages, prevalence).
CREATE INDEX provisions_document_current ON provisions (document_id) WHERE removed_version_id IS NULL;
