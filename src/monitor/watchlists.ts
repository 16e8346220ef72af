// Watchlists and channels of one user: created, listed and deleted only through the owner's id, with the
// plan's limit on monitored platforms enforced in the transaction that writes.
import type { Db, Queryable } from '../store/db.ts';
import { loadTaxonomy, type Taxonomy } from '../analyse/taxonomy.ts';
import type { MonitorConfig } from './config.ts';
import { InputError, type User } from './accounts.ts';
import { MIN_SEVERITIES, type MinSeverity } from './match.ts';
import { newToken } from './secrets.ts';

let taxonomy: Taxonomy | undefined;
export function clauseTaxonomy(): Taxonomy {
  return (taxonomy ??= loadTaxonomy());
}

export interface WatchlistInput {
  name: string;
  platforms: string[];
  clauseTypes?: string[];
  categories?: string[];
  minSeverity?: string;
  mode?: string;
}

export interface Watchlist {
  id: number;
  name: string;
  platforms: { id: number; slug: string; name: string }[];
  clauseTypes: string[];
  categories: string[];
  minSeverity: MinSeverity;
  mode: 'immediate' | 'daily';
  createdAt: Date;
  matches: number;
  feedToken: string;
}

export class PlanLimitError extends InputError {}

async function platformIdsOf(q: Queryable, slugs: string[]): Promise<number[]> {
  const wanted = [...new Set(slugs.map((s) => s.trim()).filter(Boolean))];
  if (!wanted.length) throw new InputError('a watchlist monitors at least one platform', 'platforms');
  const rows = await q.query<{ id: number; slug: string }>('SELECT id, slug FROM platforms WHERE slug = ANY($1::text[])', [wanted]);
  const found = new Map(rows.map((r) => [r.slug, Number(r.id)]));
  const missing = wanted.filter((s) => !found.has(s));
  if (missing.length) throw new InputError(`unknown platform${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 5).map((s) => `"${s.slice(0, 60)}"`).join(', ')}`, 'platforms');
  return wanted.map((s) => found.get(s)!);
}

export function checkFilters(input: Pick<WatchlistInput, 'clauseTypes' | 'categories' | 'minSeverity' | 'mode'>, defaultMode: 'immediate' | 'daily') {
  const tax = clauseTaxonomy();
  const clauseTypes = [...new Set((input.clauseTypes ?? []).map((s) => s.trim()).filter(Boolean))];
  const categories = [...new Set((input.categories ?? []).map((s) => s.trim()).filter(Boolean))];
  const badType = clauseTypes.find((t) => !tax.byId.has(t));
  if (badType) throw new InputError(`unknown clause type "${badType.slice(0, 80)}"`, 'clauseTypes');
  const badCat = categories.find((c) => !tax.categories.some((x) => x.id === c));
  if (badCat) throw new InputError(`unknown category "${badCat.slice(0, 80)}" (categories: ${tax.categories.map((c) => c.id).join(', ')})`, 'categories');
  const minSeverity = (input.minSeverity || 'any') as MinSeverity;
  if (!MIN_SEVERITIES.includes(minSeverity)) throw new InputError(`minimum severity must be one of ${MIN_SEVERITIES.join(', ')}`, 'minSeverity');
  const mode = (input.mode || defaultMode) as 'immediate' | 'daily';
  if (mode !== 'immediate' && mode !== 'daily') throw new InputError('mode must be immediate or daily', 'mode');
  return { clauseTypes, categories, minSeverity, mode };
}

