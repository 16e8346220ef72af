// Platforms and documents in the database, created or refreshed from declarations (or from imported datasets).
import type { DocumentRules, PlatformDeclaration } from '../domain/types.ts';
import type { Queryable } from '../store/db.ts';
import { sha256Hex } from './hash.ts';

export interface PlatformRow {
  id: number;
  slug: string;
  name: string;
}
export interface DocumentRow {
  id: number;
  platform_id: number;
  key: string;
  type: string;
  name: string;
}

export function slugify(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || `x-${sha256Hex(text).slice(0, 8)}`;
}

export async function upsertPlatform(
  q: Queryable,
  p: Pick<PlatformDeclaration, 'slug' | 'name'> & Partial<Pick<PlatformDeclaration, 'homepage' | 'jurisdictions' | 'tags'>>,
): Promise<PlatformRow> {
  const rows = await q.query<PlatformRow>(
    `INSERT INTO platforms (slug, name, homepage, jurisdictions, tags) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name,
       homepage = COALESCE(EXCLUDED.homepage, platforms.homepage),
       jurisdictions = CASE WHEN cardinality(EXCLUDED.jurisdictions) > 0 THEN EXCLUDED.jurisdictions ELSE platforms.jurisdictions END,
       tags = CASE WHEN cardinality(EXCLUDED.tags) > 0 THEN EXCLUDED.tags ELSE platforms.tags END
     RETURNING id, slug, name`,
    [p.slug, p.name, p.homepage ?? null, p.jurisdictions ?? [], p.tags ?? []],
  );
  return rows[0]!;
}

export async function upsertDocument(q: Queryable, platformId: number, type: string, name: string): Promise<DocumentRow> {
  const rows = await q.query<DocumentRow>(
    `INSERT INTO documents (platform_id, key, type, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (platform_id, key) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name
     RETURNING id, platform_id, key, type, name`,
    [platformId, slugify(name), type, name],
  );
  return rows[0]!;
}

/** Stores a rule set once per document and returns its id, so each capture names the rules it was extracted with. */
export async function upsertRules(q: Queryable, documentId: number, rules: DocumentRules): Promise<number> {
  const json = JSON.stringify(rules);
  const sha = sha256Hex(json);
  const rows = await q.query<{ id: number }>(
    `INSERT INTO declaration_rules (document_id, sha256, rules) VALUES ($1, $2, $3)
     ON CONFLICT (document_id, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING id`,
    [documentId, sha, json],
  );
  return rows[0]!.id;
}

export async function findPlatform(q: Queryable, slugOrName: string): Promise<PlatformRow | undefined> {
  const rows = await q.query<PlatformRow>(
    'SELECT id, slug, name FROM platforms WHERE slug = $1 OR lower(name) = lower($2) ORDER BY slug = $1 DESC LIMIT 1',
    [slugify(slugOrName), slugOrName],
  );
  return rows[0];
}

export async function findDocuments(q: Queryable, platformId: number, keyOrName?: string): Promise<DocumentRow[]> {
  if (keyOrName === undefined) {
    return q.query<DocumentRow>('SELECT id, platform_id, key, type, name FROM documents WHERE platform_id = $1 ORDER BY key', [platformId]);
  }
  return q.query<DocumentRow>(
    `SELECT id, platform_id, key, type, name FROM documents
     WHERE platform_id = $1 AND (key = $2 OR type = $2 OR lower(name) = lower($3)) ORDER BY key`,
    [platformId, slugify(keyOrName), keyOrName],
  );
}
