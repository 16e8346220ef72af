// What citations, mementos and `show` need to know about a record, read from the database:
// where and when it was fetched, its archive link, and its place in the log.

import type { Queryable } from '../store/db.ts';
import { parseRecordId, recordId } from '../domain/record-id.ts';
import { waybackUrl } from './archive.ts';
import type { CitationSource } from './citation.ts';
import { latestCheckpoint, type StoredCheckpoint } from './checkpoint-store.ts';
import { dbLog, leafOf } from './db-log.ts';
import type { Memento } from './memento.ts';
import { archivedCapture } from './save-page-now.ts';

export class RecordNotFound extends Error {}

interface VersionFacts {
  id: number;
  document_id: number;
  recorded_at: Date;
  text_sha256: string;
  document_name: string;
  document_type: string;
  platform_name: string;
  platform_slug: string;
  capture_url: string | null;
  snapshot_id: number | null;
  snapshot_url: string | null;
  fetched_at: Date | null;
}

async function versionFacts(q: Queryable, id: number): Promise<VersionFacts | undefined> {
  const rows = await q.query<VersionFacts>(
    `SELECT v.id, v.document_id, v.recorded_at, v.text_sha256, d.name AS document_name, d.type AS document_type, p.name AS platform_name, p.slug AS platform_slug,
       c.url AS capture_url, s.id AS snapshot_id, coalesce(s.final_url, s.url) AS snapshot_url, s.fetched_at
     FROM versions v JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     LEFT JOIN LATERAL (SELECT id, url FROM captures WHERE version_id = v.id AND outcome IN ('first', 'changed', 'returned', 'reextraction') ORDER BY id LIMIT 1) c ON true
     LEFT JOIN LATERAL (SELECT id, url, final_url, fetched_at FROM snapshots WHERE capture_id = c.id ORDER BY page_index LIMIT 1) s ON true
     WHERE v.id = $1`,
    [id],
  );
  return rows[0];
}

/** The page a document is fetched from, when no capture says it (imported histories): its declared rules. */
async function declaredUrl(q: Queryable, documentId: number): Promise<string | undefined> {
  const rows = await q.query<{ url: string | null }>(
    `SELECT coalesce((SELECT url FROM captures WHERE document_id = $1 AND url IS NOT NULL ORDER BY captured_at DESC, id DESC LIMIT 1),
                     (SELECT rules->'pages'->0->>'url' FROM declaration_rules WHERE document_id = $1 ORDER BY first_seen DESC, id DESC LIMIT 1)) AS url`,
    [documentId],
  );
  return rows[0]?.url ?? undefined;
}

function httpUrl(u: string | null | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const p = new URL(u);
    // href is percent-encoded ASCII: safe in Link headers and citations whatever the declared URL held.
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : undefined;
  } catch {
    return undefined;
  }
}

async function archiveFor(q: Queryable, snapshotId: number | null, url: string | undefined, at: Date): Promise<string | undefined> {
  if (snapshotId !== null) {
    const saved = await archivedCapture(q, Number(snapshotId));
    if (saved) return saved.archiveUrl;
  }
  return url ? waybackUrl(url, at) : undefined;
}

/** Where the catalogue says a platform's document lives: for histories imported without URLs. */
export type DeclaredUrl = (platformSlug: string, documentType: string) => string | undefined;

/** The facts a citation of a version (CW-V-…) or a provision (CW-P-…) needs. */
export async function citationSource(q: Queryable, id: string, opts: { declaredUrl?: DeclaredUrl } = {}): Promise<CitationSource> {
  const parsed = parseRecordId(id);
  if (!parsed || (parsed.kind !== 'version' && parsed.kind !== 'provision')) throw new RecordNotFound(`"${id}" is not a version or provision record id (CW-V-…, CW-P-…)`);
  if (parsed.kind === 'version') {
    const v = await versionFacts(q, parsed.id);
    if (!v) throw new RecordNotFound(`no record ${recordId('version', parsed.id)}`);
    return fromVersion(q, v, { recordId: recordId('version', parsed.id), kind: 'version', sha256: v.text_sha256 }, opts.declaredUrl);
  }
  // Provisions are written by the analysis (src/analyse/store); their tables may not exist yet.
  const exists = (await q.query<{ t: string | null }>(`SELECT to_regclass('provision_texts')::text AS t`))[0]?.t;
  if (!exists) throw new RecordNotFound('provision records are not available in this database');
  const rows = await q.query<{ text_id: number; text_sha256: string; body: string; section: string[] | null; first_version_id: number; latest_version_id: number | null }>(
    `SELECT t.id AS text_id, t.text_sha256, t.body, t.section, t.first_version_id,
       (SELECT max(vp.version_id) FROM version_provisions vp WHERE vp.text_id = t.id) AS latest_version_id
     FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id WHERE p.id = $1`,
    [parsed.id],
  );
  const p = rows[0];
  if (!p) throw new RecordNotFound(`no record ${recordId('provision', parsed.id)}`);
  const v = await versionFacts(q, Number(p.latest_version_id ?? p.first_version_id));
  if (!v) throw new RecordNotFound(`${recordId('provision', parsed.id)}: its version is missing`);
  const section = (p.section ?? []).filter(Boolean).join(' › ') || undefined;
  return fromVersion(q, v, {
    recordId: recordId('provision', parsed.id),
    kind: 'provision',
    sha256: p.text_sha256,
    provision: { section, excerpt: p.body.split(/\s+/).slice(0, 20).join(' ') },
  }, opts.declaredUrl);
}

