// End to end: an account and a watchlist, a material change recorded and analysed by the real pipeline,
// the alert matched and mailed to a real SMTP server; cosmetic changes and other platforms never alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { createUser } from '../../src/monitor/accounts.ts';
import { createWatchlist } from '../../src/monitor/watchlists.ts';
import { matchAlerts } from '../../src/monitor/matcher.ts';
import { sendDue } from '../../src/monitor/sender.ts';
import { PARAGRAPHS as P, ensureDocument, recordSnapshot, startSmtp, termsHtml, testConfig } from './fixture.ts';

for (const driver of DRIVERS) {
  test(`${driver}: a material change reaches the watcher by email, once; cosmetic changes never alert`, async () => {
    const t = await openTestDb(driver);
    const smtp = await startSmtp();
    try {
      const cfg = testConfig({ CLAUSEWATCH_SMTP_URL: smtp.url });
      const db = t.db;
      const acme = await ensureDocument(db, 'acme', 'Acme <AI>');
      const other = await ensureDocument(db, 'globex', 'Globex');
      const v1 = await recordSnapshot(db, acme, termsHtml([P.ownership, P.courts, P.contact]), new Date('2025-01-01T00:00:00Z'));
      await recordSnapshot(db, other, termsHtml([P.ownership, P.courts]), new Date('2025-01-01T00:00:00Z'));
      const user = await createUser(db, cfg, { email: 'Ana@Example.org', password: 'correct horse battery', confirmed: true });
      await createWatchlist(db, cfg, user, { name: 'Acme disputes and AI', platforms: ['acme'], minSeverity: 'medium' });

      const v2 = await recordSnapshot(db, acme, termsHtml([P.ownership, P.training, P.arbitration, P.contact]), new Date('2025-02-01T00:00:00Z'));
      await recordSnapshot(db, other, termsHtml([P.ownership, P.training, P.arbitration]), new Date('2025-02-01T00:00:00Z'));
      assert.ok(v1 && v2 && v2 !== v1, 'two versions recorded');
      const m = await matchAlerts(db, cfg);
      assert.equal(m.matches, 1, 'one match: the watched platform only');
      assert.equal(m.deliveries, 1);
      assert.deepEqual(await matchAlerts(db, cfg), { versions: 0, matches: 0, deliveries: 0 }, 'matching again finds nothing new');

      const s = await sendDue(db, cfg);
      assert.equal(s.sent, 1);
      const [mail] = await smtp.waitFor(1);
      assert.equal(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '', 'ana@example.org');
      assert.match(mail!.subject ?? '', /Acme <AI>/);
      const text = mail!.text ?? '';
      assert.match(text, /Severity: high/);
      assert.match(text, /Binding arbitration/);
      assert.ok(text.includes(`After: ${P.arbitration}`), 'after text');
      assert.match(text, /https:\/\/cw\.test\/r\/CW-P-\d{6}/, 'links the provision record');
      assert.match(text, /https:\/\/cw\.test\/platforms\/acme\/[^/]+\/diff\?from=CW-V-\d+&to=CW-V-\d+/, 'links the diff');
      assert.ok(mail!.html && mail!.html.includes('Acme &lt;AI&gt;'), 'HTML part escapes names');
      const header = (k: string) => mail!.headerLines.find((h) => h.key === k)?.line ?? '';
      assert.match(header('list-unsubscribe'), /<https:\/\/cw\.test\/unsubscribe\/unsub_[\w-]+>/);
      assert.match(header('list-unsubscribe-post'), /List-Unsubscribe=One-Click/);
      assert.equal((await sendDue(db, cfg)).sent, 0, 'nothing is sent twice');

      // A cosmetic change (punctuation and spacing only) is recorded as a version but never alerts.
      const v3 = await recordSnapshot(db, acme, termsHtml([P.ownership, P.training, P.arbitration.replace(', and', ' and'), P.contact]), new Date('2025-03-01T00:00:00Z'));
      assert.ok(v3, 'the cosmetic edit is a version');
      const material = await db.query<{ material: boolean }>('SELECT material FROM version_analysis WHERE version_id = $1', [v3]);
      assert.equal(material[0]!.material, false, 'analysis calls it cosmetic');
      assert.equal((await matchAlerts(db, cfg)).matches, 0);
      assert.equal((await sendDue(db, cfg)).sent, 0);
      assert.equal(smtp.messages.length, 1);

      // A material change recorded long before its analysis (an import of history) is scanned but alerts nobody.
      await recordSnapshot(db, acme, termsHtml([P.ownership, P.courts, P.contact]), new Date('2025-04-01T00:00:00Z'));
      const old = await matchAlerts(db, testConfig({ CLAUSEWATCH_SMTP_URL: smtp.url, CLAUSEWATCH_ALERT_MAX_AGE_DAYS: '14' }));
      assert.deepEqual(old, { versions: 1, matches: 0, deliveries: 0 });
    } finally {
      await smtp.close();
      await t.drop();
    }
  });
}
