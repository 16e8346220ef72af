// Account pages and the monitoring API, through the real server (Fastify inject), on one database filled by
// the real pipeline: CSRF, sessions, plans, email confirmation and password reset by emailed link (real SMTP
// server), sign-up that does not reveal existing accounts, feeds, one-click unsubscribe, and authorization: a user never sees another user's watchlists, alerts or tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { matchAlerts } from '../../src/monitor/matcher.ts';
import { sendDue } from '../../src/monitor/sender.ts';
import { createUser } from '../../src/monitor/accounts.ts';
import { sha256 } from '../../src/monitor/secrets.ts';
import { sendDigests } from '../../src/monitor/digest.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { ParsedMail } from 'mailparser';
import { openApiDocument } from '../../src/api/openapi.ts';
import { MONITOR_ROUTES } from '../../src/api/monitor-routes.ts';
import { openApiPath } from '../../src/api/routes.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PARAGRAPHS as P, ensureDocument, recordSnapshot, startSmtp, termsHtml, testConfig, type TestSmtp } from './fixture.ts';

let t: TestDb;
let s: WebServer;
let smtp: TestSmtp;
let acme: number;
const cfg = () => testConfig({ CLAUSEWATCH_SMTP_URL: smtp.url, CLAUSEWATCH_PLANS: 'free:1,monitor:25' });

class Browser {
  cookies = new Map<string, string>();
  async req(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>) {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString() : undefined;
    const res = await s.app.inject({
      method, url,
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      payload: body,
    });
    const set = res.headers['set-cookie'];
    for (const c of [set ?? []].flat()) {
      const [kv] = c.split(';');
      const [k, ...v] = kv!.split('=');
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k!);
      else this.cookies.set(k!, v.join('='));
    }
    return res;
  }
  /** GETs a page holding a form, then posts the form with that page's CSRF token. */
  async submit(pageUrl: string, action: string, form: Record<string, string | string[]>) {
    const page = await this.req('GET', pageUrl);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(csrf, `${pageUrl} has a CSRF token`);
    return this.req('POST', action, { ...form, _csrf: csrf });
  }
}

const mailsTo = (email: string): ParsedMail[] => smtp.messages.filter((m) => [m.to ?? []].flat().some((a) => a.value.some((v) => v.address === email)));
const confirmLink = (m: ParsedMail | undefined) => /https:\/\/cw\.test(\/account\/confirm\/cwc_[\w-]+)/.exec(m?.text ?? '')?.[1];

/** Signs up, follows the emailed confirmation link, signs in. */
async function signUp(email: string): Promise<Browser> {
  const b = new Browser();
  const res = await b.submit('/account/sign-up', '/account/sign-up', { email, password: 'a long enough password' });
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  assert.match(res.body, /Check your mailbox/);
  const link = confirmLink(mailsTo(email).at(-1));
  assert.ok(link, 'the confirmation mail carries the link');
  assert.equal((await b.req('POST', link)).statusCode, 200);
  assert.equal((await b.submit('/account/sign-in', '/account/sign-in', { email, password: 'a long enough password' })).statusCode, 303);
  return b;
}

async function apiToken(b: Browser, name: string): Promise<string> {
  const res = await b.submit('/account', '/account/tokens', { name });
  const token = /<code class="secret">(cwt_[^<]+)<\/code>/.exec(res.body)?.[1];
  assert.ok(token, 'the new token is shown once');
  return token;
}

const api = (token: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  s.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload } : {}) });

before(async () => {
  t = await openTestDb('pglite');
  smtp = await startSmtp();
  acme = await ensureDocument(t.db, 'acme', 'Acme');
  const globex = await ensureDocument(t.db, 'globex', 'Globex');
  await recordSnapshot(t.db, acme, termsHtml([P.ownership, P.courts]), new Date('2025-01-01T00:00:00Z'));
  await recordSnapshot(t.db, globex, termsHtml([P.ownership, P.courts]), new Date('2025-01-01T00:00:00Z'));
  s = await buildServer({ db: t.db, indexer: false, pdf: false, cache: false, monitor: cfg(), publicUrl: 'https://cw.test' });
});

