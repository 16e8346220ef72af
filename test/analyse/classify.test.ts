import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classify, classifyOne, DEFAULT_MODEL_PATH, loadClassifier, scores, severityFor } from '../../src/analyse/classify/index.ts';
import { evaluate, mapLabels, scorePredictions } from '../../src/analyse/classify/evaluate.ts';
import { loadTaxonomy, REPO_ROOT } from '../../src/analyse/taxonomy.ts';

const tax = loadTaxonomy();
const c = loadClassifier();
const AI = new Set(tax.types.filter((t) => t.category === 'ai').map((t) => t.id));
const ids = (text: string) => classifyOne(text, c).types.map((t) => t.id);

const MISTRAL =
  'We do not use Your Data to train our artificial intelligence models except (a) when you (i) use Mistral AI Products under a free subscription, or are subscribed to Le Chat Pro or Le Chat Student, and (ii) you have not opted-out of training, (b) when you provide Feedback to us, or (c) when Your Data is flagged as part of our automated moderation or reported as prohibited content, in which case we may use Your Data to improve the Mistral AI Products and enforce our Usage Policy.';

test('the shipped model loads, is small, and carries its licence and attribution', () => {
  const size = statSync(DEFAULT_MODEL_PATH).size;
  assert.ok(size < 20e6, `${size} bytes`);
  const m = JSON.parse(gunzipSync(readFileSync(DEFAULT_MODEL_PATH)).toString('utf8'));
  assert.match(m.licence, /CC BY-SA 3\.0/);
  assert.ok(m.attribution.some((a: string) => /CLAUDETTE.*CC BY 4\.0/.test(a)));
  assert.ok(m.attribution.some((a: string) => /ToS;DR.*CC BY-SA 3\.0/.test(a)));
  assert.ok(m.attribution.some((a: string) => /PrivacySpy.*CC BY 4\.0/.test(a)));
  assert.ok(c.ids.length >= 40, `${c.ids.length} model types`);
  for (const id of c.ids) assert.ok(tax.byId.has(id));
});

test('the Mistral seed clause gets the five AI-training types', () => {
  const got = ids(MISTRAL).filter((id) => AI.has(id)).sort();
  assert.deepEqual(got, ['ai-training-feedback', 'ai-training-flagged-content', 'ai-training-on-user-content', 'ai-training-opt-out', 'ai-training-plans-excluded']);
});

test('a no-training promise is not read as training', () => {
  const got = ids("ANYSPHERE WILL NOT USE CONTENT TO TRAIN, OR ALLOW ANY THIRD PARTY TO TRAIN, ANY AI MODELS, UNLESS YOU'VE EXPLICITLY AGREED TO THE USE OF CONTENT FOR TRAINING.");
  assert.ok(got.includes('ai-no-training-commitment'), got.join());
  assert.ok(!got.includes('ai-training-on-user-content'), got.join());
});

for (const [file, size] of [['classify-ai-dev.jsonl', 30], ['classify-ai-dev2.jsonl', 150], ['classify-ai-frozen-check.jsonl', 40]] as const) {
  test(`hand-written AI dev clauses (test/analyse/${file}) are classified well`, () => {
    const items = readFileSync(path.join(REPO_ROOT, 'test/analyse', file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; labels: string[] });
    assert.ok(items.length >= size);
    const pred = classify(items.map((i) => i.text), c).map((r) => r.types.map((t) => t.id).filter((id) => AI.has(id)));
    const r = scorePredictions(items.map((i) => i.labels), pred, [...AI]);
    assert.ok(r.micro.f1 >= 0.9, `micro-F1 ${r.micro.f1}`);
    // negatives (non-AI "improve our services", staff training, cookie toggles, user restrictions) stay negative
    items.forEach((it, i) => {
      if (it.labels.length === 0) assert.deepEqual(pred[i], [], it.text);
    });
  });
}

