// The delivery outbox. A sender claims due deliveries with FOR UPDATE SKIP LOCKED, marking them 'sending'
// under a lease (a random token and an expiry) in a short transaction, sends, then marks them sent only if
// it still holds the lease. Concurrent senders skip each other's rows; a sender killed mid-send leaves rows
// whose lease expires and are claimed again. No transaction stays open while the network is used, so the
// embedded single-connection database is never blocked by a slow mail server.
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';

export interface ClaimedDelivery {
  id: number;
  matchId: number;
  userId: number;
  channelId: number;
  kind: 'email' | 'webhook';
  target: string;
  secret: string | null;
  unsubscribeToken: string | null;
  attempts: number;
}

export interface Claim {
  token: string;
  deliveries: ClaimedDelivery[];
}

/** Claims due deliveries of the given channel kinds (email is left queued while no SMTP server is configured). */
export async function claimDue(db: Db, opts: { limit: number; leaseSeconds: number; kinds: ('email' | 'webhook')[]; now?: Date }): Promise<Claim> {
  const token = randomBytes(12).toString('hex');
  const now = opts.now ?? new Date();
  const rows = await db.transaction((tx) =>
    tx.query<{ id: number; match_id: number; user_id: number; channel_id: number; kind: 'email' | 'webhook'; target: string; secret: string | null; unsubscribe_token: string | null; attempts: number }>(
      `WITH due AS (
         SELECT d.id FROM alert_deliveries d
         WHERE ((d.status = 'pending' AND d.due_at <= $1) OR (d.status = 'sending' AND d.lease_until < $1))
           AND EXISTS (SELECT 1 FROM channels k WHERE k.id = d.channel_id AND k.kind = ANY($5::text[]))
           -- a watchlist deleted or an account disabled after the match sends nothing more
           AND EXISTS (SELECT 1 FROM alert_matches m JOIN watchlists w ON w.id = m.watchlist_id JOIN users u ON u.id = m.user_id
                       WHERE m.id = d.match_id AND w.deleted_at IS NULL AND u.disabled_at IS NULL)
         ORDER BY d.due_at, d.id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE alert_deliveries d SET status = 'sending', lease_token = $3, lease_until = $1::timestamptz + make_interval(secs => $4), attempts = d.attempts + 1
       FROM due, channels c WHERE d.id = due.id AND c.id = d.channel_id
       RETURNING d.id, d.match_id, d.user_id, d.channel_id, c.kind, c.target, c.secret, c.unsubscribe_token, d.attempts`,
      [now, opts.limit, token, opts.leaseSeconds, opts.kinds],
    ),
  );
  return {
    token,
    deliveries: rows.map((r) => ({ id: Number(r.id), matchId: Number(r.match_id), userId: Number(r.user_id), channelId: Number(r.channel_id), kind: r.kind, target: r.target, secret: r.secret, unsubscribeToken: r.unsubscribe_token, attempts: Number(r.attempts) })),
  };
}

/** Marks the deliveries sent, if this claim still holds them; returns how many it did. */
export async function markSent(q: Queryable, claimToken: string, ids: number[]): Promise<number> {
  const rows = await q.query(`UPDATE alert_deliveries SET status = 'sent', sent_at = now(), lease_token = NULL, lease_until = NULL, last_error = NULL WHERE id = ANY($1::int[]) AND lease_token = $2 RETURNING id`, [ids, claimToken]);
  return rows.length;
}

/**
 * A failed attempt: retried after an exponential backoff (backoff × 2^(attempts−1), from the database's clock, so
 * the send run that failed it, which claims only what was due when it started, does not retry it at once), or
 * dead (the dead-letter list) after maxAttempts.
 */
export async function markFailed(q: Queryable, claimToken: string, ids: number[], error: string, opts: { maxAttempts: number; backoffMs: number }): Promise<{ retried: number; dead: number }> {
  const rows = await q.query<{ status: string }>(
    `UPDATE alert_deliveries SET
       status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'pending' END,
       due_at = now() + make_interval(secs => $4 * power(2, GREATEST(attempts - 1, 0)) / 1000.0),
       last_error = $5, lease_token = NULL, lease_until = NULL
     WHERE id = ANY($1::int[]) AND lease_token = $2 RETURNING status`,
    [ids, claimToken, opts.maxAttempts, opts.backoffMs, error.slice(0, 500)],
  );
  return { retried: rows.filter((r) => r.status === 'pending').length, dead: rows.filter((r) => r.status === 'dead').length };
}

/** Deliveries that can no longer be sent (channel switched off or removed): skipped, not retried. */
export async function markSkipped(q: Queryable, claimToken: string, ids: number[], reason: string): Promise<void> {
  await q.query(`UPDATE alert_deliveries SET status = 'skipped', last_error = $3, lease_token = NULL, lease_until = NULL WHERE id = ANY($1::int[]) AND lease_token = $2`, [ids, claimToken, reason]);
}

/** The user puts a dead delivery back in the queue. */
export async function retryDead(q: Queryable, userId: number, deliveryId: number): Promise<boolean> {
  const rows = await q.query(`UPDATE alert_deliveries SET status = 'pending', attempts = 0, due_at = now(), last_error = NULL WHERE id = $1 AND user_id = $2 AND status = 'dead' RETURNING id`, [deliveryId, userId]);
  return rows.length > 0;
}