after(async () => {
  await s?.close();
  await smtp?.close();
  await t?.drop();
});

test('forms need the CSRF token; sessions are HttpOnly cookies; sign in and out', async () => {
  const b = new Browser();
  const form = await b.req('GET', '/account/sign-up');
  assert.match(String(form.headers['set-cookie'] ?? ''), /cw_csrf=[^;]+;.*HttpOnly/i, 'the CSRF secret is in its own HttpOnly cookie');
  assert.match(String(form.headers['set-cookie'] ?? ''), /Secure/i);
  const forged = await b.req('POST', '/account/sign-up', { email: 'mallory@example.org', password: 'a long enough password' });
  assert.equal(forged.statusCode, 403, 'no CSRF token, no account');
  const res = await b.submit('/account/sign-up', '/account/sign-up', { email: 'carol@example.org', password: 'short' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /at least 10 characters/);
  const ok = await b.submit('/account/sign-up', '/account/sign-up', { email: 'carol@example.org', password: 'a long enough password' });
  assert.equal(ok.statusCode, 200);
  assert.doesNotMatch(String(ok.headers['set-cookie'] ?? ''), /cw_session/, 'signing up does not sign in (it would tell new addresses from taken ones)');
  const signedIn = await b.submit('/account/sign-in', '/account/sign-in', { email: 'carol@example.org', password: 'a long enough password' });
  assert.equal(signedIn.statusCode, 303);
  assert.match(String(signedIn.headers['set-cookie']), /cw_session=cws_[^;]+;.*HttpOnly/i);
  assert.match(String(signedIn.headers['set-cookie']), /SameSite=Lax/i);
  assert.match(String(signedIn.headers['set-cookie']), /Secure/i, 'Secure when the public URL is https');
  const page = await b.req('GET', '/account');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /carol@example\.org/);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.doesNotMatch(page.body, /<script/i);
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/, 'the site\u2019s CSP, no script allowed');
  await b.submit('/account', '/account/sign-out', {});
  assert.equal((await b.req('GET', '/account')).statusCode, 303, 'signed out: back to sign-in');
  const bad = await b.submit('/account/sign-in', '/account/sign-in', { email: 'carol@example.org', password: 'not the password' });
  assert.equal(bad.statusCode, 401);
  const again = await b.submit('/account/sign-in', '/account/sign-in', { email: 'Carol@Example.org', password: 'a long enough password' });
  assert.equal(again.statusCode, 303);
  const other = new Browser();
  await other.submit('/account/sign-in', '/account/sign-in', { email: 'carol@example.org', password: 'a long enough password' });
  const wrong = await b.submit('/account', '/account/password', { current: 'not it at all', password: 'a brand new password' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /current password is wrong/);
  const changed = await b.submit('/account', '/account/password', { current: 'a long enough password', password: 'a brand new password' });
  assert.match(changed.body, /Password changed/);
  assert.equal((await b.req('GET', '/account')).statusCode, 200, 'this browser stays signed in');
  assert.equal((await other.req('GET', '/account')).statusCode, 303, 'the other browser is signed out');
});