async function fromVersion(q: Queryable, v: VersionFacts, own: Pick<CitationSource, 'recordId' | 'kind' | 'sha256' | 'provision'>, catalogUrl?: DeclaredUrl): Promise<CitationSource> {
  const sourceUrl =
    httpUrl(v.snapshot_url) ?? httpUrl(v.capture_url) ?? httpUrl(await declaredUrl(q, v.document_id)) ?? httpUrl(catalogUrl?.(v.platform_slug, v.document_type));
  const retrievedAt = v.fetched_at ?? v.recorded_at;
  const src: CitationSource = {
    ...own,
    platform: v.platform_name,
    title: v.document_name,
    versionDate: v.recorded_at,
    retrievedAt,
  };
  if (sourceUrl) src.sourceUrl = sourceUrl;
  const archive = await archiveFor(q, v.snapshot_id, sourceUrl, retrievedAt);
  if (archive) src.archiveUrl = archive;
  if (!own.provision) delete src.provision;
  return src;
}

/** The http(s) address a document is fetched from (its latest capture's, else its declared page), if known. */
export async function originalUrl(q: Queryable, documentId: number): Promise<string | undefined> {
  return httpUrl(await declaredUrl(q, documentId));
}

/** A document's versions as mementos (uriOf maps a version record id to its URI), and its original URL. */
export async function documentMementos(q: Queryable, documentId: number, uriOf: (versionRecordId: string) => string): Promise<{ original?: string; mementos: Memento[] }> {
  const rows = await q.query<{ id: number; recorded_at: Date }>('SELECT id, recorded_at FROM versions WHERE document_id = $1 ORDER BY recorded_at, id', [documentId]);
  const original = httpUrl(await declaredUrl(q, documentId));
  const mementos = rows.map((r) => ({ uri: uriOf(recordId('version', Number(r.id))), datetime: r.recorded_at }));
  return original ? { original, mementos } : { mementos };
}

export interface LogEntryInfo {
  leafIndex: number;
  leafHash: string;
  loggedAt: string;
  /** Present once a checkpoint covers the leaf. */
  checkpoint?: { id: number; size: number; root: string; signedAt: string };
  inclusionProof?: string[];
  archiveUrl?: string;
}

/** A snapshot's, version's or provision's place in the log, with its inclusion proof against the latest checkpoint. */
/** A leaf's log entry, with its inclusion proof when the checkpoint covers it. */
export async function logEntryWithProof(
  q: Queryable,
  leaf: { index: number; leafHash: string; loggedAt: Date },
  cp: Pick<StoredCheckpoint, 'id' | 'size' | 'root' | 'signedAt'> | undefined,
): Promise<LogEntryInfo> {
  const info: LogEntryInfo = { leafIndex: leaf.index, leafHash: leaf.leafHash, loggedAt: leaf.loggedAt.toISOString() };
  if (cp && cp.size > leaf.index) {
    info.checkpoint = { id: cp.id, size: cp.size, root: cp.root.toString('base64'), signedAt: cp.signedAt.toISOString() };
    info.inclusionProof = (await dbLog(q).inclusionProof(leaf.index, cp.size)).map((h) => h.toString('hex'));
  }
  return info;
}

export async function logEntryOf(q: Queryable, id: string): Promise<LogEntryInfo | undefined> {
  const parsed = parseRecordId(id);
  if (!parsed || (parsed.kind !== 'snapshot' && parsed.kind !== 'version' && parsed.kind !== 'provision')) return undefined;
  // A provision is logged once per distinct text: its entry is the leaf of its current text.
  let leafId = parsed.id;
  if (parsed.kind === 'provision') {
    const t = (await q.query<{ text_id: number | null }>('SELECT current_text_id AS text_id FROM provisions WHERE id = $1', [parsed.id]))[0];
    if (!t || t.text_id === null) return undefined;
    leafId = Number(t.text_id);
  }
  const leaf = await leafOf(q, parsed.kind, leafId);
  if (!leaf) return undefined;
  const info = await logEntryWithProof(q, { index: leaf.index, leafHash: leaf.leafHash.toString('hex'), loggedAt: leaf.loggedAt }, await latestCheckpoint(q));
  if (parsed.kind === 'snapshot') {
    const s = (await q.query<{ url: string; final_url: string | null; fetched_at: Date }>('SELECT url, final_url, fetched_at FROM snapshots WHERE id = $1', [parsed.id]))[0];
    const url = httpUrl(s?.final_url ?? s?.url);
    if (s && url) info.archiveUrl = await archiveFor(q, parsed.id, url, s.fetched_at);
  }
  return info;
}
