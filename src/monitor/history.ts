// What a user sees of their alerts: each match with its deliveries and their status, newest first,
// and the dead-letter list. Always scoped by the owner's id.
import type { Queryable } from '../store/db.ts';
import { recordId } from '../domain/record-id.ts';

export interface DeliveryView {
  id: number;
  channel: { id: number; kind: string; target: string };
  status: string;
  attempts: number;
  dueAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

export interface AlertView {
  id: number;
  watchlist: { id: number; name: string };
  platform: { slug: string; name: string };
  document: { key: string; name: string };
  version: string;
  versionId: number;
  previousVersionId: number | null;
  severity: string;
  types: string[];
  summary: string;
  detectedAt: Date;
  recordedAt: Date;
  deliveries: DeliveryView[];
}

export async function alertHistory(q: Queryable, userId: number, opts: { limit?: number; before?: number; watchlistId?: number } = {}): Promise<AlertView[]> {
  const rows = await q.query<{
    id: number; watchlist_id: number; watchlist_name: string; slug: string; platform_name: string; doc_key: string; doc_name: string; version_id: number; previous_id: number | null;
    severity: string; types: string[]; summary: string; created_at: Date; recorded_at: Date; deliveries: { id: number; channel_id: number; kind: string; target: string; status: string; attempts: number; due_at: string; sent_at: string | null; last_error: string | null }[] | null;
  }>(
    `SELECT m.id, m.watchlist_id, w.name AS watchlist_name, p.slug, p.name AS platform_name, d.key AS doc_key, d.name AS doc_name, m.version_id,
       COALESCE(va.previous_version_id, v.previous_id) AS previous_id, m.severity, m.types, va.summary, m.created_at, v.recorded_at,
       (SELECT json_agg(json_build_object('id', x.id, 'channel_id', c.id, 'kind', c.kind, 'target', c.target, 'status', x.status, 'attempts', x.attempts,
          'due_at', x.due_at, 'sent_at', x.sent_at, 'last_error', x.last_error) ORDER BY x.id)
        FROM alert_deliveries x JOIN channels c ON c.id = x.channel_id WHERE x.match_id = m.id) AS deliveries
     FROM alert_matches m JOIN watchlists w ON w.id = m.watchlist_id JOIN versions v ON v.id = m.version_id
     JOIN version_analysis va ON va.version_id = v.id JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE m.user_id = $1 AND ($2::int IS NULL OR m.id < $2) AND ($3::int IS NULL OR m.watchlist_id = $3)
     ORDER BY m.id DESC LIMIT $4`,
    [userId, opts.before ?? null, opts.watchlistId ?? null, opts.limit ?? 50],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    watchlist: { id: Number(r.watchlist_id), name: r.watchlist_name },
    platform: { slug: r.slug, name: r.platform_name },
    document: { key: r.doc_key, name: r.doc_name },
    version: recordId('version', Number(r.version_id)),
    versionId: Number(r.version_id),
    previousVersionId: r.previous_id === null ? null : Number(r.previous_id),
    severity: r.severity,
    types: r.types,
    summary: r.summary,
    detectedAt: r.created_at,
    recordedAt: r.recorded_at,
    deliveries: (r.deliveries ?? []).map((d) => ({ id: Number(d.id), channel: { id: Number(d.channel_id), kind: d.kind, target: d.target }, status: d.status, attempts: Number(d.attempts), dueAt: new Date(d.due_at), sentAt: d.sent_at ? new Date(d.sent_at) : null, lastError: d.last_error })),
  }));
}

export async function deadLetters(q: Queryable, userId: number): Promise<(DeliveryView & { matchId: number; summary: string })[]> {
  const rows = await q.query<{ id: number; match_id: number; channel_id: number; kind: string; target: string; status: string; attempts: number; due_at: Date; sent_at: Date | null; last_error: string | null; summary: string }>(
    `SELECT x.id, x.match_id, c.id AS channel_id, c.kind, c.target, x.status, x.attempts, x.due_at, x.sent_at, x.last_error, va.summary
     FROM alert_deliveries x JOIN channels c ON c.id = x.channel_id JOIN alert_matches m ON m.id = x.match_id JOIN version_analysis va ON va.version_id = m.version_id
     WHERE x.user_id = $1 AND x.status = 'dead' ORDER BY x.id DESC LIMIT 200`,
    [userId],
  );
  return rows.map((d) => ({ id: Number(d.id), matchId: Number(d.match_id), summary: d.summary, channel: { id: Number(d.channel_id), kind: d.kind, target: d.target }, status: d.status, attempts: Number(d.attempts), dueAt: d.due_at, sentAt: d.sent_at, lastError: d.last_error }));
}

/** The watchlist whose feed token this is, with its latest matches (for the Atom feed). */
export async function feedOf(q: Queryable, token: string): Promise<{ watchlist: { id: number; name: string; userId: number; createdAt: Date }; alerts: AlertView[] } | undefined> {
  if (!/^cwf_[\w-]{20,60}$/.test(token)) return undefined;
  const w = await q.query<{ id: number; name: string; user_id: number; created_at: Date }>('SELECT id, name, user_id, created_at FROM watchlists WHERE feed_token = $1 AND deleted_at IS NULL', [token]);
  if (!w[0]) return undefined;
  const alerts = await alertHistory(q, Number(w[0].user_id), { watchlistId: Number(w[0].id), limit: 50 });
  return { watchlist: { id: Number(w[0].id), name: w[0].name, userId: Number(w[0].user_id), createdAt: w[0].created_at }, alerts };
}