test('plans limit the monitored platforms; watchlists, alerts and tokens stay with their owner (pages and API)', async () => {
  const ana = await signUp('ana@example.org');
  const bob = await signUp('bob@example.org');
  // The platform page's monitor button lands on the account page with that platform chosen.
  const monitor = await ana.req('GET', '/account/watchlists/new?platform=acme');
  assert.equal(monitor.statusCode, 200);
  assert.match(monitor.body, /<option value="acme" selected>/);
  assert.equal((await ana.req('GET', '/account/watchlists/new?platform=%3Cscript%3E')).statusCode, 400);
  assert.equal((await new Browser().req('GET', '/account/watchlists/new?platform=acme')).statusCode, 303, 'signed out: to the sign-in page');
  const created = await ana.submit('/account', '/account/watchlists', { name: 'Ana watches Acme', platforms: 'acme', minSeverity: 'medium', categories: ['dispute-resolution', 'ai'] });
  assert.equal(created.statusCode, 200, created.body.slice(0, 500));
  assert.match(created.body, /Ana watches Acme/);
  const over = await ana.submit('/account', '/account/watchlists', { name: 'Too many', platforms: 'globex' });
  assert.equal(over.statusCode, 400);
  assert.match(over.body, /free plan monitors at most 1 platform/);
  const unknown = await ana.submit('/account', '/account/watchlists', { name: 'Typo', platforms: 'acme', clauseTypes: 'no-such-type' });
  assert.match(unknown.body, /unknown clause type &quot;no-such-type&quot;/);

  const anaToken = await apiToken(ana, 'script');
  const bobToken = await apiToken(bob, 'bob script');
  assert.equal((await api(undefined, 'GET', '/api/v1/me/watchlists')).statusCode, 401);
  assert.equal((await api('cwt_forged', 'GET', '/api/v1/me/watchlists')).statusCode, 401);
  const mine = (await api(anaToken, 'GET', '/api/v1/me/watchlists')).json();
  assert.equal(mine.watchlists.length, 1);
  const anaWatchlist = mine.watchlists[0].id;
  assert.match(mine.watchlists[0].feed_url, /^https:\/\/cw\.test\/feeds\/watchlists\/cwf_/);
  const bobList = await api(bobToken, 'POST', '/api/v1/me/watchlists', { name: 'Bob watches Globex', platforms: ['globex'], min_severity: 'any' });
  assert.equal(bobList.statusCode, 201, bobList.body);
  const badBody = await api(bobToken, 'POST', '/api/v1/me/watchlists', { name: 'x', platforms: ['acme'], min_severity: 'extreme' });
  assert.equal(badBody.statusCode, 400);
  assert.match(badBody.json().error.where, /body/);

  // A material change on both platforms: each user's alert history holds only their own match.
  await recordSnapshot(t.db, acme, termsHtml([P.ownership, P.training, P.arbitration]), new Date('2025-02-01T00:00:00Z'));
  const globex = (await t.db.query<{ id: number }>("SELECT d.id FROM documents d JOIN platforms p ON p.id = d.platform_id WHERE p.slug = 'globex'"))[0]!.id;
  await recordSnapshot(t.db, Number(globex), termsHtml([P.ownership, P.arbitration]), new Date('2025-02-01T00:00:00Z'));
  const m = await matchAlerts(t.db, cfg());
  assert.equal(m.matches, 2);
  await sendDue(t.db, cfg());
  const anaAlerts = (await api(anaToken, 'GET', '/api/v1/me/alerts')).json();
  const bobAlerts = (await api(bobToken, 'GET', '/api/v1/me/alerts')).json();
  assert.equal(anaAlerts.alerts.length, 1);
  assert.equal(anaAlerts.alerts[0].platform.slug, 'acme');
  assert.equal(anaAlerts.alerts[0].deliveries[0].status, 'sent');
  assert.equal(bobAlerts.alerts.length, 1);
  assert.equal(bobAlerts.alerts[0].platform.slug, 'globex');

  // Every JSON answer matches the schema the OpenAPI document gives for it.
  const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { 'date-time': true } });
  for (const [url, opId] of [['/api/v1/me', 'me'], ['/api/v1/me/watchlists', 'listWatchlists'], ['/api/v1/me/channels', 'listChannels'], ['/api/v1/me/alerts', 'listAlerts'], ['/api/v1/me/dead-letters', 'listDeadLetters'], ['/api/v1/me/tokens', 'listTokens']] as const) {
    const schema = MONITOR_ROUTES.find((r) => r.operationId === opId)!.ok.schema!;
    const body = (await api(anaToken, 'GET', url)).json();
    assert.ok(ajv.validate(schema, body), `${url} matches its schema: ${ajv.errorsText(ajv.errors)}`);
  }

  // Bob, through the API and the pages, cannot see or touch Ana's records.
  assert.equal((await api(bobToken, 'GET', `/api/v1/me/watchlists/${anaWatchlist}`)).statusCode, 404);
  assert.equal((await api(bobToken, 'DELETE', `/api/v1/me/watchlists/${anaWatchlist}`)).statusCode, 404);
  const anaTokens = (await api(anaToken, 'GET', '/api/v1/me/tokens')).json().tokens;
  assert.equal((await api(bobToken, 'DELETE', `/api/v1/me/tokens/${anaTokens[0].id}`)).statusCode, 404);
  const bobTokens = (await api(bobToken, 'GET', '/api/v1/me/tokens')).json().tokens;
  assert.deepEqual(bobTokens.map((x: { name: string }) => x.name), ['bob script']);
  const anaChannels = (await api(anaToken, 'GET', '/api/v1/me/channels')).json().channels;
  assert.equal((await api(bobToken, 'DELETE', `/api/v1/me/channels/${anaChannels[0].id}`)).statusCode, 404);
  const bobPage = await bob.req('GET', '/account');
  assert.doesNotMatch(bobPage.body, /Ana watches Acme|ana@example\.org/);
  assert.doesNotMatch(bobPage.body, new RegExp(mine.watchlists[0].feed_url.split('/').pop().replace('.atom', '')));
  const bobAlertsPage = await bob.req('GET', '/account/alerts');
  assert.doesNotMatch(bobAlertsPage.body, /Ana watches Acme/);
  assert.match(bobAlertsPage.body, /Bob watches Globex/);
  const del = await bob.submit('/account', `/account/watchlists/${anaWatchlist}/delete`, {});
  assert.equal(del.statusCode, 404);
  const revoke = await bob.submit('/account', `/account/tokens/${anaTokens[0].id}/revoke`, {});
  assert.equal(revoke.statusCode, 404);
  assert.equal((await api(anaToken, 'GET', '/api/v1/me/watchlists')).json().watchlists.length, 1, 'Ana\u2019s watchlist is still there');
  assert.equal((await api(anaToken, 'GET', '/api/v1/me')).json().email, 'ana@example.org');

  // The feed: its secret link shows Ana's alert; a wrong link shows nothing.
  const feed = await s.app.inject({ method: 'GET', url: new URL(mine.watchlists[0].feed_url).pathname });
  assert.equal(feed.statusCode, 200);
  assert.match(feed.headers['content-type'] as string, /atom\+xml/);
  assert.match(feed.body, /<entry>[\s\S]*Acme/);
  assert.equal((await s.app.inject({ method: 'GET', url: '/feeds/watchlists/cwf_AAAAAAAAAAAAAAAAAAAAAAAAAAAA.atom' })).statusCode, 404);

  // Readers cannot create watchlists; the admin page is for admins only.
  assert.equal((await ana.req('GET', '/account/admin')).statusCode, 403);
});

