// What an alert says: for each match, the change summary, its clause types and severity, the before and
// after text of each material provision change, and links to the diff and the provision records.
import type { Queryable } from '../store/db.ts';
import { recordId } from '../domain/record-id.ts';
import { paths } from '../web/paths.ts';
import { clauseTaxonomy } from './watchlists.ts';

export interface AlertProvisionChange {
  provision: string;
  kind: string;
  section: string[];
  types: { id: string; title: string }[];
  summary: string;
  before: string | null;
  after: string | null;
  /** Link to the provision record. */
  url: string;
}

export interface Alert {
  matchId: number;
  watchlist: { id: number; name: string };
  platform: { slug: string; name: string };
  document: { key: string; name: string; type: string };
  version: string;
  previousVersion: string | null;
  recordedAt: Date;
  detectedAt: Date;
  severity: string;
  types: { id: string; title: string }[];
  summary: string;
  changes: AlertProvisionChange[];
  /** Absolute links. */
  diffUrl: string;
  versionUrl: string;
}

export async function loadAlerts(q: Queryable, userId: number, matchIds: number[], origin: string): Promise<Alert[]> {
  if (!matchIds.length) return [];
  const tax = clauseTaxonomy();
  const typeOf = (id: string) => ({ id, title: tax.byId.get(id)?.title ?? id });
  const rows = await q.query<{
    id: number; watchlist_id: number; watchlist_name: string; version_id: number; severity: string; types: string[]; provision_change_ids: number[]; created_at: Date;
    recorded_at: Date; previous_id: number | null; summary: string; doc_key: string; doc_name: string; doc_type: string; slug: string; platform_name: string;
  }>(
    `SELECT m.id, m.watchlist_id, w.name AS watchlist_name, m.version_id, m.severity, m.types, m.provision_change_ids, m.created_at,
       v.recorded_at, COALESCE(va.previous_version_id, v.previous_id) AS previous_id, va.summary, d.key AS doc_key, d.name AS doc_name, d.type AS doc_type,
       p.slug, p.name AS platform_name
     FROM alert_matches m JOIN watchlists w ON w.id = m.watchlist_id JOIN versions v ON v.id = m.version_id
     JOIN version_analysis va ON va.version_id = v.id JOIN documents d ON d.id = v.document_id JOIN platforms p ON p.id = d.platform_id
     WHERE m.id = ANY($1::int[]) AND m.user_id = $2 ORDER BY p.slug, v.recorded_at, m.id`,
    [matchIds, userId],
  );
  const changeIds = rows.flatMap((r) => r.provision_change_ids.map(Number));
  const changes = changeIds.length
    ? await q.query<{ id: number; provision_id: number; kind: string; section: string[]; types: string[]; summary: string; before: string | null; after: string | null }>(
        `SELECT c.id, c.provision_id, c.kind, c.section, c.types, c.summary, b.body AS before, a.body AS after
         FROM provision_changes c LEFT JOIN provision_texts b ON b.id = c.before_text_id LEFT JOIN provision_texts a ON a.id = c.after_text_id
         WHERE c.id = ANY($1::int[])`,
        [changeIds],
      )
    : [];
  const byId = new Map(changes.map((c) => [Number(c.id), c]));
  return rows.map((r) => {
    const versionId = Number(r.version_id);
    const prev = r.previous_id === null ? null : Number(r.previous_id);
    return {
      matchId: Number(r.id),
      watchlist: { id: Number(r.watchlist_id), name: r.watchlist_name },
      platform: { slug: r.slug, name: r.platform_name },
      document: { key: r.doc_key, name: r.doc_name, type: r.doc_type },
      version: recordId('version', versionId),
      previousVersion: prev === null ? null : recordId('version', prev),
      recordedAt: r.recorded_at,
      detectedAt: r.created_at,
      severity: r.severity,
      types: r.types.map(typeOf),
      summary: r.summary,
      changes: r.provision_change_ids.map((id) => byId.get(Number(id))).filter((c) => c !== undefined).map((c) => {
        const provision = recordId('provision', Number(c.provision_id));
        return { provision, kind: c.kind, section: c.section, types: c.types.map(typeOf), summary: c.summary, before: c.before, after: c.after, url: `${origin}${paths.record(provision)}` };
      }),
      diffUrl: `${origin}${prev === null ? paths.version(versionId) : paths.diff(r.slug, r.doc_key, prev, versionId)}`,
      versionUrl: `${origin}${paths.version(versionId)}`,
    };
  });
}

/** Groups alerts by platform, in the order given. */
export function byPlatform<T extends { platform: { slug: string; name: string } }>(alerts: T[]): { platform: { slug: string; name: string }; alerts: T[] }[] {
  const groups = new Map<string, { platform: { slug: string; name: string }; alerts: T[] }>();
  for (const a of alerts) {
    let g = groups.get(a.platform.slug);
    if (!g) groups.set(a.platform.slug, (g = { platform: a.platform, alerts: [] }));
    g.alerts.push(a);
  }
  return [...groups.values()];
}
