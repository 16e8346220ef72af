// What the main job calls: matching after every tracking run (so alerts are same-day), and the sender and
// the weekly digest on their own schedules. Never fails the job: problems are reported and retried later.
import { Cron } from 'croner';
import type { Db } from '../store/db.ts';
import { monitorConfig, type MonitorConfig } from './config.ts';
import { matchAlerts } from './matcher.ts';
import { sendDue } from './sender.ts';
import { previousWeek, sendDigests } from './digest.ts';

export const DEFAULT_SEND_SCHEDULE = '*/5 * * * *';
export const DEFAULT_DIGEST_SCHEDULE = '0 7 * * 1';

const log = (s: string) => process.stderr.write(`${s}\n`);

export async function afterTracking(db: Db, cfg: MonitorConfig = monitorConfig()): Promise<void> {
  try {
    const m = await matchAlerts(db, cfg);
    if (m.matches) log(`alerts: ${m.matches} watchlist matches in ${m.versions} material changes, ${m.deliveries} deliveries queued`);
    const s = await sendDue(db, cfg, { onError: (e) => log(`alert delivery failed: ${e}`) });
    if (s.claimed) log(`alerts: ${s.sent} sent in ${s.messages} messages, ${s.retried} to retry, ${s.dead} dead`);
  } catch (err) {
    log(`alerts: ${(err as Error).message} (will be retried)`);
  }
}

/** Starts the sender and digest schedules of the main job; returns a function that stops them. */
export function startMonitorSchedules(db: Db, env: NodeJS.ProcessEnv = process.env): () => void {
  const cfg = monitorConfig(env);
  const send = new Cron(env.CLAUSEWATCH_ALERT_SCHEDULE || DEFAULT_SEND_SCHEDULE, { protect: true }, () => afterTracking(db, cfg));
  const digest = new Cron(env.CLAUSEWATCH_DIGEST_SCHEDULE || DEFAULT_DIGEST_SCHEDULE, { protect: true }, async () => {
    try {
      await matchAlerts(db, cfg);
      const d = await sendDigests(db, cfg, { week: previousWeek(new Date()), onError: (e) => log(`digest: ${e}`) });
      log(`digest: ${d.sent} sent (${d.empty} with no change), ${d.failed} failed`);
    } catch (err) {
      log(`digest: ${(err as Error).message}`);
    }
  });
  return () => {
    send.stop();
    digest.stop();
  };
}
