// Delivery throughput: one real material change matched by 1,000 users' watchlists, each alert sent as its
// own email to an SMTP server on loopback (smtp-server, messages drained, not parsed), then as a signed
// webhook to an HTTP server on loopback. Everything runs in this process on the shared 2 cores.
//   node --import tsx bench/monitor/delivery.bench.ts          (PGlite; BENCH_PG=1 for PostgreSQL too)
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { machine } from '../machine.ts';
import { matchAlerts } from '../../src/monitor/matcher.ts';
import { sendDue } from '../../src/monitor/sender.ts';
import { openTestDb, type Driver } from '../../test/helpers/db.ts';
import { PARAGRAPHS as P, ensureDocument, recordSnapshot, termsHtml, testConfig } from '../../test/monitor/fixture.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

let received = 0;
const smtp = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _s, cb) {
    stream.on('end', () => {
      received++;
      cb();
    });
    stream.resume();
  },
});
await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?pool=true&maxConnections=4&maxMessages=Infinity`;
let hooks = 0;
const hookServer = http.createServer((req, res) => {
  req.resume().on('end', () => {
    hooks++;
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;

async function run(driver: Driver): Promise<void> {
  const t = await openTestDb(driver);
  try {
    const db = t.db;
    const doc = await ensureDocument(db, 'acme', 'Acme');
    await recordSnapshot(db, doc, termsHtml([P.ownership, P.courts, P.contact]), new Date('2025-01-01T00:00:00Z'));
    await db.query(`INSERT INTO users (email, password_hash, role, plan, email_confirmed_at) SELECT 'u' || g || '@bench.invalid', 'x', 'analyst', 'monitor', now() FROM generate_series(1, ${USERS}) g`);
    await db.query(`INSERT INTO channels (user_id, kind, target, unsubscribe_token) SELECT id, 'email', email, 'unsub_' || md5(email) FROM users`);
    await db.query(`INSERT INTO channels (user_id, kind, target, secret, active) SELECT id, 'webhook', $1, 'whsec_bench', false FROM users`, [hookUrl]);
    await db.query(`INSERT INTO watchlists (user_id, name, platform_ids, min_severity, mode, feed_token, created_at) SELECT id, 'bench', ARRAY[(SELECT id FROM platforms WHERE slug = 'acme')], 'any', 'immediate', 'cwf_bench_' || id, now() - interval '1 day' FROM users`);
    await recordSnapshot(db, doc, termsHtml([P.ownership, P.training, P.arbitration, P.contact]), new Date('2025-02-01T00:00:00Z'));
    const cfg = testConfig({ CLAUSEWATCH_SMTP_URL: smtpUrl, CLAUSEWATCH_PLANS: 'monitor:25' });
    const m = await matchAlerts(db, cfg);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const s = await sendDue(db, cfg);
    const took = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    console.log(`${driver}: email: ${s.sent} of ${m.deliveries} deliveries sent as ${s.messages} messages (${received} received) in ${took.toFixed(1)} s → ${(s.messages / took).toFixed(0)} messages/s; process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (SMTP server included)`);
    received = 0;
    // Same alerts to webhooks: switch the email channels off and queue the webhook deliveries.
    await db.query(`UPDATE channels SET active = (kind = 'webhook')`);
    await db.query(`INSERT INTO alert_deliveries (match_id, user_id, channel_id, status, due_at) SELECT m.id, m.user_id, c.id, 'pending', now() FROM alert_matches m JOIN channels c ON c.user_id = m.user_id AND c.kind = 'webhook'`);
    process.env.CLAUSEWATCH_ALLOW_PRIVATE = '1';
    const t1 = performance.now();
    const w = await sendDue(db, cfg);
    const tw = (performance.now() - t1) / 1000;
    console.log(`${driver}: webhooks: ${w.sent} signed POSTs (${hooks} received) in ${tw.toFixed(1)} s → ${(w.messages / tw).toFixed(0)} requests/s`);
    hooks = 0;
  } finally {
    await t.drop();
  }
}

await run('pglite');
if (process.env.BENCH_PG === '1') await run('postgres');
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
smtp.close();
hookServer.close();
