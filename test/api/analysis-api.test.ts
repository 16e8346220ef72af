// The analysis layer in the API and feeds, over a database filled by the real pipeline: every response
// matches the schema the OpenAPI document gives, the JSON says what the pages say, filters and errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { fillAnalysisFixture, provisionWith, type AnalysisFixture } from '../web/analysis-fixture.ts';

describe('analysis API', () => {
  let f: AnalysisFixture;
  let s: WebServer;
  let ajv: Ajv2020;
  let keyDir: string;
  let clause: number;
  const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

  async function checked(url: string, template: string): Promise<Record<string, any>> {
    const res = await get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    const body = res.json();
    const ok = ajv.validate({ $ref: `openapi.json#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema` }, body);
    assert.ok(ok, `${url} matches its schema: ${ajv.errorsText(ajv.errors)}`);
    return body;
  }

  before(async () => {
    f = await fillAnalysisFixture('pglite');
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'cw-analysis-key-'));
    const signer = loadSigner({ keyPath: path.join(keyDir, 'log-key.pem'), origin: 'clausewatch.test/log' });
    s = await buildServer({ db: f.db, indexer: false, pdf: false, cacheCheckMs: 0, signer });
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    ajv.addSchema((await get('/api/openapi.json')).json(), 'openapi.json');
    clause = await provisionWith(f.db, f.docs.get('mistral-ai')!.get('terms-of-service')!, 'We do not use Your Data to train');
  });
  after(async () => {
    await s?.close();
    await f?.drop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  test('provision record: the page\'s content as JSON, prevalence consistent, unconfirmed marks kept, ETag', async () => {
    const rid = recordId('provision', clause);
    const b = await checked(`/api/v1/provisions/${rid}`, '/api/v1/provisions/{provision}');
    assert.equal(b.record, rid);
    assert.equal(b.title, 'Your content is used to train AI models');
    assert.equal(b.severity, 'high');
    assert.equal(b.prevalence.clause_type, 'ai-training-on-user-content');
    assert.equal(b.prevalence.found, b.prevalence.others_total + 1);
    assert.ok(b.prevalence.others.some((o: any) => o.platform.slug === 'nimbus'));
    assert.ok(b.what_you_can_do.opt_out_steps.some((x: any) => x.surface === 'web' && x.steps.includes('Select Le Chat under the Manage section.')));
    assert.ok(b.what_you_can_do.actions.every((a: any) => b.types.some((t: any) => t.id === a.clause_type)), 'actions only for the provision\'s own types');
    assert.ok(b.regulations.length && b.regulators.length);
    assert.ok(b.regulations.every((r: any) => typeof r.confirmed === 'boolean'));
    assert.ok(b.history.some((h: any) => h.material));
    assert.ok(b.citations.bluebook.includes(rid));
    assert.equal(b.links.evidence_bundle, `/provisions/${rid}/evidence`);
    const page = (await get(`/provisions/${rid}`)).body;
    assert.ok(page.includes(`Found in <strong>${b.prevalence.found}</strong> of ${b.prevalence.of} analysed platforms`), 'page and API agree');
    const res = await get(`/api/v1/provisions/${rid}`);
    assert.equal((await get(`/api/v1/provisions/${rid}`, { 'if-none-match': String(res.headers.etag) })).statusCode, 304);
    assert.equal((await get('/api/v1/provisions/CW-P-999999')).statusCode, 404);
    assert.equal((await get(`/api/v1/records/${rid}`)).json().api, `/api/v1/provisions/${rid}`);
  });

  test('evidence bundle route of a provision (the evidence layer makes the bundle)', async () => {
    const res = await get(`/provisions/${recordId('provision', clause)}/evidence`);
    assert.ok([200, 409].includes(res.statusCode), `status ${res.statusCode}: ${res.body.slice(0, 200)}`);
    if (res.statusCode === 200) assert.match(String(res.headers['content-disposition']), /CW-P-\d{6}\.evidence\.json/);
  });

  test('search over provisions, clause types, platform analysis, material changes: schemas, filters, errors', async () => {
    const search = await checked('/api/v1/provisions?q=train&severity=high&limit=5', '/api/v1/provisions');
    assert.ok(search.total >= 1);
    assert.ok(search.results.every((r: any) => r.severity === 'high'));
    const byType = await checked('/api/v1/provisions?clause_type=binding-arbitration', '/api/v1/provisions');
    assert.ok(byType.results.every((r: any) => r.types.some((t: any) => t.id === 'binding-arbitration')));
    const list = await checked('/api/v1/clause-types', '/api/v1/clause-types');
    const ai = list.clause_types.find((t: any) => t.id === 'ai-training-on-user-content');
    const detail = await checked('/api/v1/clause-types/ai-training-on-user-content', '/api/v1/clause-types/{type}');
    assert.equal(detail.found, ai.platforms);
    assert.equal(detail.groups.reduce((n: number, g: any) => n + g.platforms.length, 0), detail.found);
    const pa = await checked('/api/v1/platforms/mistral-ai/analysis', '/api/v1/platforms/{slug}/analysis');
    assert.match(pa.grade, /^[A-E]$/);
    assert.ok(pa.ai_training.plans.some((p: any) => p.plan === 'Free' && p.default === 'on'));
    assert.equal(pa.links.monitor, '/account/watchlists/new?platform=mistral-ai');
    const mc = await checked('/api/v1/material-changes?platform=mistral-ai&limit=1', '/api/v1/material-changes');
    assert.equal(mc.changes.length, 1);
    assert.ok(mc.changes[0].clause_types.includes('ai-training-on-user-content'));
    const all = await checked('/api/v1/material-changes', '/api/v1/material-changes');
    if (all.changes.length > 1) {
      const first = await checked('/api/v1/material-changes?limit=1', '/api/v1/material-changes');
      const second = await checked(`/api/v1/material-changes?limit=1&cursor=${first.next_cursor}`, '/api/v1/material-changes');
      assert.equal(second.changes[0].version, all.changes[1].version, 'cursor pagination');
    }
    const bad = await get('/api/v1/provisions?clause_type=nope');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.where, 'query parameter clause_type');
    assert.equal((await get('/api/v1/material-changes?bogus=1')).statusCode, 400);
    assert.equal((await get('/api/v1/clause-types/nope')).statusCode, 404);
  });

  test('Atom feeds per clause type and of all material changes', async () => {
    const feed = await get('/feeds/clause-types/ai-training-on-user-content.atom');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /^application\/atom\+xml/);
    assert.match(feed.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(feed.body, /<entry>/);
    assert.match(feed.body, /term="ai-training-on-user-content"/);
    assert.ok(feed.body.includes('Hostile &lt;script&gt;'), 'hostile platform name escaped in XML');
    const material = await get('/feeds/material-changes.atom');
    assert.equal(material.statusCode, 200);
    assert.equal((material.body.match(/<entry>/g) ?? []).length, (await checked('/api/v1/material-changes', '/api/v1/material-changes')).changes.length);
    assert.equal((await get('/feeds/clause-types/nope.atom')).statusCode, 404);
  });
});