test('held-out AI clauses (written after the patterns were frozen) stay above the a-priori bar', () => {
  const items = readFileSync(path.join(REPO_ROOT, 'test/analyse/classify-ai-heldout.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { text: string; labels: string[] });
  const pred = classify(items.map((i) => i.text), c).map((r) => r.types.map((t) => t.id).filter((id) => AI.has(id)));
  const r = scorePredictions(items.map((i) => i.labels), pred, [...AI]);
  // measured 0.74 micro-F1 (P 0.91, R 0.63) when written; the bar was set before measuring
  assert.ok(r.micro.f1 >= 0.6, `micro-F1 ${r.micro.f1}`);
  assert.ok(r.micro.precision >= 0.8, `precision ${r.micro.precision}`);
});

test('known CLAUDETTE-style sentences get their types', () => {
  const cases: [string, string][] = [
    ['All disputes, claims or controversies arising out of or relating to this Agreement shall be determined exclusively by binding arbitration.', 'binding-arbitration'],
    ['These Terms shall be governed by the laws of the State of California without regard to its conflict of law provisions.', 'governing-law'],
    ['You agree to submit to the exclusive jurisdiction of the courts located in Santa Clara County, California.', 'jurisdiction-venue'],
    ['IN NO EVENT SHALL WE BE LIABLE FOR ANY INDIRECT, INCIDENTAL, SPECIAL OR CONSEQUENTIAL DAMAGES.', 'limitation-of-liability'],
    ['We may suspend or terminate your account at any time, without notice, if we believe you have violated these Terms.', 'account-termination'],
    ['We reserve the right to modify these Terms at any time and your continued use of the Services constitutes acceptance of the modified Terms.', 'terms-change-unilateral'],
    ['By accessing or using the Services, you agree to be bound by these Terms.', 'contract-by-using'],
    ['We may remove any content that violates these Terms or our Community Guidelines.', 'content-removal'],
    ['By using the Services you agree to these Terms and to our Privacy Policy, which is incorporated herein by reference.', 'privacy-policy-incorporated'],
    ['You agree to defend, indemnify and hold harmless the Company from any claim arising from your use of the Service.', 'indemnification'],
    ['You waive any right to participate in a class action lawsuit or class-wide arbitration.', 'class-action-waiver'],
  ];
  for (const [text, id] of cases) assert.ok(ids(text).includes(id), `${id} not in [${ids(text).join(', ')}] for: ${text}`);
  assert.deepEqual(ids('Welcome to EA.'), []);
});

test('scores() gives calibrated probabilities and pattern hits', () => {
  const s = scores(MISTRAL, c);
  for (const v of s.scores.values()) assert.ok(v >= 0 && v <= 1);
  assert.ok(s.patternHits.includes('ai-training-feedback'));
  assert.ok(s.fairness && s.fairness.clearlyUnfair >= 0 && s.fairness.clearlyUnfair <= 1);
});

test('results are sorted by score and carry the language', () => {
  const [r] = classify(['We may terminate your account at any time without notice and we are not liable for any damages.'], c);
  assert.equal(r!.analysed, true);
  assert.equal(r!.language, 'en');
  for (let i = 1; i < r!.types.length; i++) assert.ok(r!.types[i - 1]!.score >= r!.types[i]!.score);
});

test('non-English text is not analysed', () => {
  const samples: [string, string][] = [
    ['Nous pouvons modifier ces conditions à tout moment et sans préavis, et vous acceptez les nouvelles conditions.', 'fr'],
    ['Wir können diese Bedingungen jederzeit ändern und Ihr Konto ohne Angabe von Gründen sperren.', 'de'],
    ['Podemos modificar estos términos en cualquier momento y sin previo aviso para todos los usuarios.', 'es'],
    ['Possiamo modificare questi termini in qualsiasi momento e senza preavviso per tutti gli utenti del servizio.', 'it'],
    ['Podemos alterar estes termos a qualquer momento e sem aviso prévio para todos os usuários do serviço.', 'pt'],
    ['Wij kunnen deze voorwaarden op elk moment wijzigen en uw account zonder opgaaf van redenen opschorten.', 'nl'],
    ['我们可能随时更改这些条款，恕不另行通知。', 'zh'],
    ['当社は、予告なくいつでも本規約を変更することができます。', 'ja'],
    ['Мы можем изменить эти условия в любое время без предварительного уведомления.', 'ru'],
    ['يجوز لنا تغيير هذه الشروط في أي وقت دون إشعار مسبق.', 'ar'],
  ];
  for (const [text, lang] of samples) {
    const [r] = classify([text], c);
    assert.equal(r!.analysed, false, text);
    assert.equal(r!.language, lang, text);
    assert.deepEqual(r!.types, []);
  }
  assert.equal(classify(['We may change these terms at any time without notice.'], c)[0]!.analysed, true);
  // Short English sentences with few or foreign-looking stop words are analysed, not refused.
  for (const text of ['ChatBot can make mistakes. Check important info.', 'The Team plan costs $25 per user per month.', 'Content also includes user-generated Content ("UGC").']) {
    assert.equal(classify([text], c)[0]!.analysed, true, text);
  }
  assert.equal(classify(['Nous pouvons modifier ces conditions à tout moment.'], c)[0]!.language, 'fr');
});

test('bad input gives a clear result and never crashes', () => {
  const soup = '<div class="x"><span>'.repeat(2000) + '</span></div>';
  const huge = 'We may use your data. '.repeat(240_000); // ~5 MB single paragraph
  assert.ok(huge.length > 5e6);
  const t0 = performance.now();
  const rs = classify(['', '   \n\t ', soup, huge, '\u0000\uFFFF\uD800', '12345 67890 !!!', null as unknown as string, 42 as unknown as string], c);
  const ms = performance.now() - t0;
  assert.ok(ms < 3000, `took ${ms} ms`);
  assert.equal(rs.length, 8);
  for (const r of rs) {
    assert.equal(typeof r.analysed, 'boolean');
    assert.ok(Array.isArray(r.types));
  }
  assert.deepEqual(rs[0]!.types, []);
  assert.deepEqual(rs[1]!.types, []);
  assert.equal(rs[2]!.analysed, false, 'markup soup is not prose');
  assert.equal(rs[3]!.truncated, true);
  assert.throws(() => classify('not an array' as unknown as string[], c), TypeError);
});

test('huge inputs are processed in linear time', () => {
  const unit = 'By using the service you agree to these terms and we may terminate your account. ';
  const time = (n: number) => {
    const s = unit.repeat(n);
    const t0 = performance.now();
    classify([s], c);
    return performance.now() - t0;
  };
  time(100);
  const small = time(20_000);
  const big = time(80_000);
  assert.ok(big < small * 8 + 50, `small ${small} ms, big ${big} ms`);
});

test('severityFor uses default severity and wording modifiers', () => {
  const hi = severityFor('We may terminate your account at any time, without notice, at our sole discretion.', ['account-termination'], c);
  assert.equal(hi.level, 'high');
  assert.ok(hi.reasons.some((r) => /without notice/.test(r)));
  const lic = severityFor('You grant us a licence to use your content to operate the service.', ['content-licence-broad'], c);
  assert.equal(lic.level, 'high');
  const low = severityFor('We use your chats to improve our models; you may turn this off in settings.', [{ id: 'ai-training-on-user-content' }], c);
  assert.equal(low.level, 'medium');
  assert.ok(low.reasons.some((r) => /turn it off/.test(r)));
  const raised = severityFor('We may send you marketing emails, worldwide and perpetual.', ['marketing-use'], c);
  assert.equal(raised.level, 'medium');
  assert.equal(severityFor('You can export your data.', ['data-portability'], c).level, 'positive');
  assert.equal(severityFor('', [], c).level, 'low');
  assert.equal(severityFor('Text.', ['no-such-type'], c).level, 'low');
});

test('severityFor gives the same result from classify()\'s cached fairness scores as from scoring afresh', () => {
  const text = 'We may terminate your account at any time for any reason, and our total liability shall not exceed one hundred dollars.';
  const fresh = loadClassifier(DEFAULT_MODEL_PATH + '', tax);
  fresh.fairnessCache.clear();
  const before = severityFor(text, ['account-termination'], fresh);
  const [r] = classify([text], fresh);
  assert.ok(r!.types.length > 0);
  assert.ok(fresh.fairnessCache.has(text));
  assert.deepEqual(severityFor(text, ['account-termination'], fresh), before);
});

test('evaluate() maps set labels through the taxonomy and reports metrics', () => {
  assert.deepEqual(mapLabels(['arbitration', 'You waive your right to a class action.', 'nonsense'], tax), {
    types: ['binding-arbitration', 'class-action-waiver'],
    unmapped: ['nonsense'],
  });
  const rep = evaluate(
    [
      { text: 'All disputes shall be resolved exclusively by binding arbitration administered by the AAA.', labels: ['arbitration'] },
      { text: 'These Terms are governed by the laws of England and Wales.', labels: ['choice_of_law'] },
      { text: 'You agree to defend, indemnify and hold the service harmless.', labels: ['You agree to defend, indemnify, and hold the service harmless in case of a claim related to your use of the service'] },
      { text: 'Welcome to our website.', labels: [] },
      { text: 'Nous pouvons modifier ces conditions à tout moment.', labels: ['unilateral_change'] },
      { text: 'Users agree not to use the service for illegal purposes.', labels: ['Users agree not to use the service for illegal purposes'] },
    ],
    { classifier: c },
  );
  assert.equal(rep.items, 6);
  assert.equal(rep.notAnalysed, 1);
  assert.deepEqual(rep.perType.map((m) => m.id), ['binding-arbitration', 'governing-law', 'indemnification', 'terms-change-unilateral']);
  const arb = rep.perType.find((m) => m.id === 'binding-arbitration')!;
  assert.equal(arb.tp, 1);
  assert.equal(arb.support, 1);
  const tcu = rep.perType.find((m) => m.id === 'terms-change-unilateral')!;
  assert.equal(tcu.fn, 1, 'a declined French item counts as a miss');
  assert.equal(rep.unmappedLabels['Users agree not to use the service for illegal purposes'], 1);
  assert.ok(rep.macroF1 > 0 && rep.macroF1 <= 1);
  assert.ok(rep.micro.f1 > 0 && rep.micro.f1 <= 1);
  assert.throws(() => evaluate('x' as unknown as [], { classifier: c }), TypeError);
});

test('scorePredictions computes micro and macro F1', () => {
  const r = scorePredictions([['a'], ['a', 'b'], []], [['a'], ['b'], ['a']]);
  const a = r.perType.find((m) => m.id === 'a')!;
  assert.deepEqual([a.tp, a.fp, a.fn], [1, 1, 1]);
  assert.equal(a.f1, 0.5);
  const b = r.perType.find((m) => m.id === 'b')!;
  assert.equal(b.f1, 1);
  assert.equal(r.macroF1, 0.75);
  assert.equal(r.micro.f1, (2 * 2) / (2 * 2 + 1 + 1));
});
