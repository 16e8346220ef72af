// What each kind of logged record looks like as a leaf, built from the stored rows. The same
// function builds the record when it is appended and rebuilds it when the store is verified, so a
// leaf is, by construction, a function of the rows it logs: any later change to those rows shows.
// Snapshots and versions are built in; other kinds (provisions) register their own builder.

import type { Queryable } from '../store/db.ts';
import { recordId } from '../domain/record-id.ts';
import { validateRecord } from './leaf.ts';
import type { EvidenceRecord } from './leaf.ts';

export interface LogKind {
  /** The record kind in the leaf, e.g. "snapshot". */
  kind: string;
  /** The table whose serial ids are the record ids (a constant, never user input). */
  table: string;
  /** The records with these ids, exactly as their leaves must read; absent ids are missing rows. */
  build(q: Queryable, ids: readonly number[]): Promise<Map<number, EvidenceRecord>>;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** An optional leaf field: kept when the leaf format allows it, left out otherwise (never fails a capture). */
function opt(v: unknown, max = 200): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || CONTROL.test(v)) return undefined;
  return v;
}

function iso(v: unknown): string {
  const d = v instanceof Date ? v : new Date(String(v));
  return d.toISOString();
}

function finish(r: EvidenceRecord): EvidenceRecord {
  const v = validateRecord(r);
  if (!v.ok) throw new Error(`cannot log ${r.id}: ${v.reason}`);
  return v.record;
}

const CREATING_OUTCOMES = `('first', 'changed', 'returned', 'reextraction')`;

interface SnapshotRow {
  id: number;
  capture_id: number;
  url: string;
  fetched_at: Date;
  blob_sha256: string;
  media_type: string;
  platform: string;
  document: string;
}

function snapshotRecord(r: SnapshotRow): EvidenceRecord {
  return finish({
    kind: 'snapshot',
    id: recordId('snapshot', Number(r.id)),
    sha256: r.blob_sha256,
    time: iso(r.fetched_at),
    platform: opt(r.platform),
    document: opt(r.document),
    url: opt(r.url, 4096),
    mediaType: opt(r.media_type),
    parentId: recordId('capture', Number(r.capture_id)),
  });
}

const SNAPSHOT_SELECT = `SELECT s.id, s.capture_id, s.url, s.fetched_at, s.blob_sha256, s.media_type, p.slug AS platform, d.type AS document
  FROM snapshots s JOIN documents d ON d.id = s.document_id JOIN platforms p ON p.id = d.platform_id`;

export const snapshotKind: LogKind = {
  kind: 'snapshot',
  table: 'snapshots',
  async build(q, ids) {
    const rows = await q.query<SnapshotRow>(`${SNAPSHOT_SELECT} WHERE s.id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [Number(r.id), snapshotRecord(r)]));
  },
};

interface VersionRow {
  id: number;
  recorded_at: Date;
  text_sha256: string;
  platform: string;
  document: string;
  capture_id: number | null;
  capture_url: string | null;
  pages: number | string | null;
  snapshot_id: number | null;
  snapshot_sha256: string | null;
}

function versionRecord(r: VersionRow): EvidenceRecord {
  const pages = Number(r.pages ?? 0);
  // A one-page capture names its snapshot, whose bytes a bundle can then carry; a multi-page
  // document names the capture that holds all its pages.
  const single = pages === 1 && r.snapshot_id !== null;
  return finish({
    kind: 'version',
    id: recordId('version', Number(r.id)),
    sha256: r.text_sha256,
    time: iso(r.recorded_at),
    platform: opt(r.platform),
    document: opt(r.document),
    url: opt(r.capture_url, 4096),
    snapshotSha256: single ? (r.snapshot_sha256 ?? undefined) : undefined,
    parentId: single ? recordId('snapshot', Number(r.snapshot_id)) : pages > 1 && r.capture_id !== null ? recordId('capture', Number(r.capture_id)) : undefined,
  });
}

const VERSION_SELECT = `SELECT v.id, v.recorded_at, v.text_sha256, p.slug AS platform, d.type AS document,
    c.id AS capture_id, c.url AS capture_url,
    (SELECT count(*) FROM snapshots sc WHERE sc.capture_id = c.id) AS pages,
    s1.id AS snapshot_id, s1.blob_sha256 AS snapshot_sha256
  FROM versions v JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
  LEFT JOIN LATERAL (SELECT id, url FROM captures WHERE version_id = v.id AND outcome IN ${CREATING_OUTCOMES} ORDER BY id LIMIT 1) c ON true
  LEFT JOIN LATERAL (SELECT id, blob_sha256 FROM snapshots WHERE capture_id = c.id ORDER BY page_index LIMIT 1) s1 ON true`;

export const versionKind: LogKind = {
  kind: 'version',
  table: 'versions',
  async build(q, ids) {
    const rows = await q.query<VersionRow>(`${VERSION_SELECT} WHERE v.id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [Number(r.id), versionRecord(r)]));
  },
};

