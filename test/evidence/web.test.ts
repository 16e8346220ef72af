// The evidence layer on the web, through the real server on a real database: the log key and latest
// checkpoint at well-known URLs, provision bundles (page route and API) that verify against that key,
// provision citations and log entries in the API, and Memento (RFC 7089): TimeMap, TimeGate with
// Accept-Datetime, and the headers of version and document pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb, type TestDb } from '../helpers/db.ts';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { analysePending } from '../../src/analyse/store/index.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { httpDate } from '../../src/evidence/memento.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { paths } from '../../src/web/paths.ts';
import { recordHistory, tempSigner, type History } from './db-fixture.ts';

for (const driver of DRIVERS) {
  describe(`${driver}: evidence on the web`, () => {
    let t: TestDb;
    let s: WebServer;
    let h: History;
    let doc: string;
    let pid: string;
    const signer = tempSigner();
    const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers: { host: 'cw.test', ...headers } });

    before(async () => {
      t = await openTestDb(driver);
      h = await recordHistory(t.db);
      await analysePending(t.db);
      const d = (await t.db.query<{ slug: string; key: string }>('SELECT p.slug, d.key FROM documents d JOIN platforms p ON p.id = d.platform_id WHERE d.id = $1', [h.documentId]))[0]!;
      doc = `/platforms/${d.slug}/${d.key}`;
      const p = (await t.db.query<{ id: number }>('SELECT p.id FROM provisions p JOIN provision_texts x ON x.id = p.current_text_id WHERE x.first_version_id = $1 ORDER BY p.id LIMIT 1', [h.versions[0]]))[0]!;
      pid = recordId('provision', Number(p.id));
      s = await buildServer({ db: t.db, indexer: false, pdf: false, cacheCheckMs: 0, signer });
    });
    after(async () => {
      await s?.close();
      await t?.drop();
    });

    it('publishes the log key and the latest checkpoint at well-known URLs, and provision bundles verify against that key', async () => {
      assert.equal((await get('/.well-known/clausewatch-log/checkpoint')).statusCode, 404, 'nothing signed yet');
      const info = (await get('/.well-known/clausewatch-log')).json();
      assert.equal(info.verifierKey, signer.verifierKey);
      assert.equal(info.keyId, signer.keyId);
      assert.equal(info.checkpoint, null);
      const pem = await get('/.well-known/clausewatch-log/key.pem');
      assert.equal(pem.body, signer.publicKeyPem);
      assert.match(String(pem.headers['content-type']), /^application\/x-pem-file/);

      assert.equal(paths.provisionEvidence(Number(pid.slice(5))), `/provisions/${pid}/evidence`);
      const res = await get(paths.provisionEvidence(Number(pid.slice(5))));
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-disposition']), new RegExp(`${pid}\\.evidence\\.json`));
      const r = verifyBundle(res.body, { trustedKey: info.verifierKey });
      assert.equal(r.ok, true, JSON.stringify(r.checks));
      assert.deepEqual(r.sources?.map((x) => x.id), [recordId('version', h.versions[0]!), recordId('snapshot', h.snapshots[0]!)]);
      // The export signed a checkpoint, now served.
      const note = (await get('/.well-known/clausewatch-log/checkpoint')).body;
      assert.equal(note, res.json().checkpoint);
      assert.equal((await get('/api/v1/log')).json().checkpoint.note, note);

      const inV = await get(paths.provisionEvidence(Number(pid.slice(5)), h.versions[0]!));
      assert.equal(inV.statusCode, 200, inV.body);
      const api = await get(`/api/v1/provisions/${pid}/evidence?version=${recordId('version', h.versions[0]!)}`);
      assert.equal(api.statusCode, 200, api.body);
      assert.equal(verifyBundle(api.body).ok, true);
      assert.equal((await get(`/provisions/${pid}/evidence?version=${recordId('version', h.versions.at(-1)!)}`)).statusCode, 404, 'a version that does not hold it');
      assert.equal((await get(`/provisions/CW-V-000001/evidence`)).statusCode, 400);
      assert.equal((await get('/provisions/CW-P-999999/evidence')).statusCode, 404);

      const cites = (await get(`/api/v1/provisions/${pid}/citation`)).json();
      assert.deepEqual(Object.keys(cites.citations), ['text', 'bluebook', 'bibtex', 'ris', 'csl-json']);
      assert.match(cites.citations.bluebook, /\[https:\/\/web\.archive\.org\/web\/\d{14}\/https:\/\/acme\.test\/privacy\]/, 'the archive link in brackets');
      const sha = (await t.db.query<{ sha: string }>('SELECT x.text_sha256 AS sha FROM provisions p JOIN provision_texts x ON x.id = p.current_text_id WHERE p.id = $1', [Number(pid.slice(5))]))[0]!.sha;
      // Each format: record id, retrieval date (the fetch, 2024-01-…), source URL, archive URL, SHA-256.
      for (const [format, c] of Object.entries(cites.citations) as [string, string][]) {
        for (const part of [pid, 'https://acme.test/privacy', 'https://web.archive.org/web/20240104120000/https://acme.test/privacy', sha]) assert.ok(c.includes(part), `${format} lacks ${part}: ${c}`);
        assert.match(c, /2024|\b2024\b/, `${format} has the retrieval date`);
      }
      const log = (await get(`/api/v1/records/${pid}/log`)).json();
      assert.equal(typeof log.leafIndex, 'number');
      assert.ok(log.inclusionProof.length > 0);

      const keyless = await buildServer({ db: t.db, indexer: false, pdf: false });
      try {
        assert.equal((await keyless.app.inject({ url: '/.well-known/clausewatch-log' })).statusCode, 503);
        assert.equal((await keyless.app.inject({ url: `/provisions/${pid}/evidence` })).statusCode, 503);
      } finally {
        await keyless.close();
      }
    });

    it('answers as Memento: TimeMap, TimeGate by Accept-Datetime, and links on version and document pages', async () => {
      const versions = (await t.db.query<{ id: number; recorded_at: Date }>('SELECT id, recorded_at FROM versions WHERE document_id = $1 ORDER BY recorded_at', [h.documentId])).map((v) => ({ id: recordId('version', Number(v.id)), at: v.recorded_at }));
      assert.ok(versions.length >= 2);
      const map = await get(`${doc}/timemap`);
      assert.equal(map.statusCode, 200);
      assert.match(String(map.headers['content-type']), /^application\/link-format/);
      assert.match(map.body, /^<https:\/\/acme\.test\/privacy>;rel="original",\n/);
      assert.ok(map.body.includes(`<http://cw.test${doc}/timegate>;rel="timegate"`));
      for (const v of versions) assert.ok(map.body.includes(`<http://cw.test/versions/${v.id}>;rel="`) && map.body.includes(`datetime="${httpDate(v.at)}"`), v.id);

      // Between the first and the second version: the first is the one in force.
      const between = new Date((versions[0]!.at.getTime() + versions[1]!.at.getTime()) / 2);
      const gate = await get(`${doc}/timegate`, { 'accept-datetime': httpDate(between) });
      assert.equal(gate.statusCode, 302);
      assert.equal(gate.headers.location, `http://cw.test/versions/${versions[0]!.id}`);
      assert.equal(gate.headers.vary, 'accept-datetime');
      assert.match(String(gate.headers.link), /rel="timemap";type="application\/link-format"/);
      assert.equal((await get(`${doc}/timegate`)).headers.location, `http://cw.test/versions/${versions.at(-1)!.id}`, 'no date: the latest');
      const bad = await get(`${doc}/timegate`, { 'accept-datetime': '2024-01-02' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers.vary, 'accept-datetime');
      assert.match(bad.body, /is not an HTTP date/);
      assert.equal((await get('/platforms/acme/nothing/timegate')).statusCode, 404);

      const page = await get(`/versions/${versions[0]!.id}`);
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['memento-datetime'], httpDate(versions[0]!.at));
      assert.match(String(page.headers.link), new RegExp(`<http://cw\\.test${doc}/timegate>;rel="timegate"`));
      assert.match(String((await get(doc)).headers.link), /rel="original",.*rel="timegate",.*rel="timemap"/);

      const json = (await get(`/api/v1/documents/${recordId('document', h.documentId)}/timemap`)).json();
      assert.deepEqual(json.mementos.map((m: { record: string }) => m.record), versions.map((v) => v.id));
      assert.equal(json.original, 'https://acme.test/privacy');
    });
  });
}
