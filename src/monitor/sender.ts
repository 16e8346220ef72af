// Sends what is due in the outbox: the claimed deliveries are grouped per channel, so one send run makes
// one email (or one webhook call) per channel, carrying every alert due for it.
import type { Db } from '../store/db.ts';
import type { MonitorConfig } from './config.ts';
import { claimDue, markFailed, markSent, markSkipped, type ClaimedDelivery } from './outbox.ts';
import { loadAlerts } from './content.ts';
import { alertMail, webhookPayload } from './render.ts';
import { createMailer, type Mailer } from './mail.ts';
import { WebhookSender } from './webhook.ts';
import { accountLinks } from './links.ts';

export interface SendSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  skipped: number;
  messages: number;
}

export interface SenderDeps {
  mailer?: Mailer;
  webhooks?: WebhookSender;
}

export async function sendDue(db: Db, cfg: MonitorConfig, opts: { limit?: number; now?: Date; deps?: SenderDeps; onError?: (msg: string) => void; /** Stop after claiming about this many deliveries. */ max?: number } = {}): Promise<SendSummary> {
  const mailer = opts.deps?.mailer ?? createMailer(cfg);
  const webhooks = opts.deps?.webhooks ?? new WebhookSender({ timeoutMs: cfg.webhookTimeoutMs, allowPrivate: process.env.CLAUSEWATCH_ALLOW_PRIVATE === '1' });
  const total: SendSummary = { claimed: 0, sent: 0, retried: 0, dead: 0, skipped: 0, messages: 0 };
  // Only what is due when the run starts: a failure in this run is retried by a later run, after its backoff.
  const now = opts.now ?? new Date();
  const deliverGroup = async (group: ClaimedDelivery[], claimToken: string): Promise<void> => {
    const ids = group.map((d) => d.id);
    const ch = group[0]!;
    const active = await db.query<{ active: boolean }>('SELECT active AND deleted_at IS NULL AS active FROM channels WHERE id = $1', [ch.channelId]);
    if (!active[0]?.active) {
      await markSkipped(db, claimToken, ids, 'channel switched off');
      total.skipped += ids.length;
      return;
    }
    try {
      const alerts = await loadAlerts(db, ch.userId, group.map((d) => d.matchId), cfg.publicUrl);
      if (ch.kind === 'email') {
        const links = accountLinks(cfg, ch.unsubscribeToken);
        await mailer.send({ to: ch.target, ...alertMail(alerts, links), unsubscribeUrl: links.unsubscribe, messageId: `<alert-${ids.join('-').slice(0, 120)}@clausewatch>` });
      } else {
        await webhooks.post(ch.target, ch.secret ?? '', ids.join(','), webhookPayload(ids, alerts));
      }
      // Not `total.sent += await …`: the left side would be read before the await, losing concurrent counts.
      const sent = await markSent(db, claimToken, ids);
      total.sent += sent;
      total.messages++;
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      opts.onError?.(`${ch.kind} ${ch.kind === 'email' ? ch.target : new URL(ch.target).host}: ${msg}`);
      const r = await markFailed(db, claimToken, ids, msg, { maxAttempts: cfg.maxAttempts, backoffMs: cfg.backoffMs });
      total.retried += r.retried;
      total.dead += r.dead;
    }
  };
  try {
    while (opts.max === undefined || total.claimed < opts.max) {
      const kinds: ('email' | 'webhook')[] = cfg.smtpUrl || opts.deps?.mailer ? ['email', 'webhook'] : ['webhook'];
      const claim = await claimDue(db, { limit: opts.limit ?? 200, leaseSeconds: cfg.leaseSeconds, kinds, now });
      if (!claim.deliveries.length) break;
      total.claimed += claim.deliveries.length;
      const groups = new Map<number, ClaimedDelivery[]>();
      for (const d of claim.deliveries) {
        let g = groups.get(d.channelId);
        if (!g) groups.set(d.channelId, (g = []));
        g.push(d);
      }
      // Channels are independent: several are served at once (the SMTP transport pools its connections).
      const queue = [...groups.values()];
      const worker = async () => {
        for (let group = queue.shift(); group; group = queue.shift()) await deliverGroup(group, claim.token);
      };
      await Promise.all(Array.from({ length: Math.max(1, cfg.concurrency) }, worker));
    }
  } finally {
    if (!opts.deps?.mailer) mailer.close();
    if (!opts.deps?.webhooks) await webhooks.close();
  }
  return total;
}