const kinds = new Map<string, LogKind>([
  [snapshotKind.kind, snapshotKind],
  [versionKind.kind, versionKind],
]);

/** Adds a kind of logged record (e.g. provisions), so that verification can rebuild its leaves. */
export function registerLogKind(k: LogKind): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(k.kind)) throw new Error(`"${k.kind}" is not a record kind`);
  if (!/^[a-z_][a-z0-9_]*$/.test(k.table)) throw new Error(`"${k.table}" is not a table name`);
  kinds.set(k.kind, k);
}

export function logKind(kind: string): LogKind | undefined {
  return kinds.get(kind);
}

export function logKinds(): LogKind[] {
  return [...kinds.values()];
}

/** The records one capture created, in log order: its snapshots, then the version it recorded, if any. */
export async function captureRecords(q: Queryable, captureId: number): Promise<{ kind: string; recordId: number; record: EvidenceRecord }[]> {
  // One query for both kinds (a capture's cost is mostly round trips); rows map onto the same
  // row shapes, and so the same record builders, that verification uses.
  const rows = await q.query<SnapshotRow & VersionRow & { kind: 'snapshot' | 'version'; ord: number; t: Date; sha: string }>(
    `SELECT 'snapshot' AS kind, s.page_index AS ord, s.id, s.capture_id, s.url, s.fetched_at AS t, s.blob_sha256 AS sha, s.media_type,
       p.slug AS platform, d.type AS document, NULL::text AS capture_url, NULL::bigint AS pages, NULL::int AS snapshot_id, NULL::text AS snapshot_sha256
     FROM snapshots s JOIN documents d ON d.id = s.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE s.capture_id = $1
     UNION ALL
     SELECT 'version', -1, v.id, c.id, c.url, v.recorded_at, v.text_sha256, NULL, p.slug, d.type, c.url,
       (SELECT count(*) FROM snapshots sc WHERE sc.capture_id = c.id), s1.id, s1.blob_sha256
     FROM captures c JOIN versions v ON v.id = c.version_id JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     LEFT JOIN LATERAL (SELECT id, blob_sha256 FROM snapshots WHERE capture_id = c.id ORDER BY page_index LIMIT 1) s1 ON true
     WHERE c.id = $1 AND c.outcome IN ${CREATING_OUTCOMES}`,
    [captureId],
  );
  const snaps = rows.filter((r) => r.kind === 'snapshot').sort((a, b) => Number(a.ord) - Number(b.ord));
  const versions = rows.filter((r) => r.kind === 'version');
  return [
    ...snaps.map((r) => ({ kind: 'snapshot', recordId: Number(r.id), record: snapshotRecord({ ...r, fetched_at: r.t, blob_sha256: r.sha }) })),
    ...versions.map((r) => ({ kind: 'version', recordId: Number(r.id), record: versionRecord({ ...r, recorded_at: r.t, text_sha256: r.sha }) })),
  ];
}
