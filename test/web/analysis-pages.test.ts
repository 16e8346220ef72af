// The pages of the analysis layer over a database filled by the real pipeline (analysis-fixture.ts):
// everything the seed page shows, without its flaws (actions of another clause type, a prevalence that
// contradicts the list below it, a "hash verified" the reader cannot check), and untrusted text escaped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import { buildServer, type WebServer } from '../../src/web/server.ts';
import { recordId } from '../../src/domain/record-id.ts';
import { escapeHtml } from '../../src/web/html.ts';
import { citationsOf, provisionEvidenceFrom, type EvidenceInfo } from '../../src/web/evidence-view.ts';
import { provisionById, provisionHistory, provisionPageRows } from '../../src/web/read/provisions.ts';
import { leafOf } from '../../src/evidence/db-log.ts';
import { latestCheckpoint } from '../../src/evidence/checkpoint-store.ts';
import { prepared } from '../../src/store/db.ts';
import { loadTaxonomy } from '../../src/analyse/taxonomy.ts';
import { DRIVERS } from '../helpers/db.ts';
import { fillAnalysisFixture, provisionWith, type AnalysisFixture } from './analysis-fixture.ts';
import type { Queryable } from '../../src/store/db.ts';

/** The provision page's evidence from separate reads (its leaf, then the latest checkpoint): what the one query must equal. */
async function provisionEvidenceInfo(q: Queryable, record: string, textId: number, opts: { bundlePath?: string; verifierKey?: string; archiveUrl?: string }): Promise<EvidenceInfo> {
  const leaf = await leafOf(q, 'provision', textId);
  if (!leaf) return provisionEvidenceFrom(q, record, undefined, undefined, opts);
  const cp = await latestCheckpoint(q);
  return provisionEvidenceFrom(q, record, { index: leaf.index, leafHash: leaf.leafHash.toString('hex'), loggedAt: leaf.loggedAt }, cp, opts);
}

function scriptables(body: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'script' || name === 'iframe' || name === 'object' || name === 'embed') found.push(`<${name}>`);
      for (const [k, v] of Object.entries(attrs)) {
        if (/^on/i.test(k)) found.push(`${name}[${k}]`);
        if (/^(href|src|action|formaction)$/i.test(k) && /^\s*(javascript|data|vbscript):/i.test(v)) found.push(`${name}[${k}=${v}]`);
      }
    },
  });
  parser.write(body);
  parser.end();
  return found;
}

/** The text of the section whose heading has this id. */
function section(body: string, headingId: string): string {
  const start = body.indexOf(`id="${headingId}"`);
  assert.ok(start > 0, `section ${headingId} present`);
  const end = body.indexOf('</section>', start);
  return body.slice(start, end);
}