test('password reset by emailed link, one-click unsubscribe', async () => {
  const before = smtp.messages.length;
  const b = new Browser();
  await createUser(t.db, cfg(), { email: 'dora@example.org', password: 'the old password 1', confirmed: false });
  const res = await b.submit('/account/reset', '/account/reset', { email: 'dora@example.org' });
  assert.match(res.body, /If an account exists/);
  const nobody = await b.submit('/account/reset', '/account/reset', { email: 'nobody@example.org' });
  assert.match(nobody.body, /If an account exists/, 'same answer for an unknown email');
  const [mail] = (await smtp.waitFor(before + 1)).slice(before);
  const link = /https:\/\/cw\.test(\/account\/reset\/cwr_[\w-]+)/.exec(mail!.text ?? '')?.[1];
  assert.ok(link, 'the email carries the reset link');
  const set = await b.submit(link, link, { password: 'the new password 2' });
  assert.equal(set.statusCode, 303);
  const reuse = await b.submit('/account/reset', link, { password: 'yet another password' });
  assert.equal(reuse.statusCode, 400, 'a link works once');
  const signIn = await new Browser().submit('/account/sign-in', '/account/sign-in', { email: 'dora@example.org', password: 'the new password 2' });
  assert.equal(signIn.statusCode, 303);
  const proven = await t.db.query<{ confirmed: boolean; active: boolean }>(
    "SELECT u.email_confirmed_at IS NOT NULL AS confirmed, c.active FROM users u JOIN channels c ON c.user_id = u.id WHERE u.email = 'dora@example.org'",
  );
  assert.deepEqual(proven, [{ confirmed: true, active: true }], 'a reset by emailed link proves the address too');

  const token = (await t.db.query<{ unsubscribe_token: string }>("SELECT unsubscribe_token FROM channels WHERE target = 'dora@example.org'"))[0]!.unsubscribe_token;
  // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", without cookies or CSRF token.
  const un = await s.app.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
  assert.equal(un.statusCode, 200);
  const active = await t.db.query<{ active: boolean }>("SELECT active FROM channels WHERE target = 'dora@example.org'");
  assert.equal(active[0]!.active, false);
});

