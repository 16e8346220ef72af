import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildTaxonomy, loadTaxonomy, REPO_ROOT, REQUIRED_AI_TYPES, TaxonomyError } from '../../src/analyse/taxonomy.ts';

const SHARED = path.resolve(REPO_ROOT, '../shared');
const tax = loadTaxonomy();
const raw = (f: string) => parse(readFileSync(path.join(REPO_ROOT, 'taxonomy', f), 'utf8'));

test('taxonomy loads with at least 50 types in the twelve categories', () => {
  assert.ok(tax.types.length >= 50, `${tax.types.length} types`);
  assert.equal(tax.categories.length, 12);
  for (const c of tax.categories) assert.ok(tax.types.some((t) => t.category === c.id), `category ${c.id} has no type`);
});

test('all required AI type ids exist in the AI category', () => {
  for (const id of REQUIRED_AI_TYPES) assert.equal(tax.byId.get(id)?.category, 'ai', id);
  assert.ok(tax.byId.has('ai-automated-decisions'));
  assert.ok(tax.byId.has('ai-output-ownership'));
  assert.ok(tax.byId.has('ai-output-accuracy-disclaimer'));
});

test('every type has the required fields and actions that fit its subject', () => {
  for (const t of tax.types) {
    assert.ok(t.actions.length > 0, t.id);
    assert.ok(t.consumerImpact.length > 20, t.id);
    assert.ok(t.question.endsWith('?'), t.id);
    // The seed's flaw: an arbitration action under a training clause. Actions mention arbitration only on dispute types.
    if (t.category !== 'dispute-resolution') {
      for (const a of t.actions) assert.ok(!/arbitration/i.test(a), `${t.id}: "${a}"`);
    }
  }
});

test('every CLAUDETTE category is mapped or listed as unmapped', () => {
  const cats = new Set<string>();
  for (const line of readFileSync(path.join(SHARED, 'data/dev/claudette_en_dev.jsonl'), 'utf8').split('\n')) {
    if (line) for (const l of JSON.parse(line).labels as string[]) cats.add(l);
  }
  assert.equal(cats.size, 9);
  const unmapped = new Set(tax.unmapped.claudette.map((u) => u.label));
  for (const c of cats) assert.ok(tax.mapLabel(c).length === 1 || unmapped.has(c), `CLAUDETTE ${c}`);
});

test('every ToS;DR case title is mapped or listed as unmapped with a reason', () => {
  const cases = Object.keys(JSON.parse(readFileSync(path.join(SHARED, 'data/dev/tosdr_cases_2021.json'), 'utf8')));
  assert.equal(cases.length, 220);
  const unmapped = new Map(tax.unmapped.tosdr.map((u) => [u.label, u.reason]));
  const missing = cases.filter((c) => tax.mapLabel(c).length === 0 && !unmapped.has(c));
  assert.deepEqual(missing, []);
  for (const c of cases) assert.ok(tax.mapLabel(c).length <= 1, `case mapped twice: ${c}`);
  for (const [label, reason] of unmapped) {
    assert.ok(cases.includes(label), `unmapped label is not a case: ${label}`);
    assert.ok(reason.length > 10);
  }
  // mapped entries must be real case titles, not typos
  const all = new Set(cases);
  for (const t of tax.types) for (const c of t.equivalents.tosdr) assert.ok(all.has(c), `${t.id}: not a case title: ${c}`);
});

test('regulation and regulator references resolve', () => {
  for (const t of tax.types) {
    for (const r of t.regulations) {
      const inst = tax.instrumentsById.get(r.ref);
      assert.ok(inst, `${t.id} -> ${r.ref}`);
      for (const a of r.articles ?? []) assert.ok(inst.articles.some((x) => x.id === a), `${t.id} -> ${r.ref} ${a}`);
      assert.ok(r.relation === 'DR' || r.relation === 'MR');
    }
    for (const g of t.regulators) assert.ok(tax.regulatorsById.get(g), `${t.id} -> ${g}`);
  }
});

