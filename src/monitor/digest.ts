// The weekly digest: one email per user with every match of their watchlists detected that week (Monday
// 00:00 UTC to the next Monday), grouped by platform, or one line saying nothing changed. Each (user,
// week) is claimed in the digests table under a lease, so concurrent or restarted runs send it once.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { MonitorConfig } from './config.ts';
import { loadAlerts } from './content.ts';
import { digestMail } from './render.ts';
import { createMailer, type Mailer } from './mail.ts';
import { accountLinks } from './links.ts';

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/** The last complete week before `now`. */
export function previousWeek(now: Date): Date {
  return new Date(weekStart(now).getTime() - 7 * 86_400_000);
}

export interface DigestSummary {
  users: number;
  sent: number;
  empty: number;
  failed: number;
  skipped: number;
}

export async function sendDigests(db: Db, cfg: MonitorConfig, opts: { week: Date; mailer?: Mailer; onError?: (m: string) => void }): Promise<DigestSummary> {
  const start = weekStart(opts.week);
  const end = new Date(start.getTime() + 7 * 86_400_000);
  const day = start.toISOString().slice(0, 10);
  const mailer = opts.mailer ?? createMailer(cfg);
  const summary: DigestSummary = { users: 0, sent: 0, empty: 0, failed: 0, skipped: 0 };
  try {
    // Users with a watchlist and an active email channel at a confirmed address; one digest per user per week.
    const users = await db.query<{ id: number; channel_id: number; target: string; unsubscribe_token: string }>(
      `SELECT DISTINCT ON (u.id) u.id, c.id AS channel_id, c.target, c.unsubscribe_token FROM users u
       JOIN channels c ON c.user_id = u.id AND c.kind = 'email' AND c.active AND c.deleted_at IS NULL
       WHERE u.disabled_at IS NULL AND u.email_confirmed_at IS NOT NULL AND EXISTS (SELECT 1 FROM watchlists w WHERE w.user_id = u.id AND w.created_at < $1)
       ORDER BY u.id, c.id`,
      [end],
    );
    for (const u of users) {
      summary.users++;
      const token = randomBytes(12).toString('hex');
      const claimed = await db.query(
        `INSERT INTO digests (user_id, week_start, status, lease_token, lease_until) VALUES ($1, $2::date, 'sending', $3, now() + make_interval(secs => $4))
         ON CONFLICT (user_id, week_start) DO UPDATE SET status = 'sending', lease_token = $3, lease_until = now() + make_interval(secs => $4)
           WHERE digests.status = 'failed' OR (digests.status = 'sending' AND digests.lease_until < now())
         RETURNING id`,
        [u.id, day, token, cfg.leaseSeconds],
      );
      if (!claimed.length) {
        summary.skipped++;
        continue;
      }
      try {
        const ids = await db.query<{ id: number }>(
          `SELECT m.id FROM alert_matches m JOIN watchlists w ON w.id = m.watchlist_id
           WHERE m.user_id = $1 AND w.deleted_at IS NULL AND m.created_at >= $2 AND m.created_at < $3 ORDER BY m.id`,
          [u.id, start, end],
        );
        const alerts = await loadAlerts(db, Number(u.id), ids.map((r) => Number(r.id)), cfg.publicUrl);
        const links = accountLinks(cfg, u.unsubscribe_token);
        await mailer.send({ to: u.target, ...digestMail(alerts, { start, end }, links), unsubscribeUrl: links.unsubscribe, messageId: `<digest-${u.id}-${day}@clausewatch>` });
        await db.query(`UPDATE digests SET status = 'sent', sent_at = now(), changes = $3, lease_token = NULL WHERE id = $1 AND lease_token = $2`, [claimed[0]!.id, token, alerts.length]);
        summary.sent++;
        if (!alerts.length) summary.empty++;
      } catch (err) {
        const msg = (err as Error).message;
        opts.onError?.(`digest for user ${u.id}: ${msg}`);
        await db.query(`UPDATE digests SET status = 'failed', last_error = $3, lease_token = NULL WHERE id = $1 AND lease_token = $2`, [claimed[0]!.id, token, msg.slice(0, 500)]);
        summary.failed++;
      }
    }
  } finally {
    if (!opts.mailer) mailer.close();
  }
  return summary;
}