test('a signed-up address gets no alert or digest until confirmed by its single-use, expiring link; sign-up does not reveal taken addresses', async () => {
  const doc = await ensureDocument(t.db, 'initech', 'Initech');
  await recordSnapshot(t.db, doc, termsHtml([P.ownership, P.courts]), new Date('2025-01-01T00:00:00Z'));
  const eve = 'eve@example.org';
  const b = new Browser();
  const signed = await b.submit('/account/sign-up', '/account/sign-up', { email: eve, password: 'a long enough password' });
  assert.equal(signed.statusCode, 200);
  const link1 = confirmLink(mailsTo(eve)[0]);
  assert.ok(link1, 'the confirmation mail arrives with its link');
  const stored = await t.db.query<{ token_sha256: string }>('SELECT token_sha256 FROM email_confirmations c JOIN users u ON u.id = c.user_id WHERE u.email = $1', [eve]);
  assert.deepEqual(stored.map((r) => r.token_sha256), [sha256(link1.split('/').pop()!)], 'only the SHA-256 of the token is stored');

  // Signed in but unconfirmed: the page says so, the email channel stays off and cannot be switched on.
  await b.submit('/account/sign-in', '/account/sign-in', { email: eve, password: 'a long enough password' });
  const page = await b.req('GET', '/account');
  assert.match(page.body, /is not confirmed/);
  assert.match(page.body, /Send the link again/);
  const channel = (await t.db.query<{ id: number; active: boolean }>('SELECT id, active FROM channels WHERE target = $1', [eve]))[0]!;
  assert.equal(channel.active, false);
  const on = await b.submit('/account', `/account/channels/${channel.id}/toggle`, {});
  assert.equal(on.statusCode, 400);
  assert.match(on.body, /confirm your email address first/);
  assert.equal((await b.submit('/account', '/account/watchlists', { name: 'Eve watches Initech', platforms: 'initech', minSeverity: 'any' })).statusCode, 200);

  // A material change before confirming: no alert and no digest to the address.
  await recordSnapshot(t.db, doc, termsHtml([P.ownership, P.arbitration]), new Date('2025-02-01T00:00:00Z'));
  assert.equal((await matchAlerts(t.db, cfg())).matches, 1);
  await sendDue(t.db, cfg());
  await sendDigests(t.db, cfg(), { week: new Date() });
  assert.deepEqual(mailsTo(eve).map((m) => m.subject), ['[Clausewatch] Confirm your email address'], 'nothing but the confirmation mail');

  // A second link, expired: refused. The first one confirms, once.
  const resent = await b.submit('/account', '/account/confirm', {});
  assert.match(resent.body, /new confirmation link is on its way/);
  const link2 = confirmLink(mailsTo(eve)[1]);
  assert.ok(link2 && link2 !== link1);
  await t.db.query(`UPDATE email_confirmations SET expires_at = now() - interval '1 minute' WHERE token_sha256 = $1`, [sha256(link2.split('/').pop()!)]);
  assert.equal((await b.req('GET', link2)).statusCode, 404, 'an expired link is refused');
  assert.equal((await b.req('POST', link2)).statusCode, 404);
  const form = await new Browser().req('GET', link1);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<form method="post" action="\/account\/confirm\/cwc_/, 'GET only shows the button (mail scanners confirm nothing)');
  assert.equal((await t.db.query('SELECT 1 FROM users WHERE email = $1 AND email_confirmed_at IS NULL', [eve])).length, 1);
  const done = await new Browser().req('POST', link1);
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /Address confirmed/);
  assert.equal((await new Browser().req('POST', link1)).statusCode, 404, 'a link works once');
  assert.doesNotMatch((await b.req('GET', '/account')).body, /is not confirmed/);

  // After confirming, the next material change reaches the address.
  await recordSnapshot(t.db, doc, termsHtml([P.ownership, P.training, P.arbitration]), new Date('2025-03-01T00:00:00Z'));
  assert.equal((await matchAlerts(t.db, cfg())).matches, 1);
  await sendDue(t.db, cfg());
  const alerts = mailsTo(eve).filter((m) => !/Confirm your email/.test(m.subject ?? ''));
  assert.equal(alerts.length, 1, 'one alert email after confirming');
  assert.match(alerts[0]!.text ?? '', /Initech/);

  // Sign-up with a taken address: the same answer, no session, and the owner gets a note instead.
  const fresh = new Browser();
  const newOne = await fresh.submit('/account/sign-up', '/account/sign-up', { email: 'frank@example.org', password: 'a long enough password' });
  const taken = new Browser();
  const again = await taken.submit('/account/sign-up', '/account/sign-up', { email: 'EVE@example.org', password: 'another long password' });
  assert.equal(again.statusCode, newOne.statusCode);
  assert.equal(again.body, newOne.body, 'the same page whether or not the address has an account');
  assert.deepEqual(Object.keys(again.headers).sort(), Object.keys(newOne.headers).sort());
  assert.equal(String(again.headers['set-cookie'] ?? ''), String(newOne.headers['set-cookie'] ?? ''), 'no cookie set on either answer');
  assert.doesNotMatch(again.body, /already exists/);
  const note = mailsTo(eve).at(-1)!;
  assert.match(note.subject ?? '', /tried to sign up with your address/);
  assert.match(note.text ?? '', /https:\/\/cw\.test\/account\/reset/);
  assert.equal((await new Browser().submit('/account/sign-in', '/account/sign-in', { email: eve, password: 'another long password' })).statusCode, 401, 'the existing password is unchanged');
});

