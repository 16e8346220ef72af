// The JSON API and feeds over HTTP: every route is in the OpenAPI document and every response matches its
// schema; pagination, ETags, 400s with what and where, 404s; hashes the reader can check.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Parser } from 'htmlparser2';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { openApiPath } from '../../src/api/routes.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { fillWebFixture, type WebFixture } from '../web/fixture.ts';
import type { Driver } from '../helpers/db.ts';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { loadSigner, type LogSigner } from '../../src/evidence/config.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';

type Doc = { openapi: string; paths: Record<string, { get: { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: object }> }> } }> };

// Both drivers are covered by test/web/pages.test.ts; the API's own queries run here on each as well.
for (const driver of ['pglite', 'postgres'] as Driver[]) {
  describe(`${driver}: API`, () => {
    let f: WebFixture;
    let s: WebServer;
    let doc: Doc;
    let ajv: Ajv2020;
    let keyDir: string;
    let signer: LogSigner;
    const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

    /** Validates a 200 JSON body against the schema the OpenAPI document gives for that path. */
    async function checked(url: string, template: string): Promise<Record<string, any>> {
      const res = await get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = res.json();
      const ok = ajv.validate({ $ref: `openapi.json#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema` }, body);
      assert.ok(ok, `${url} matches its schema: ${ajv.errorsText(ajv.errors)}`);
      return body;
    }

    before(async () => {
      f = await fillWebFixture(driver);
      keyDir = mkdtempSync(path.join(os.tmpdir(), 'cw-web-key-'));
      signer = loadSigner({ keyPath: path.join(keyDir, 'log-key.pem'), origin: 'clausewatch.test/log' });
      s = await buildServer({ db: f.db, indexer: false, pdf: false, cacheCheckMs: 0, signer });
      doc = (await get('/api/openapi.json')).json() as Doc;
      ajv = new Ajv2020({ strict: false, allErrors: true });
      ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
      ajv.addSchema(doc, 'openapi.json');
    });
    after(async () => {
      await s?.close();
      await f?.drop();
      if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    });

    test('the OpenAPI 3.1 document describes every API and feed route, and compiles', () => {
      assert.equal(doc.openapi, '3.1.0');
      const described = new Set(Object.keys(doc.paths));
      const served = s.routes.filter((r) => r.startsWith('GET /api/v1') || r.startsWith('GET /feeds/')).map((r) => openApiPath(r.slice(4)));
      assert.ok(served.length >= 17, `routes found: ${served.length}`);
      for (const p of served) assert.ok(described.has(p), `${p} is described in /api/openapi.json`);
      // Every operation (monitoring routes add POST and DELETE to some paths, and POST-only paths).
      for (const [p, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item as Record<string, Doc['paths'][string]['get']>)) {
          assert.ok(op.operationId, `${method} ${p} has an operationId`);
          for (const name of p.match(/\{(\w+)\}/g) ?? []) {
            assert.ok(op.parameters.some((x) => x.in === 'path' && `{${x.name}}` === name), `${method} ${p}: path parameter ${name} described`);
          }
          for (const [code, r] of Object.entries(op.responses)) {
            for (const c of Object.values(r.content ?? {})) assert.ok(ajv.getSchema(`openapi.json#/paths/${p.replace(/\//g, '~1')}/${method}/responses/${code}/content`) !== undefined || c.schema, `${p} ${code} has a schema`);
          }
        }
      }
    });

    test('platforms, platform, document, versions, version, text, snapshots, capture, diff, search, changes, status, records: all match their schemas', async () => {
      const list = await checked('/api/v1/platforms', '/api/v1/platforms');
      assert.ok(list.platforms.some((p: { slug: string }) => p.slug === 'murf'), 'murf listed');
      const platform = await checked('/api/v1/platforms/murf', '/api/v1/platforms/{slug}');
      assert.ok(platform.activity.months.length > 0, 'activity by month');
      assert.equal(typeof platform.activity.last_30_days, 'number');
      const evil = await checked('/api/v1/platforms/evil-corp', '/api/v1/platforms/{slug}');
      assert.deepEqual(evil.problems.map((p: { outcome: string }) => p.outcome), ['suspect']);
      const D = recordId('document', f.murf.documentId);
      const d = await checked(`/api/v1/documents/${D}`, '/api/v1/documents/{document}');
      assert.deepEqual(d.source_urls, ['https://murf.ai/resources/terms_of_service/']);
      assert.equal(d.versions, f.murf.versionIds.length);
      assert.match(d.archive_urls[0], /^https:\/\/web\.archive\.org\/web\/\d{14}\//);
      const versions = await checked(`/api/v1/documents/${D}/versions`, '/api/v1/documents/{document}/versions');
      assert.deepEqual(versions.versions.map((v: { record: string }) => v.record), f.murf.versionIds.map((id) => recordId('version', id)));
      const Vid = recordId('version', f.murf.versionIds[2]!);
      const v = await checked(`/api/v1/versions/${Vid}`, '/api/v1/versions/{version}');
      assert.ok(v.snapshots.length >= 1, 'the version has its snapshot');
      await checked(`/api/v1/versions/${Vid}/snapshots`, '/api/v1/versions/{version}/snapshots');
      const text = await get(`/api/v1/versions/${Vid}/text`);
      assert.equal(text.statusCode, 200);
      assert.equal(createHash('sha256').update(text.rawPayload).digest('hex'), v.version.text_sha256, 'the text hashes to its SHA-256');
      assert.equal(text.headers['x-clausewatch-sha256'], v.version.text_sha256);
      const snap = await checked(v.snapshots[0].links.api, '/api/v1/snapshots/{snapshot}');
      const raw = await get(snap.snapshot.links.raw);
      assert.equal(createHash('sha256').update(raw.rawPayload).digest('hex'), snap.snapshot.sha256, 'the raw bytes hash to the snapshot SHA-256');
      await checked(`/api/v1/captures/${snap.snapshot.capture}`, '/api/v1/captures/{capture}');
      const diff = await checked(`/api/v1/diff?from=${recordId('version', f.murf.versionIds[0]!)}&to=${Vid}&context=1`, '/api/v1/diff');
      assert.equal(diff.identical, false);
      assert.ok(diff.rows.some((r: { kind: string }) => r.kind === 'change'), 'a change row');
      const search = await checked('/api/v1/search?q=arbitration&limit=5', '/api/v1/search');
      assert.ok(search.total >= 1, 'found');
      assert.ok(search.results[0].snippet.some((p: { match: boolean }) => p.match), 'snippet marks the match');
      const changes = await checked('/api/v1/changes?platform=murf', '/api/v1/changes');
      assert.ok(changes.changes.length >= 5, 'murf changes');
      await checked(`/api/v1/changes?document=${D}&from=2023-01-01&to=2030-01-01&type=terms-of-service`, '/api/v1/changes');
      const status = await checked('/api/v1/status', '/api/v1/status');
      assert.ok(status.recent_problems.length >= 2, 'failure and suspect listed');
      const rec = await checked(`/api/v1/records/${Vid}`, '/api/v1/records/{id}');
      assert.equal(rec.page, `/versions/${Vid}`);
      await checked('/api/v1', '/api/v1');
    });

    test('cursor pagination walks every version and change exactly once', async () => {
      const D = recordId('document', f.murf.documentId);
      const seen: string[] = [];
      let url: string | null = `/api/v1/documents/${D}/versions?limit=2`;
      while (url) {
        const page: Record<string, any> = await checked(url, '/api/v1/documents/{document}/versions');
        assert.ok(page.versions.length <= 2, 'page size respected');
        seen.push(...page.versions.map((v: { record: string }) => v.record));
        url = page.next_cursor ? `/api/v1/documents/${D}/versions?limit=2&cursor=${page.next_cursor}` : null;
      }
      assert.deepEqual(seen, f.murf.versionIds.map((id) => recordId('version', id)));
      const all = (await checked('/api/v1/changes?limit=200', '/api/v1/changes')).changes.map((c: { version: { record: string } }) => c.version.record);
      const walked: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: Record<string, any> = await checked(`/api/v1/changes?limit=3${cursor ? `&cursor=${cursor}` : ''}`, '/api/v1/changes');
        walked.push(...page.changes.map((c: { version: { record: string } }) => c.version.record));
        cursor = page.next_cursor;
      }
      assert.deepEqual(walked, all);
      const p1 = await checked('/api/v1/platforms?limit=1', '/api/v1/platforms');
      const p2 = await checked(`/api/v1/platforms?limit=1&cursor=${p1.next_cursor}`, '/api/v1/platforms');
      assert.notEqual(p1.platforms[0].slug, p2.platforms[0].slug);
    });

    test('evidence: bundles verify offline with the published key; log entries and citations match their schemas', async () => {
      const V = recordId('version', f.murf.versionIds[1]!);
      const res = await get(`/api/v1/versions/${V}/evidence`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.match(String(res.headers['content-disposition']), new RegExp(`${V}\\.evidence\\.json`));
      const check = verifyBundle(res.json(), { trustedKey: signer.verifierKey });
      assert.ok(check.ok, `the bundle verifies: ${JSON.stringify(check.checks.filter((c) => !c.ok))}`);
      const S = recordId('snapshot', (await f.db.query<{ id: number }>('SELECT id FROM snapshots ORDER BY id LIMIT 1'))[0]!.id);
      const snapBundle = await get(`/snapshots/${S}/evidence`);
      assert.equal(snapBundle.statusCode, 200);
      assert.ok(verifyBundle(snapBundle.json(), { trustedKey: signer.verifierKey }).ok, 'the snapshot bundle verifies');
      const log = await checked(`/api/v1/records/${V}/log`, '/api/v1/records/{id}/log');
      assert.ok(Array.isArray(log.inclusionProof), 'after the export a checkpoint covers the record: an inclusion proof is given');
      const cites = await checked(`/api/v1/versions/${V}/citation`, '/api/v1/versions/{version}/citation');
      assert.match(cites.citations.bibtex, /@misc/);
      assert.ok(cites.citations.text.includes(V), 'the citation names the record');
      const page = await get(`/versions/${V}`);
      assert.match(page.body, /<h2 id="evidence-h">Evidence<\/h2>/);
      assert.match(page.body, /leaf <strong>\d+<\/strong>/);
      assert.match(page.body, /Inclusion proof \(\d+ hashes\)/);
      assert.match(page.body, /Cite this version/);
      assert.ok(page.body.includes(`verify-evidence ${V}.evidence.json --key &#39;${signer.verifierKey}&#39;`), 'the verification command carries the public key');
      assert.equal((await get('/api/v1/versions/CW-V-999999/evidence')).statusCode, 404);
      assert.equal((await get('/api/v1/records/CW-D-000001/log')).statusCode, 400);
      const keyless = await buildServer({ db: f.db, indexer: false, pdf: false });
      try {
        const r = await keyless.app.inject(`/api/v1/versions/${V}/evidence`);
        assert.equal(r.statusCode, 503);
        assert.match(r.json().error.message, /does not hold the evidence log's key/);
      } finally {
        await keyless.close();
      }
    });

    test('gzip: cached responses are compressed once, with their own ETag', async () => {
      const plain = await get('/api/v1/platforms/murf');
      const gz = await get('/api/v1/platforms/murf', { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gz.headers.vary, 'Accept-Encoding');
      assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
      assert.notEqual(gz.headers.etag, plain.headers.etag);
      assert.equal((await get('/api/v1/platforms/murf', { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) })).statusCode, 304);
      const html = await get('/', { 'accept-encoding': 'gzip' });
      assert.equal(html.headers['content-encoding'], 'gzip');
      assert.match(gunzipSync(html.rawPayload).toString(), /<!doctype html>/);
    });

    test('ETags: If-None-Match answers 304; CORS for the API', async () => {
      const first = await get('/api/v1/platforms/murf');
      const etag = String(first.headers.etag);
      assert.match(etag, /^"/);
      assert.equal(first.headers['access-control-allow-origin'], '*');
      assert.equal((await get('/api/v1/platforms/murf', { 'if-none-match': etag })).statusCode, 304);
      assert.equal((await get('/api/v1/platforms/murf', { 'if-none-match': '"other"' })).statusCode, 200);
    });

    test('bad parameters are 400s naming the parameter and where; unknown records are 404s', async () => {
      const cases: [string, number, RegExp, string?][] = [
        ['/api/v1/platforms?limit=0', 400, /query parameter "limit" must be >= 1/, 'query parameter limit'],
        ['/api/v1/platforms?limit=abc', 400, /query parameter "limit" must be integer/, 'query parameter limit'],
        ['/api/v1/platforms?colour=red', 400, /unknown query parameter "colour"/, 'query parameter colour'],
        ['/api/v1/platforms?cursor=bm9wZQ', 400, /not a cursor this API made/, 'query parameter cursor'],
        ['/api/v1/versions/42', 400, /path segment "version" is not valid \(a version record id, e\.g\. CW-V-000123\)/, 'path segment version'],
        ['/api/v1/diff?from=CW-V-000001', 400, /missing query parameter "to"/, 'query parameter to'],
        [`/api/v1/diff?from=CW-V-000001&to=${recordId('version', f.evil.versionIds[0]!)}`, 400, /different documents/],
        ['/api/v1/search', 400, /missing query parameter "q"/, 'query parameter q'],
        ['/api/v1/search?q=x&from=2024-02-30x', 400, /query parameter "from" is not valid/],
        ['/api/v1/search?q=x&from=2024-05-01&to=2024-04-01', 400, /is after/],
        ['/api/v1/changes?document=CW-V-000001', 400, /query parameter "document" is not valid/],
        ['/api/v1/records/nonsense', 400, /not a record id/],
        ['/api/v1/platforms/nobody', 404, /no platform "nobody"/],
        ['/api/v1/documents/CW-D-999999', 404, /no document CW-D-999999/],
        ['/api/v1/versions/CW-V-999999', 404, /no version CW-V-999999/],
        ['/api/v1/versions/CW-V-999999/text', 404, /no version/],
        ['/api/v1/snapshots/CW-S-999999/raw', 404, /no snapshot/],
        ['/api/v1/captures/CW-C-999999', 404, /no capture/],
        ['/api/v1/records/CW-V-999999', 404, /no record CW-V-999999/],
        ['/api/v1/nothing', 404, /nothing at \/api\/v1\/nothing/],
      ];
      for (const [url, status, message, where] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, status, `${url} → ${status}: ${res.body}`);
        const body = res.json() as { error: { status: number; message: string; where?: string } };
        assert.ok(ajv.validate({ $ref: 'openapi.json#/components/schemas/Error' }, body), `${url}: error body matches Error`);
        assert.equal(body.error.status, status);
        assert.match(body.error.message, message, url);
        if (where) assert.equal(body.error.where, where, `${url}: where`);
      }
    });

    test('Atom feeds: all changes and per platform, well-formed, absolute links, escaped titles', async () => {
      for (const url of ['/feeds/changes.atom', '/feeds/platforms/murf.atom', '/feeds/platforms/evil-corp.atom']) {
        const res = await get(url, { host: 'clausewatch.test' });
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^application\/atom\+xml/);
        const entries: string[] = [];
        const errors: string[] = [];
        let depth = 0;
        const p = new Parser(
          {
            onopentag: (name, attrs) => {
              depth++;
              if (name === 'entry') entries.push('');
              if (name === 'link' && !String(attrs.href).startsWith('http://clausewatch.test/')) errors.push(`relative link ${attrs.href}`);
            },
            onclosetag: () => depth--,
          },
          { xmlMode: true },
        );
        p.write(res.body);
        p.end();
        assert.deepEqual(errors, [], `${url}: absolute links`);
        assert.equal(depth, 0, `${url}: balanced`);
        assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'), `${url}: an Atom feed`);
        if (url.includes('evil')) {
          assert.ok(!res.body.includes('<script>'), 'hostile names escaped in the feed');
          assert.ok(entries.length >= 1, 'the hostile document changed once');
        } else assert.ok(entries.length >= 5, `${url}: entries`);
      }
      assert.equal((await get('/feeds/platforms/nobody.atom')).statusCode, 404);
    });
  });
}
