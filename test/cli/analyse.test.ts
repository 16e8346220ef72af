// The analysis commands through the real CLI: analyze (the seed's AI-training facts, bad input), eval,
// and summary / analyse / show over a database filled by replaying real snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cli, CORPUS, SHARED } from '../helpers/cli.ts';
import { openTestDb } from '../helpers/db.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';

const SEED = path.join(SHARED, 'seeds/001_8550604760f152f9.txt');

test('analyze --json: the seed help article yields the right AI-training facts', async () => {
  const r = await cli(['analyze', SEED, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const byId = new Map(out.provisions.map((p: { id: string; text: string }) => [p.id, p.text]));
  for (const p of out.provisions) {
    assert.ok(typeof p.id === 'string' && typeof p.section === 'string' && typeof p.text === 'string', `provision shape: ${JSON.stringify(p)}`);
    assert.ok(Array.isArray(p.types) && p.types.every((t: { id: unknown; score: unknown }) => typeof t.id === 'string' && typeof t.score === 'number'), 'types with scores');
    assert.ok(p.severity === null || ['high', 'medium', 'low', 'positive'].includes(p.severity), `severity ${p.severity}`);
  }
  const plans = Object.fromEntries(out.aiTraining.plans.map((p: { plan: string; default: string; optOut: boolean | null }) => [p.plan, [p.default, p.optOut]]));
  assert.deepEqual(plans, {
    Free: ['on', true],
    Pro: ['on', true],
    Student: ['on', true],
    Team: ['off', null],
    Enterprise: ['off', null],
    Experiment: ['on', true],
    Scale: ['off', null],
  });
  for (const p of out.aiTraining.plans) assert.ok(p.evidence.length > 0 && p.evidence.every((e: string) => byId.has(e)), `${p.plan} cites provisions`);
  const team = out.aiTraining.plans.find((p: { plan: string }) => p.plan === 'Team');
  assert.match(byId.get(team.evidence[0]) as string, /Teams or le Chat Enterprise are opted out of training by default/);
  const steps = Object.fromEntries(out.aiTraining.optOutSteps.map((s: { surface: string; steps: string[] }) => [s.surface, s.steps]));
  assert.deepEqual(Object.keys(steps), ['web', 'ios', 'android', 'api']);
  assert.deepEqual(steps.web, ['Select Le Chat under the Manage section.', 'Under the Privacy section, disable the toggle labelled Allow your interactions to be used to train our models.']);
  assert.deepEqual(steps.ios, steps.android, 'one mobile procedure for both');
  assert.equal(steps.ios[0], 'Open the Settings page of the application.');
  assert.match(steps.api.join(' '), /^In the Admin Console, open the Privacy menu.*Anonymous improvement data section, disable the toggle/);
  assert.deepEqual(out.aiTraining.exceptions, []);
  const ai = out.provisions.find((p: { text: string }) => p.text.startsWith('In certain cases'));
  assert.deepEqual(ai.types.map((t: { id: string }) => t.id), ['ai-training-on-user-content']);
});

test('analyze: empty, other-language, markup soup, 5 MB paragraph and binary inputs give a clear result', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-analyze-'));
  try {
    const f = (name: string, data: string | Buffer) => {
      writeFileSync(path.join(dir, name), data);
      return path.join(dir, name);
    };
    const words = 'we may terminate your account at any time without notice and use your content to train our models'.split(' ');
    const big = Array.from({ length: 900_000 }, (_, i) => words[(i * 7) % words.length]).join(' ').slice(0, 5 * 2 ** 20);
    const files = [
      f('empty.txt', ''),
      f('cgu.md', '# Conditions générales\n\nLes présentes conditions régissent votre utilisation du service. Nous pouvons modifier ces conditions à tout moment et sans préavis.\n\nLa loi française est applicable à tout litige.'),
      f('soup.html', '<div><p>We may <b>terminate <i>your account</div></span><table><tr><td>Free<td>Yes</table><<<>>> <script>alert(1)</script><p>You agree to binding arbitration</p><div <p>broken &amp;&nbsp;<ul><li>one<li>two'),
      f('big.txt', big),
      f('blob.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256))),
    ];
    const r = await cli(['analyze', ...files, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const doc = (name: string) => out.documents.find((d: { name: string }) => d.name.endsWith(name));
    assert.equal(doc('empty.txt').note, 'empty: no text to analyse');
    assert.equal(doc('cgu.md').language, 'fr');
    assert.match(doc('cgu.md').note, /^not analysed: French/);
    assert.ok(out.provisions.filter((p: { document: string }) => p.document.endsWith('cgu.md')).every((p: { types: unknown[]; severity: unknown }) => p.types.length === 0 && p.severity === null), 'nothing guessed for French');
    assert.equal(doc('soup.html').format, 'html');
    assert.ok(out.provisions.some((p: { text: string; types: { id: string }[] }) => /binding arbitration/.test(p.text) && p.types.some((t) => t.id === 'binding-arbitration')), 'soup still read');
    assert.equal(doc('big.txt').provisions, 1, 'one 5 MB provision');
    assert.match(doc('blob.bin').note, /binary content/);
    const alone = await cli(['analyze', files[4]!]);
    assert.equal(alone.code, 1, 'nothing readable: failures found');
    assert.match(alone.stderr, /blob\.bin: binary content, not a text, Markdown or HTML document: not analysed/);
    const missing = await cli(['analyze', path.join(dir, 'nope.txt')]);
    assert.equal(missing.code, 2, 'a missing file is a usage error');
    const stdin = await cli(['analyze', '-'], {}, { input: readFileSync(SEED, 'utf8') });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stdout, /Team +off by default +opt-out not stated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval: CLAUDETTE and ToS;DR labels are mapped through the taxonomy and scored', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-eval-'));
  try {
    const lines = [
      { text: 'Any dispute arising out of these terms shall be resolved by binding arbitration.', labels: ['arbitration'] },
      { text: 'We are not liable for any indirect, incidental or consequential damages.', labels: ['limitation_of_liability'] },
      { text: 'We may terminate or suspend your account at any time, for any reason, without notice.', labels: ['unilateral_termination'] },
      { text: 'These terms are governed by the laws of the State of California.', labels: ['choice_of_law'] },
      { text: 'We may use your conversations to train our models.', labels: ['ai-training-on-user-content'] },
      { text: 'The service is provided in English.', labels: [] },
    ];
    const data = path.join(dir, 'small.jsonl');
    writeFileSync(data, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await cli(['eval', '--data', data, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.items, 6);
    assert.ok(out.perType.length >= 5, `types scored: ${out.perType.map((m: { id: string }) => m.id)}`);
    for (const m of out.perType) assert.ok(['precision', 'recall', 'f1', 'support'].every((k) => typeof m[k] === 'number'), `metrics of ${m.id}`);
    assert.ok(out.perType.some((m: { id: string; support: number }) => m.id === 'binding-arbitration' && m.support === 1), 'CLAUDETTE "arbitration" mapped to our type');
    assert.ok(out.micro.f1 > 0.5, `micro F1 ${out.micro.f1}`);
    assert.equal(typeof out.macroF1, 'number');
    const text = await cli(['eval', '--data', data]);
    assert.match(text.stdout, /macro F1: \d\.\d{3}/);
    writeFileSync(data, '{"text": "x", "labels": [1]}\n');
    assert.equal((await cli(['eval', '--data', data])).code, 2, 'bad labels are a usage error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('summary, analyse and show over replayed snapshots (embedded database)', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-analyse-cli-'));
  try {
    const folder = path.join(CORPUS, 'snapshots/Murf/Terms of Service');
    const d = JSON.parse(readFileSync(path.join(folder, 'meta.json'), 'utf8')).declarations[0].source_document;
    const t = await openTestDb('pglite', { dataDir: data });
    try {
      const pl = await upsertPlatform(t.db, { slug: 'murf', name: 'Murf' });
      const doc = await upsertDocument(t.db, pl.id, 'terms-of-service', 'Terms of Service');
      await replaySnapshots(t.db, { documentId: doc.id, files: listSnapshotFiles(folder).files, url: d.fetch, rulesAt: () => ({ pages: [{ url: d.fetch, select: d.select }] }), origin: 'replay' });
    } finally {
      await t.drop();
    }
    const env = { CLAUSEWATCH_DATA: data };
    const s = await cli(['summary', 'murf', '--json', '--at', '2024-12-20'], env);
    assert.equal(s.code, 0, s.stderr);
    const sum = JSON.parse(s.stdout);
    assert.match(sum.grade.grade, /^[A-E]$/);
    assert.ok(sum.grade.reasons.length > 0, 'the grade gives its reasons');
    assert.equal(sum.documents[0].status, 'analysed');
    assert.equal(sum.recentChanges.length, 1, 'one material change in the 30 days before 2024-12-20');
    assert.match(sum.recentChanges[0].summary, /Removes section “9\. API Terms”/);
    assert.ok(Array.isArray(sum.aiTraining.plans), 'the AI-training matrix');
    const text = await cli(['summary', 'Murf', '--at', '2024-12-20'], env);
    assert.match(text.stdout, /^Murf \(CW-PL-000001\) — grade [A-E]/);
    assert.match(text.stdout, /Material changes in the last 30 days:\n {2}2024-12-04 {2}CW-V-\d+ {2}Removes section/);
    assert.equal((await cli(['summary', 'nobody'], env)).code, 2);

    const pending = await cli(['analyse', '--json'], env);
    assert.equal(JSON.parse(pending.stdout).versions, 0, 'nothing pending');
    const before = JSON.parse((await cli(['show', 'CW-P-000005', '--json'], env)).stdout);
    assert.equal(before.record, 'CW-P-000005');
    assert.ok(before.texts[0].versions.length > 0, 'the versions holding its text');
    const redo = await cli(['analyse', 'murf', '--all', '--json'], env);
    assert.equal(redo.code, 0, redo.stderr);
    assert.equal(JSON.parse(redo.stdout).analysed, 9, 'all nine versions analysed again');
    const after = JSON.parse((await cli(['show', 'CW-P-000005', '--json'], env)).stdout);
    // The re-run signs a checkpoint, so the record's log entry gains a proof; all else is unchanged.
    assert.ok(after.log.checkpoint && after.log.inclusionProof, 'a standalone analyse run signs a checkpoint covering its provisions');
    const withoutProof = (r: { log: Record<string, unknown> }) => ({ ...r, log: { ...r.log, checkpoint: undefined, inclusionProof: undefined } });
    assert.deepEqual(withoutProof(after), withoutProof(before), 'a re-run keeps the provision and its record');
    const v = JSON.parse((await cli(['show', 'CW-V-000007', '--json'], env)).stdout);
    assert.ok(v.analysis.changes.some((c: string) => /^CW-P-\d+ removed: /.test(c)), `provision changes of the version: ${JSON.stringify(v.analysis)}`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