test('every monitoring route is described in the OpenAPI document', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  for (const r of MONITOR_ROUTES) assert.ok(doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()], `${r.method} ${r.url} is described`);
  const served = s.routes.filter((r) => /^(GET|POST|DELETE) \/(api\/v1\/me|feeds\/watchlists)/.test(r));
  assert.equal(served.length, MONITOR_ROUTES.length);
});

test('sign-in attempts are limited per client address', async () => {
  const limited = await buildServer({ db: t.db, indexer: false, pdf: false, cache: false, monitor: testConfig({ CLAUSEWATCH_AUTH_PER_MINUTE: '3' }) });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await limited.app.inject({ method: 'POST', url: '/account/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=ana%40example.org&password=guess' });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [403, 403, 403, 429], 'refused for CSRF first, then throttled');
  } finally {
    await limited.close();
  }
});

test('migration 061 counts the accounts that existed before it as confirmed', async () => {
  // Undo 061 on this file's database, add an account as the old schema made it, and migrate again.
  await t.db.query('DROP TABLE email_confirmations');
  await t.db.query('ALTER TABLE users DROP COLUMN email_confirmed_at');
  await t.db.query('DELETE FROM schema_migrations WHERE version = 61');
  const [old] = await t.db.query<{ id: number }>(`INSERT INTO users (email, password_hash, role, plan) VALUES ('old@example.org', 'x', 'analyst', 'free') RETURNING id`);
  await t.db.query(`INSERT INTO channels (user_id, kind, target, unsubscribe_token) VALUES ($1, 'email', 'old@example.org', 'unsub_old')`, [old!.id]);
  assert.deepEqual(await migrate(t.db), [61]);
  const rows = await t.db.query<{ confirmed: boolean; active: boolean }>(
    "SELECT u.email_confirmed_at IS NOT NULL AS confirmed, c.active FROM users u JOIN channels c ON c.user_id = u.id WHERE u.email = 'old@example.org'",
  );
  assert.deepEqual(rows, [{ confirmed: true, active: true }]);
});