for (const driver of DRIVERS) {
  describe(`${driver}: analysis pages`, () => {
    let f: AnalysisFixture;
    let s: WebServer;
    let mistralClause: number;
    const get = (url: string) => s.app.inject({ method: 'GET', url });

    before(async () => {
      f = await fillAnalysisFixture(driver);
      s = await buildServer({ db: f.db, indexer: false, pdf: false, cacheCheckMs: 0 });
      mistralClause = await provisionWith(f.db, f.docs.get('mistral-ai')!.get('terms-of-service')!, 'We do not use Your Data to train');
    });
    after(async () => {
      await s?.close();
      await f?.drop();
    });

    test('the seed clause: type, severity, prevalence consistent with the platforms listed, actions of its own type', async () => {
      const rid = recordId('provision', mistralClause);
      const res = await get(`/provisions/${rid}`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      const b = res.body;
      assert.match(b, /<h1>Your content is used to train AI models<\/h1>/);
      assert.match(b, /class="sev sev-high"/);
      const m = /Found in <strong>(\d+)<\/strong> of (\d+) analysed platforms/.exec(b);
      assert.ok(m, 'prevalence shown');
      const others = section(b, 'others-h');
      const listed = (others.match(/<li>\s*<h3>/g) ?? []).length;
      assert.equal(Number(m[1]), listed + 1, 'N counts this platform and every platform listed under it');
      assert.ok(Number(m[2]) >= Number(m[1]));
      assert.equal(Number(m[2]), 5, 'five platforms have analysed provisions');
      assert.match(others, /href="\/platforms\/nimbus"/, 'Nimbus trains on conversations too');
      assert.match(others, /href="\/provisions\/CW-P-\d{6}"/, 'each other platform links to its provision');
      // What you can do: the platform's own steps and this type's actions; nothing about arbitration.
      const todo = section(b, 'do-h');
      assert.match(todo, /Select Le Chat under the Manage section\./);
      assert.match(todo, /How to opt out: iPhone \/ iPad app/);
      assert.match(todo, /For “Your content is used to train AI models”/);
      assert.doesNotMatch(todo, /[Aa]rbitration/);
      // The AI-training matrix: Free/Pro/Student on with opt-out, Team/Enterprise off.
      const ai = section(b, 'ai-h');
      assert.match(ai, /<th scope="row">Free<\/th>\s*<td><span class="ai ai-on">/);
      assert.match(ai, /<th scope="row">Team<\/th>\s*<td><span class="ai ai-off">/);
      // Original clause language, and its history (the second version added a sentence: material).
      assert.match(section(b, 'orig-h'), /except \(a\) when you \(i\) use Mistral AI Products under a free subscription/);
      assert.match(section(b, 'history-h'), /<span class="tag bad">material<\/span>/);
      assert.match(section(b, 'history-h'), /diff<\/a>/);
    });

    test('regulations and agencies, with unconfirmed entries marked, never stated as fact', async () => {
      const b = (await get(`/provisions/${recordId('provision', mistralClause)}`)).body;
      const regs = section(b, 'regulations-h');
      const tax = loadTaxonomy();
      const t = tax.byId.get('ai-training-on-user-content')!;
      for (const r of t.regulations) assert.ok(regs.includes(escapeHtml(tax.instrumentsById.get(r.ref)!.name)), `${r.ref} listed`);
      for (const g of t.regulators) assert.ok(regs.includes(escapeHtml(tax.regulatorsById.get(g)!.name)), `${g} listed`);
      assert.match(regs, /File a complaint/);
      const unconfirmed = t.regulations.some((r) => {
        const ins = tax.instrumentsById.get(r.ref)!;
        return !ins.confirmed || ins.articles.some((a) => (r.articles ?? []).includes(a.id) && !a.confirmed);
      }) || t.regulators.some((g) => !tax.regulatorsById.get(g)!.confirmed || tax.regulatorsById.get(g)!.complaint.some((c) => !c.confirmed));
      if (unconfirmed) assert.match(regs, /<span class="tag warn"[^>]*>(unconfirmed|address unconfirmed)<\/span>/);
    });

    test('document record, evidence the reader can check, citations, FAQ, share, PDF and monitor links', async () => {
      const rid = recordId('provision', mistralClause);
      const b = (await get(`/provisions/${rid}`)).body;
      const body = (await f.db.query<{ body: string; text_sha256: string }>('SELECT t.body, t.text_sha256 FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id WHERE p.id = $1', [mistralClause]))[0]!;
      assert.equal(createHash('sha256').update(body.body, 'utf8').digest('hex'), body.text_sha256);
      const rec = section(b, 'record-h');
      for (const want of [rid, recordId('document', f.docs.get('mistral-ai')!.get('terms-of-service')!), body.text_sha256, 'https://mistral.ai/terms', 'web.archive.org', 'Document first tracked', 'Document last changed', 'Last verified', 'Snapshot stored', 'Classification', 'AI and automated decisions']) {
        assert.ok(rec.includes(want), `document record shows ${want}`);
      }
      const ev = section(b, 'evidence-h');
      assert.match(ev, /Leaf hash/);
      assert.match(b, new RegExp(`href="/provisions/${rid}/evidence"`), 'bundle download at the version-bundle route pattern');
      assert.match(b, /verify-evidence/);
      const cite = section(b, 'cite-h');
      for (const label of ['Plain text', 'Bluebook', 'BibTeX', 'RIS', 'CSL-JSON']) assert.ok(cite.includes(label), `citation ${label}`);
      // The page builds provision citations from its version's facts: they must be the evidence layer's own.
      for (const c of await citationsOf(f.db, rid)) assert.ok(cite.includes(escapeHtml(c.text)), `${c.label} citation as citationSource(${rid}) gives it`);
      assert.ok(cite.includes(rid));
      assert.match(section(b, 'faq-h'), /Is Clausewatch affiliated with Mistral AI\?/);
      assert.match(b, /href="https:\/\/x\.com\/intent\/post\?url=/);
      assert.match(b, new RegExp(`href="/provisions/${rid}/pdf"`));
      assert.match(b, /href="\/account\/watchlists\/new\?platform=mistral-ai"/);
      assert.deepEqual(scriptables(b), []);
    });

    test('the one prepared query of a provision page reads what the separate reads do', async () => {
      for (const id of [mistralClause, mistralClause, 999_999]) {
        const rows = await provisionPageRows(f.db, id);
        const p = await provisionById(f.db, id);
        if (!p) {
          assert.equal(rows, undefined);
          continue;
        }
        assert.deepEqual(rows!.p, p);
        assert.deepEqual(rows!.history, await provisionHistory(f.db, id));
        const leaf = await leafOf(f.db, 'provision', p.text_id);
        assert.deepEqual(rows!.leaf, leaf && { index: leaf.index, leafHash: leaf.leafHash.toString('hex'), loggedAt: leaf.loggedAt });
        const cp = await latestCheckpoint(f.db);
        assert.deepEqual(rows!.checkpoint, cp && { id: cp.id, size: cp.size, root: cp.root, signedAt: cp.signedAt });
        const opts = { bundlePath: '/b', verifierKey: 'k', archiveUrl: 'https://web.archive.org/x' };
        assert.deepEqual(await provisionEvidenceFrom(f.db, 'CW-P-1', rows!.leaf, rows!.checkpoint, opts), await provisionEvidenceInfo(f.db, 'CW-P-1', p.text_id, opts));
      }
      await assert.rejects(prepared(f.db, 'web_provision_page', 'SELECT 1 AS j', []), /already names another query/);
      await assert.rejects(prepared(f.db, 'test_prepared', 'SELECT $1::int AS n', [1.5]), /parameter \$1 is not an integer/);
      await assert.rejects(prepared(f.db, 'Bad Name', 'SELECT 1', []), /lower-case SQL identifier/);
      assert.deepEqual(await prepared(f.db, 'test_prepared', 'SELECT $1::int AS n', [-7]), [{ n: -7 }]);
    });

    test('a hostile provision is shown as text; /r/ finds provisions; unknown ids are 404', async () => {
      const hostile = await provisionWith(f.db, f.docs.get('hostile-ai')!.values().next().value!, 'train our models');
      const res = await get(`/provisions/${recordId('provision', hostile)}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(scriptables(res.body), []);
      assert.ok(res.body.includes('Hostile &lt;script&gt;'), 'platform name escaped');
      assert.match(res.body, /opt out here/);
      assert.equal((await get(`/r/${recordId('provision', hostile).toLowerCase()}`)).headers.location, `/provisions/${recordId('provision', hostile)}`);
      const untyped = (await f.db.query<{ id: number }>('SELECT p.id FROM provisions p JOIN provision_texts t ON t.id = p.current_text_id WHERE t.severity IS NULL ORDER BY p.id LIMIT 1'))[0]!;
      const u = await get(`/provisions/${recordId('provision', Number(untyped.id))}`);
      assert.equal(u.statusCode, 200);
      assert.match(u.body, /The classifier found no clause type in this provision/);
      assert.doesNotMatch(u.body, /Found in <strong>/, 'no prevalence without a clause type');
      assert.doesNotMatch(u.body, /href="\/clause-types\/"/);
      const missing = await get('/provisions/CW-P-999999');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /no provision CW-P-999999/);
      assert.equal((await get('/provisions/CW-V-000001')).statusCode, 400);
    });

    test('platform page: grade with reasons, AI-training matrix with steps, provisions by severity, monitor and report links', async () => {
      const res = await get('/platforms/mistral-ai');
      assert.equal(res.statusCode, 200);
      const b = res.body;
      const grade = section(b, 'grade-h');
      assert.match(grade, /class="grade grade-[A-E]"/);
      assert.match(grade, /<li>[-+]\d+(\.\d+)?: /, 'reasons with their points');
      assert.match(grade, /href="\/account\/watchlists\/new\?platform=mistral-ai"/);
      assert.match(grade, /href="\/platforms\/mistral-ai\/report\.pdf"/);
      const ai = section(b, 'ai-h');
      assert.match(ai, /<th scope="row">Student<\/th>\s*<td><span class="ai ai-on">/);
      assert.match(ai, /How to opt out: API \/ developer console/);
      assert.match(ai, /In the Admin Console, open the Privacy menu/);
      const sev = section(b, 'severity-h');
      assert.match(sev, /High severity \(\d+\)/);
      assert.match(sev, /href="\/provisions\/CW-P-\d{6}"/);
      assert.match(b, /Change activity/, 'the tracking sections are still there');
      assert.deepEqual(scriptables((await get('/platforms/hostile-ai')).body), []);
    });

    test('home: recent material changes and platforms by grade', async () => {
      const b = (await get('/')).body;
      const material = section(b, 'material-h');
      assert.match(material, /href="\/platforms\/mistral-ai"/);
      assert.match(material, /Changes Your content is used to train AI models/);
      const grades = section(b, 'grades-h');
      for (const slug of ['murf', 'mistral-ai', 'nimbus', 'orbit']) assert.match(grades, new RegExp(`href="/platforms/${slug}"`));
      assert.deepEqual(scriptables(b), []);
    });

    test('clause-type pages: platforms grouped by how they handle it, the same count as provision pages', async () => {
      const b = (await get('/clause-types/ai-training-on-user-content')).body;
      const m = /Found in <strong>(\d+)<\/strong> of (\d+) analysed platforms/.exec(b);
      assert.ok(m);
      const listed = (section(b, 'platforms-h').match(/<li><h4>/g) ?? []).length;
      assert.equal(Number(m[1]), listed);
      const p = (await get(`/provisions/${recordId('provision', mistralClause)}`)).body;
      assert.ok(p.includes(`Found in <strong>${m[1]}</strong> of ${m[2]} analysed platforms`), 'provision page and clause-type page agree');
      assert.match(section(b, 'platforms-h'), /<h3>High severity[^<]*\(\d+\)<\/h3>/);
      assert.match(b, /trains by default: /, 'AI types show each platform\'s default');
      const index = (await get('/clause-types')).body;
      assert.match(index, /href="\/clause-types\/binding-arbitration"/);
      assert.equal((await get('/clause-types/no-such-type')).statusCode, 404);
    });

    test('search over provisions with filters; material changes with filters; bad filters name the parameter', async () => {
      const all = (await get('/provisions?q=arbitration')).body;
      assert.match(all, /href="\/platforms\/mistral-ai"/);
      const high = (await get('/provisions?q=train&platform=mistral-ai&severity=high&category=ai')).body;
      assert.match(high, /sev sev-high/);
      assert.doesNotMatch(section(high, 'results-h'), /sev sev-positive/);
      const none = (await get('/provisions?q=train&platform=orbit&severity=high')).body;
      assert.match(none, /0 provisions|Nothing found/);
      const filtered = (await get('/provisions?clause_type=ai-training-on-user-content&from=2026-01-01&to=2026-12-31')).body;
      assert.match(filtered, /href="\/platforms\/nimbus"/);
      assert.doesNotMatch(section(filtered, 'results-h'), /href="\/platforms\/murf"/, 'Murf provisions were first seen in 2023');
      const bad = await get('/provisions?clause_type=nope');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /query parameter &quot;clause_type&quot; is not a clause type/);
      assert.equal((await get('/provisions?severity=dire')).statusCode, 400);
      const mc = (await get('/changes/material?platform=mistral-ai&clause_type=ai-training-on-user-content')).body;
      assert.match(mc, /Changes Your content is used to train AI models/);
      const other = (await get('/changes/material?clause_type=binding-arbitration')).body;
      assert.doesNotMatch(other, /Changes Your content is used to train AI models/);
      assert.equal((await get('/changes/material?category=nope')).statusCode, 400);
      assert.deepEqual(scriptables((await get('/provisions?q=models')).body), []);
    });

    test('diffs mark cosmetic passages; version pages show their analysis; document pages list typed provisions', async () => {
      const nimbus = f.docs.get('nimbus')!.values().next().value!;
      const [a, b] = (await f.db.query<{ id: number }>('SELECT id FROM versions WHERE document_id = $1 ORDER BY recorded_at', [nimbus])).map((r) => Number(r.id));
      const key = [...f.docs.get('nimbus')!.keys()][0]!;
      for (const view of ['side', 'inline']) {
        const d = (await get(`/platforms/nimbus/${key}/diff?from=${recordId('version', a!)}&to=${recordId('version', b!)}&view=${view}`)).body;
        assert.match(d, /<span class="tag cosmetic"[^>]*>cosmetic: punctuation or case<\/span>/, `${view}: the passage is marked cosmetic`);
        assert.match(d, /no material change/);
      }
      const mk = [...f.docs.get('mistral-ai')!.entries()].find(([k]) => k === 'terms-of-service')!;
      const [m1, m2] = (await f.db.query<{ id: number }>('SELECT id FROM versions WHERE document_id = $1 ORDER BY recorded_at', [mk[1]])).map((r) => Number(r.id));
      const md = (await get(`/platforms/mistral-ai/terms-of-service/diff?from=${recordId('version', m1!)}&to=${recordId('version', m2!)}`)).body;
      assert.match(md, /<span class="tag bad">material<\/span>/);
      assert.doesNotMatch(md, /class="tag cosmetic" title/);
      const vp = (await get(`/versions/${recordId('version', b!)}`)).body;
      assert.match(section(vp, 'analysis-h'), /cosmetic: punctuation or case/);
      const vm = (await get(`/versions/${recordId('version', m2!)}`)).body;
      assert.match(section(vm, 'analysis-h'), /<span class="tag bad">material<\/span>/);
      assert.match(section(vm, 'analysis-h'), /href="\/r\/CW-P-\d{6}"/);
      const doc = (await get('/platforms/mistral-ai/terms-of-service')).body;
      assert.match(section(doc, 'provisions-h'), new RegExp(`href="/provisions/${recordId('provision', mistralClause)}"`));
    });
  });
}