test('confirmed and secondary flags are carried exactly as the reference marks them', () => {
  const ref = readFileSync(path.join(SHARED, 'reference/regulations.md'), 'utf8');
  assert.ok(ref.includes('**unconfirmed**'));
  const ai = tax.instrumentsById.get('ai-act-digital-omnibus');
  assert.equal(ai?.confirmed, false, 'OJ publication is marked unconfirmed');
  assert.equal(ai?.secondary, true);
  const ftc = tax.instrumentsById.get('ftc-act');
  assert.equal(ftc?.articles.find((a) => a.id === 'blog-2024-02-quiet-tos-changes')?.confirmed, false, 'URL unconfirmed');
  assert.equal(tax.instrumentsById.get('ccpa')?.articles.find((a) => a.id === 'anti-waiver')?.confirmed, false);
  assert.equal(tax.instrumentsById.get('ccpa')?.articles.find((a) => a.id === 'admt-regulations')?.secondary, true);
  assert.equal(tax.instrumentsById.get('uctd')?.articles.find((a) => a.id === 'c-618-10')?.secondary, true);
  const caAg = tax.regulatorsById.get('ca-ag');
  assert.equal(caAg?.complaint.find((c) => c.url.endsWith('consumer-complaint-against-business-or-company'))?.confirmed, false);
  assert.equal(tax.regulatorsById.get('ftc')?.complaint[0]?.url, 'https://reportfraud.ftc.gov');
  assert.equal(tax.regulatorsById.get('ai-office')?.complaint.length, 0, 'no URL is invented where the reference has none');
  // every complaint URL we publish appears verbatim in the reference
  for (const r of tax.regulations.regulators) for (const c of r.complaint) assert.ok(ref.includes(c.url), c.url);
  // and every entry has explicit booleans
  for (const i of tax.regulations.instruments) {
    assert.equal(typeof i.confirmed, 'boolean');
    for (const a of i.articles) assert.equal(typeof a.secondary, 'boolean');
  }
});

test('mapLabel maps type ids, CLAUDETTE categories, ToS;DR titles and PrivacySpy answers', () => {
  assert.deepEqual(tax.mapLabel('arbitration'), ['binding-arbitration']);
  assert.deepEqual(tax.mapLabel('ai-human-review'), ['ai-human-review']);
  assert.deepEqual(tax.mapLabel('You waive your right to a class action.'), ['class-action-waiver']);
  assert.deepEqual(tax.mapLabel('data-breaches=yes-72'), ['breach-notification']);
  assert.deepEqual(tax.mapLabel('no such label'), []);
});

test('derived files keep their attribution headers', () => {
  const types = readFileSync(path.join(REPO_ROOT, 'taxonomy/clause-types.yaml'), 'utf8');
  assert.match(types, /CC BY 4\.0/);
  assert.match(types, /CC BY-SA 3\.0/);
  assert.match(readFileSync(path.join(REPO_ROOT, 'taxonomy/unmapped.yaml'), 'utf8'), /CC BY-SA 3\.0/);
  assert.match(readFileSync(path.join(REPO_ROOT, 'taxonomy/regulations.yaml'), 'utf8'), /regulations\.md/);
});

test('bad taxonomy data is refused with a clear error', () => {
  const types = raw('clause-types.yaml');
  const regs = raw('regulations.yaml');
  const unm = raw('unmapped.yaml');
  const clone = () => JSON.parse(JSON.stringify(types));
  let t = clone();
  t.types[0].regulations.push({ ref: 'no-such-law', relation: 'DR' });
  assert.throws(() => buildTaxonomy(t, regs, unm), TaxonomyError);
  t = clone();
  t.types[0].regulations[0].relation = 'maybe';
  assert.throws(() => buildTaxonomy(t, regs, unm), /DR or MR/);
  t = clone();
  t.types[0].id = 'Not Kebab';
  assert.throws(() => buildTaxonomy(t, regs, unm), /kebab/);
  t = clone();
  t.types = t.types.filter((x: { id: string }) => x.id !== 'ai-training-opt-out');
  assert.throws(() => buildTaxonomy(t, regs, unm), /ai-training-opt-out/);
  t = clone();
  t.types[1].id = t.types[0].id;
  assert.throws(() => buildTaxonomy(t, regs, unm), /duplicate/);
  const r2 = JSON.parse(JSON.stringify(regs));
  delete r2.instruments[0].confirmed;
  assert.throws(() => buildTaxonomy(types, r2, unm), /confirmed/);
  assert.throws(() => buildTaxonomy(null, regs, unm), TaxonomyError);
});
