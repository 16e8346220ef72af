import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { recordText, recordPages, recordFailure, type CapturedPage } from '../../src/record/capture.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { verifyStore } from '../../src/record/verify.ts';
import type { Db } from '../../src/store/db.ts';

const policy = (n: number, extra = '') =>
  ['# Privacy Policy', '', `We collect your data for ${n} purposes.`, '', ...Array.from({ length: 30 }, (_, i) => `- Clause ${i}: we keep records for ${i + 1} days.`), extra]
    .join('\n')
    .trim();

async function freshDocument(db: Db): Promise<number> {
  const p = await upsertPlatform(db, { slug: 'acme', name: 'Acme' });
  return (await upsertDocument(db, p.id, 'privacy-policy', 'Privacy Policy')).id;
}

const at = (day: number) => new Date(Date.UTC(2024, 0, day));
const page = (html: string, day: number): CapturedPage => ({
  url: 'https://acme.test/privacy',
  fetchedAt: at(day),
  mediaType: 'text/html',
  body: Buffer.from(html),
  text: html,
  fetcher: 'http',
});

for (const driver of DRIVERS) {
  test(`${driver}: versions are recorded only when the text differs, and returns point to the earlier version`, async () => {
    const t = await openTestDb(driver);
    try {
      const documentId = await freshDocument(t.db);
      const rec = (text: string, day: number) => recordText(t.db, { documentId, capturedAt: at(day), origin: 'replay', originRef: `f${day}` }, text);
      const first = await rec(policy(1), 1);
      assert.equal(first.outcome, 'first');
      assert.equal((await rec(policy(1), 2)).outcome, 'unchanged');
      const changed = await rec(policy(2), 3);
      assert.equal(changed.outcome, 'changed');
      assert.equal(changed.linesAdded, 1);
      assert.equal(changed.linesRemoved, 1);
      const back = await rec(policy(1), 4);
      assert.equal(back.outcome, 'returned');
      assert.equal(back.returnsToId, first.versionId);
      assert.equal((await rec(policy(1), 4)).outcome, 'duplicate', 'same origin ref is recorded once');
      const versions = await t.db.query<{ kind: string }>('SELECT kind FROM versions ORDER BY id');
      assert.deepEqual(versions.map((v) => v.kind), ['first', 'change', 'return']);
      const texts = await t.db.query('SELECT sha256 FROM texts');
      assert.equal(texts.length, 2, 'a return stores no duplicate text');
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a sudden loss of most of the text is held as suspect, not recorded`, async () => {
    const t = await openTestDb(driver);
    try {
      const documentId = await freshDocument(t.db);
      await recordText(t.db, { documentId, capturedAt: at(1), origin: 'replay' }, policy(1));
      const r = await recordText(t.db, { documentId, capturedAt: at(2), origin: 'replay' }, '# Privacy Policy');
      assert.equal(r.outcome, 'suspect');
      assert.ok(r.suspect);
      const versions = await t.db.query('SELECT id FROM versions');
      assert.equal(versions.length, 1);
      const err = await recordText(t.db, { documentId, capturedAt: at(3), origin: 'replay' }, "We're all mixed up. Refresh this page.");
      assert.equal(err.outcome, 'suspect');
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: identical bytes cost a hash comparison and are stored once`, async () => {
    const t = await openTestDb(driver);
    try {
      const documentId = await freshDocument(t.db);
      const html = `<html><body><main><h1>Privacy</h1>${Array.from({ length: 20 }, (_, i) => `<p>We keep item ${i} for a while.</p>`).join('')}</main></body></html>`;
      const rules = { pages: [{ url: 'https://acme.test/privacy', select: 'main' }] };
      const a = await recordPages(t.db, { documentId, capturedAt: at(1), origin: 'live' }, [page(html, 1)], rules);
      assert.equal(a.outcome, 'first');
      const b = await recordPages(t.db, { documentId, capturedAt: at(2), origin: 'live' }, [page(html, 2)], rules);
      assert.equal(b.outcome, 'unchanged');
      assert.equal(b.fastPath, true);
      assert.equal(b.versionId, a.versionId);
      const blobs = await t.db.query('SELECT sha256 FROM blobs');
      const snaps = await t.db.query('SELECT id FROM snapshots');
      assert.equal(blobs.length, 1);
      assert.equal(snaps.length, 2);
      const noise = await recordPages(t.db, { documentId, capturedAt: at(3), origin: 'live' }, [page(html.replace('<body>', '<body data-build="x9">'), 3)], rules);
      assert.equal(noise.outcome, 'unchanged', 'different bytes, same text');
      assert.equal(noise.fastPath, undefined);
      const missing = await recordPages(t.db, { documentId, capturedAt: at(4), origin: 'live' }, [page('<html><body><p>moved</p></body></html>', 4)], rules);
      assert.equal(missing.outcome, 'failed');
      assert.equal(missing.problem?.kind, 'selector-not-found');
      assert.equal((await verifyStore(t.db)).mismatches.length, 0);
    } finally {
      await t.drop();
    }
  });

  test(`${driver}: a fetch problem is recorded as a failed capture and never becomes a version`, async () => {
    const t = await openTestDb(driver);
    try {
      const documentId = await freshDocument(t.db);
      const r = await recordFailure(t.db, { documentId, capturedAt: at(1), origin: 'live' }, { kind: 'timeout', url: 'https://acme.test/privacy', detail: 'no response within 30 s' });
      assert.equal(r.outcome, 'failed');
      const rows = await t.db.query<{ outcome: string; problem_kind: string }>('SELECT outcome, problem_kind FROM captures');
      assert.deepEqual(rows, [{ outcome: 'failed', problem_kind: 'timeout' }]);
      assert.equal((await t.db.query('SELECT id FROM versions')).length, 0);
    } finally {
      await t.drop();
    }
  });
}
