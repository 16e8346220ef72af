// Delivery: signed webhooks to a real loopback receiver that fails its first attempts (retries with
// exponential backoff, then the dead-letter list), two senders at once sending each delivery once (two
// connections to one PostgreSQL database), daily batches, the weekly digest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDb, type Db } from '../../src/store/db.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { createUser, type User } from '../../src/monitor/accounts.ts';
import { addWebhook, createWatchlist } from '../../src/monitor/watchlists.ts';
import { matchAlerts } from '../../src/monitor/matcher.ts';
import { sendDue } from '../../src/monitor/sender.ts';
import { deadLetters } from '../../src/monitor/history.ts';
import { retryDead } from '../../src/monitor/outbox.ts';
import { sendDigests, weekStart } from '../../src/monitor/digest.ts';
import { verifyWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/monitor/webhook.ts';
import { PARAGRAPHS as P, ensureDocument, recordSnapshot, startSmtp, startWebhookServer, termsHtml, testConfig, type TestSmtp } from './fixture.ts';

let t: TestDb;
let smtp: TestSmtp;
let acme: number;
let globex: number;
let step = 0;
const at = () => new Date(Date.UTC(2025, 0, 1 + step++));
const cfg = (env: Record<string, string> = {}) => testConfig({ CLAUSEWATCH_SMTP_URL: smtp.url, CLAUSEWATCH_PLANS: 'monitor:25', ...env });

/** A material change on the document: the arbitration clause comes and goes. */
const hasClause = new Map<number, boolean>();
async function materialChange(doc: number): Promise<void> {
  const withClause = !hasClause.get(doc);
  hasClause.set(doc, withClause);
  await recordSnapshot(t.db, doc, termsHtml(withClause ? [P.ownership, P.training, P.arbitration] : [P.ownership, P.courts]), at());
}

async function userWith(email: string, platforms: string[]): Promise<User> {
  const u = await createUser(t.db, cfg(), { email, password: 'a long enough password', confirmed: true });
  await createWatchlist(t.db, cfg(), u, { name: `${email} list`, platforms });
  return u;
}

before(async () => {
  t = await openTestDb('postgres');
  smtp = await startSmtp();
  acme = await ensureDocument(t.db, 'acme', 'Acme');
  globex = await ensureDocument(t.db, 'globex', 'Globex');
  await recordSnapshot(t.db, acme, termsHtml([P.ownership, P.courts]), at());
  await recordSnapshot(t.db, globex, termsHtml([P.ownership, P.courts]), at());
});

after(async () => {
  await smtp?.close();
  await t?.drop();
});

test('webhooks are signed, retried with exponential backoff, and dead-lettered after the last attempt', async () => {
  const hook = await startWebhookServer(2);
  const dead = await startWebhookServer(1000);
  try {
    const u = await userWith('hooks@example.org', ['acme']);
    const { secret } = await addWebhook(t.db, u, hook.url);
    await addWebhook(t.db, u, dead.url);
    await t.db.query("UPDATE channels SET active = false WHERE user_id = $1 AND kind = 'email'", [u.id]);
    await materialChange(acme);
    await matchAlerts(t.db, cfg());
    const c = cfg({ CLAUSEWATCH_ALLOW_PRIVATE: '1', CLAUSEWATCH_ALERT_BACKOFF_MS: '1000' });
    process.env.CLAUSEWATCH_ALLOW_PRIVATE = '1';
    const first = await sendDue(t.db, c);
    assert.equal(first.retried, 2, 'both receivers failed once');
    const due = await t.db.query<{ wait: number; attempts: number }>("SELECT extract(epoch FROM due_at - now())::float AS wait, attempts FROM alert_deliveries WHERE user_id = $1 AND status = 'pending'", [u.id]);
    assert.ok(due.every((d) => d.attempts === 1 && d.wait > 0.5 && d.wait <= 1), `first backoff about 1 s: ${JSON.stringify(due)}`);
    await t.db.query('UPDATE alert_deliveries SET due_at = now() WHERE user_id = $1', [u.id]);
    await sendDue(t.db, c);
    const due2 = await t.db.query<{ wait: number }>("SELECT extract(epoch FROM due_at - now())::float AS wait FROM alert_deliveries WHERE user_id = $1 AND status = 'pending'", [u.id]);
    assert.ok(due2.every((d) => d.wait > 1.5 && d.wait <= 2), `second backoff about 2 s: ${JSON.stringify(due2)}`);
    await t.db.query('UPDATE alert_deliveries SET due_at = now() WHERE user_id = $1', [u.id]);
    const third = await sendDue(t.db, c);
    assert.equal(third.sent, 1, 'the third attempt reaches the recovered receiver');
    assert.equal(third.dead, 1, 'the other one is dead after 3 attempts');
    assert.deepEqual(hook.requests.map((r) => r.status), [503, 503, 204]);
    const ok = hook.requests[2]!;
    assert.ok(verifyWebhook(secret, { signature: ok.headers[SIGNATURE_HEADER] as string, timestamp: ok.headers[TIMESTAMP_HEADER] as string }, ok.body), 'HMAC-SHA256 signature verifies');
    assert.ok(!verifyWebhook(secret, { signature: ok.headers[SIGNATURE_HEADER] as string, timestamp: ok.headers[TIMESTAMP_HEADER] as string }, ok.body.replace('acme', 'acmf')), 'a changed body does not');
    assert.ok(!verifyWebhook('whsec_other', { signature: ok.headers[SIGNATURE_HEADER] as string, timestamp: ok.headers[TIMESTAMP_HEADER] as string }, ok.body));
    const payload = JSON.parse(ok.body);
    assert.equal(payload.alerts[0].platform.slug, 'acme');
    assert.ok(payload.alerts[0].changes.some((ch: { after: string | null }) => ch.after === P.arbitration), 'after text in the payload');
    assert.match(payload.alerts[0].changes[0].url, /^https:\/\/cw\.test\/r\/CW-P-/);
    const letters = await deadLetters(t.db, u.id);
    assert.equal(letters.length, 1);
    assert.match(letters[0]!.lastError ?? '', /HTTP 503/);
    assert.equal(letters[0]!.channel.target, dead.url);
    assert.ok(await retryDead(t.db, u.id, letters[0]!.id), 'a dead letter can be queued again');
    await t.db.query('UPDATE channels SET active = false WHERE user_id = $1', [u.id]);
    assert.equal((await sendDue(t.db, c)).skipped, 1, 'a switched-off channel skips its deliveries');
  } finally {
    delete process.env.CLAUSEWATCH_ALLOW_PRIVATE;
    await hook.close();
    await dead.close();
  }
});

test('webhooks to private addresses are refused unless CLAUSEWATCH_ALLOW_PRIVATE=1', async () => {
  const hook = await startWebhookServer(0);
  try {
    const u = await userWith('ssrf@example.org', ['globex']);
    await addWebhook(t.db, u, hook.url);
    await t.db.query("UPDATE channels SET active = false WHERE user_id = $1 AND kind = 'email'", [u.id]);
    await materialChange(globex);
    await matchAlerts(t.db, cfg());
    const errors: string[] = [];
    const r = await sendDue(t.db, cfg(), { onError: (e) => errors.push(e) });
    assert.equal(r.retried, 1);
    assert.equal(hook.requests.length, 0);
    assert.match(errors.join('\n'), /127\.0\.0\.1|loopback|private|blocked/i);
    await t.db.query('UPDATE channels SET active = false WHERE user_id = $1', [u.id]);
  } finally {
    await hook.close();
  }
});

test('two senders at once (two connections): every delivery is sent exactly once', async () => {
  const hook = await startWebhookServer(0);
  const dbs: Db[] = [];
  process.env.CLAUSEWATCH_ALLOW_PRIVATE = '1';
  try {
    const before = smtp.messages.length;
    const users: User[] = [];
    for (let i = 0; i < 12; i++) {
      const u = await userWith(`many${i}@example.org`, ['acme', 'globex']);
      await addWebhook(t.db, u, hook.url);
      users.push(u);
    }
    await materialChange(acme);
    await materialChange(globex);
    // Two matchers at once as well: each version is matched once.
    dbs.push(await openDb({ url: t.url }), await openDb({ url: t.url }));
    const [m1, m2] = await Promise.all(dbs.map((db) => matchAlerts(db, cfg())));
    assert.ok(m1!.matches + m2!.matches >= 24);
    const mine = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_matches WHERE user_id = ANY($1::int[])', [users.map((u) => u.id)]);
    assert.equal(mine[0]!.n, 24, 'two changes × 12 watchlists');
    assert.equal(m1!.deliveries + m2!.deliveries, 48, 'each to an email and a webhook');
    const errors: string[] = [];
    const [a, b] = await Promise.all(dbs.map((db) => sendDue(db, cfg({ CLAUSEWATCH_ALLOW_PRIVATE: '1' }), { limit: 5, onError: (e) => errors.push(e) })));
    assert.deepEqual(errors, []);
    assert.equal(a!.sent + b!.sent, 48);
    assert.ok(a!.sent > 0 && b!.sent > 0, `both senders worked: ${a!.sent} + ${b!.sent}`);
    await smtp.waitFor(before + 12);
    await new Promise((r) => setTimeout(r, 200));
    const mails = smtp.messages.slice(before);
    // A user may get two emails (their deliveries fell in two claimed batches), never one delivery twice.
    const mailed = mails.flatMap((m) => /^<alert-([\d-]+)@clausewatch>$/.exec(m.messageId ?? '')![1]!.split('-').map(Number));
    assert.equal(new Set(mailed).size, mailed.length, 'no email delivery twice');
    assert.equal(mailed.length, 24);
    const delivered = hook.requests.flatMap((r) => JSON.parse(r.body).deliveries as number[]);
    assert.equal(new Set(delivered).size, delivered.length, 'no webhook delivery twice');
    assert.equal(delivered.length, 24);
    const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM alert_deliveries WHERE status <> 'sent' AND user_id = ANY($1::int[])", [users.map((u) => u.id)]);
    assert.equal(rows[0]!.n, 0);
    await t.db.query('UPDATE channels SET active = false WHERE user_id = ANY($1::int[])', [users.map((u) => u.id)]);
  } finally {
    delete process.env.CLAUSEWATCH_ALLOW_PRIVATE;
    for (const db of dbs) await db.close();
    await hook.close();
  }
});

// A sender killed mid-send, and restarted: test/monitor/run.test.ts (the main job itself is killed).

test('the weekly digest: changes grouped by platform, a line when nothing changed, once per week', async () => {
  const both = await userWith('digest@example.org', ['acme', 'globex']);
  const quiet = await createUser(t.db, cfg(), { email: 'quiet@example.org', password: 'a long enough password', confirmed: true });
  await ensureDocument(t.db, 'initech', 'Initech');
  await createWatchlist(t.db, cfg(), quiet, { name: 'nothing happens', platforms: ['initech'] });
  await materialChange(acme);
  await materialChange(globex);
  await matchAlerts(t.db, cfg());
  await t.db.query('UPDATE channels SET active = false WHERE user_id <> ALL($1::int[])', [[both.id, quiet.id]]);
  const before = smtp.messages.length;
  const week = weekStart(new Date());
  const d = await sendDigests(t.db, cfg(), { week });
  assert.equal(d.sent, 2);
  assert.equal(d.empty, 1);
  await smtp.waitFor(before + 2);
  const mails = smtp.messages.slice(before);
  const digest = mails.find((m) => !Array.isArray(m.to) && m.to?.text === 'digest@example.org')!;
  const empty = mails.find((m) => !Array.isArray(m.to) && m.to?.text === 'quiet@example.org')!;
  assert.match(digest.subject ?? '', /Weekly digest: 2 material changes on 2 platforms/);
  assert.match(digest.text ?? '', /== Acme \(1\)[\s\S]*== Globex \(1\)/);
  assert.match(empty.text ?? '', /^No material changes in your watchlists in the week of/);
  assert.ok(empty.headerLines.some((h) => h.key === 'list-unsubscribe'));
  assert.equal((await sendDigests(t.db, cfg(), { week })).sent, 0, 'sent once per user and week');
});

test('a daily watchlist batches the day\u2019s alerts into one message at the sending hour', async () => {
  const u = await createUser(t.db, cfg(), { email: 'daily@example.org', password: 'a long enough password', confirmed: true });
  await createWatchlist(t.db, cfg(), u, { name: 'daily', platforms: ['acme', 'globex'], mode: 'daily' });
  await t.db.query('UPDATE channels SET active = false WHERE user_id <> $1', [u.id]);
  await materialChange(acme);
  await materialChange(globex);
  const now = new Date();
  await matchAlerts(t.db, cfg({ CLAUSEWATCH_ALERT_DAILY_HOUR: String((now.getUTCHours() + 2) % 24) }), { now });
  const due = await t.db.query<{ due_at: Date }>('SELECT due_at FROM alert_deliveries WHERE user_id = $1', [u.id]);
  assert.equal(due.length, 2);
  assert.ok(due.every((d) => d.due_at.getTime() > now.getTime() + 3600_000), 'due at the next sending hour');
  assert.equal((await sendDue(t.db, cfg())).sent, 0, 'not before');
  const before = smtp.messages.length;
  const later = new Date(due[0]!.due_at.getTime() + 1000);
  const s = await sendDue(t.db, cfg(), { now: later });
  assert.equal(s.sent, 2);
  assert.equal(s.messages, 1, 'both alerts in one email');
  const [mail] = (await smtp.waitFor(before + 1)).slice(before);
  assert.match(mail!.subject ?? '', /2 material changes in your watchlists \(Acme, Globex\)/);
});