/** Creates a watchlist; returns its id and the secret token of its Atom feed. */
export async function createWatchlist(db: Db, cfg: MonitorConfig, user: User, input: WatchlistInput): Promise<{ id: number; feedToken: string }> {
  if (user.role === 'reader') throw new InputError('readers cannot create watchlists (ask an admin for the analyst role)', 'role');
  const name = (input.name ?? '').trim();
  if (!name || name.length > 100) throw new InputError('a watchlist needs a name of 1 to 100 characters', 'name');
  const f = checkFilters(input, cfg.alertMode);
  const feedToken = newToken('cwf');
  const id = await db.transaction(async (tx) => {
    const platformIds = await platformIdsOf(tx, input.platforms);
    // Lock the user's row so two concurrent creations cannot both pass the plan check.
    await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [user.id]);
    const used = await tx.query<{ p: number }>('SELECT DISTINCT unnest(platform_ids) AS p FROM watchlists WHERE user_id = $1 AND deleted_at IS NULL', [user.id]);
    const all = new Set([...used.map((r) => Number(r.p)), ...platformIds]);
    const plan = cfg.plans.get(user.plan) ?? cfg.plans.get(cfg.defaultPlan)!;
    if (all.size > plan.platforms) {
      throw new PlanLimitError(`the ${plan.name} plan monitors at most ${plan.platforms} platform${plan.platforms === 1 ? '' : 's'}; this watchlist would make ${all.size}`, 'platforms');
    }
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO watchlists (user_id, name, platform_ids, clause_types, categories, min_severity, mode, feed_token)
       VALUES ($1, $2, $3::int[], $4::text[], $5::text[], $6, $7, $8) RETURNING id`,
      [user.id, name, platformIds, f.clauseTypes, f.categories, f.minSeverity, f.mode, feedToken],
    );
    return Number(rows[0]!.id);
  });
  return { id, feedToken };
}

export async function listWatchlists(q: Queryable, userId: number): Promise<Watchlist[]> {
  const rows = await q.query<{ id: number; name: string; platforms: { id: number; slug: string; name: string }[] | null; clause_types: string[]; categories: string[]; min_severity: MinSeverity; mode: 'immediate' | 'daily'; created_at: Date; matches: number; feed_token: string }>(
    `SELECT w.id, w.name, w.feed_token, w.clause_types, w.categories, w.min_severity, w.mode, w.created_at,
       (SELECT json_agg(json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) ORDER BY p.slug) FROM platforms p WHERE p.id = ANY(w.platform_ids)) AS platforms,
       (SELECT count(*)::int FROM alert_matches m WHERE m.watchlist_id = w.id) AS matches
     FROM watchlists w WHERE w.user_id = $1 AND w.deleted_at IS NULL ORDER BY w.id`,
    [userId],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, platforms: r.platforms ?? [], clauseTypes: r.clause_types, categories: r.categories, minSeverity: r.min_severity, mode: r.mode, createdAt: r.created_at, matches: Number(r.matches), feedToken: r.feed_token }));
}

export async function getWatchlist(q: Queryable, userId: number, id: number): Promise<Watchlist | undefined> {
  return (await listWatchlists(q, userId)).find((w) => w.id === id);
}

export async function deleteWatchlist(q: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await q.query('UPDATE watchlists SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING id', [id, userId]);
  // Its alerts stay in the history; those not sent yet are not sent.
  if (rows.length) await q.query(`UPDATE alert_deliveries SET status = 'skipped', last_error = 'watchlist deleted' WHERE status = 'pending' AND match_id IN (SELECT id FROM alert_matches WHERE watchlist_id = $1)`, [id]);
  return rows.length > 0;
}

/** A new feed token for the user's watchlist (the old link stops working). */
export async function rotateFeedToken(q: Queryable, userId: number, id: number): Promise<string | undefined> {
  const token = newToken('cwf');
  const rows = await q.query('UPDATE watchlists SET feed_token = $3 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING id', [id, userId, token]);
  return rows.length ? token : undefined;
}

// --- channels

export interface Channel {
  id: number;
  kind: 'email' | 'webhook';
  target: string;
  active: boolean;
  createdAt: Date;
  dead: number;
}

export async function listChannels(q: Queryable, userId: number): Promise<Channel[]> {
  const rows = await q.query<{ id: number; kind: 'email' | 'webhook'; target: string; active: boolean; created_at: Date; dead: number }>(
    `SELECT c.id, c.kind, c.target, c.active, c.created_at,
       (SELECT count(*)::int FROM alert_deliveries d WHERE d.channel_id = c.id AND d.status = 'dead') AS dead
     FROM channels c WHERE c.user_id = $1 AND c.deleted_at IS NULL ORDER BY c.id`,
    [userId],
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, target: r.target, active: r.active, createdAt: r.created_at, dead: Number(r.dead) }));
}

export function checkWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new InputError(`"${url.slice(0, 100)}" is not a URL`, 'url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InputError('a webhook URL must be http(s)', 'url');
  if (u.username || u.password) throw new InputError('a webhook URL must not carry credentials (the signature authenticates us)', 'url');
  if (u.href.length > 500) throw new InputError('a webhook URL has at most 500 characters', 'url');
  return u.href;
}

/** Adds a webhook; returns its signing secret (shown once to the user, kept to sign). */
export async function addWebhook(db: Db, user: User, url: string): Promise<{ id: number; secret: string }> {
  if (user.role === 'reader') throw new InputError('readers cannot add webhooks (ask an admin for the analyst role)', 'role');
  const target = checkWebhookUrl(url);
  const secret = newToken('whsec');
  return db.transaction(async (tx) => {
    // Lock the user's row so two concurrent additions cannot both pass the limit.
    await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [user.id]);
    const count = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM channels WHERE user_id = $1 AND kind = 'webhook' AND deleted_at IS NULL`, [user.id]);
    if (Number(count[0]!.n) >= 10) throw new InputError('at most 10 webhooks per account', 'url');
    const rows = await tx.query<{ id: number }>(`INSERT INTO channels (user_id, kind, target, secret) VALUES ($1, 'webhook', $2, $3) RETURNING id`, [user.id, target, secret]);
    return { id: Number(rows[0]!.id), secret };
  });
}

export async function setChannelActive(q: Queryable, userId: number, id: number, active: boolean): Promise<boolean> {
  // An unconfirmed address stays off: switching it on would undo the point of confirming it.
  const unconfirmed = await q.query(
    `SELECT 1 FROM channels c JOIN users u ON u.id = c.user_id WHERE c.id = $1 AND c.user_id = $2 AND c.kind = 'email' AND u.email_confirmed_at IS NULL`,
    [id, userId],
  );
  if (active && unconfirmed.length) throw new InputError('confirm your email address first: follow the link we emailed you (or ask for a new one below)', 'channel');
  const rows = await q.query('UPDATE channels SET active = $3 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING id', [id, userId, active]);
  return rows.length > 0;
}

export async function deleteChannel(q: Queryable, userId: number, id: number): Promise<boolean> {
  // The account's email channel stays (it can be switched off); webhooks can be removed.
  const rows = await q.query(`UPDATE channels SET deleted_at = now(), active = false WHERE id = $1 AND user_id = $2 AND kind = 'webhook' AND deleted_at IS NULL RETURNING id`, [id, userId]);
  if (rows.length) await q.query(`UPDATE alert_deliveries SET status = 'skipped', last_error = 'channel removed' WHERE channel_id = $1 AND status = 'pending'`, [id]);
  return rows.length > 0;
}

/** One-click unsubscribe (RFC 8058): switches the email channel off. */
export async function unsubscribe(q: Queryable, token: string): Promise<string | undefined> {
  const rows = await q.query<{ target: string }>(`UPDATE channels SET active = false WHERE unsubscribe_token = $1 RETURNING target`, [token]);
  return rows[0]?.target;
}
