import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions, type Provision } from '../../src/analyse/provisions/index.ts';
import { extractAiTrainingFacts, planRecogniser, repairGlue, splitSentences } from '../../src/analyse/facts/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const seedText = readFileSync(path.join(shared, 'seeds/001_8550604760f152f9.txt'), 'utf8');
const termsClause = readFileSync(path.join(repoRoot, 'test/fixtures/analyse/mistral-terms-training-clause.txt'), 'utf8').trim();

/** Provision ids in these tests are "<doc>:<ordinal>", so expectations can name the sentence they mean. */
const asFacts = (doc: string, ps: Provision[]) => ps.map((p) => ({ id: `${doc}:${p.ordinal}`, text: p.text, section: p.section, ...(p.columns ? { columns: p.columns } : {}) }));
const seed = splitProvisions(seedText);
const idOf = (start: string) => `help:${seed.find((p) => p.text.startsWith(start))!.ordinal}`;

test('seed help article: plans, defaults and opt-outs', () => {
  const facts = extractAiTrainingFacts(asFacts('help', seed));
  const teams = idOf('🔑 Users of le Chat Teams');
  const others = idOf('Users of other subscription plans');
  const note = idOf('📌 Documents attached');
  const scale = idOf('🔑 Customers on a Scale plan');
  const experiment = idOf('Users of the Experiment plan');
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: true, evidence: [others, note] },
    { plan: 'Pro', default: 'on', optOut: true, evidence: [others, note] },
    { plan: 'Student', default: 'on', optOut: true, evidence: [others, note] },
    { plan: 'Team', default: 'off', optOut: null, evidence: [teams] },
    { plan: 'Enterprise', default: 'off', optOut: null, evidence: [teams] },
    { plan: 'Experiment', default: 'on', optOut: true, evidence: [experiment] },
    { plan: 'Scale', default: 'off', optOut: null, evidence: [scale] },
  ]);
  assert.deepEqual(facts.exceptions, []);
});

test('seed help article: clean opt-out steps for web, iOS, Android and API', () => {
  const facts = extractAiTrainingFacts(asFacts('help', seed));
  const mobile = [
    'Open the Settings page of the application.',
    'Select Data & Account Controls under the Account section.',
    'In the Data & Account Controls panel, deselect the Enable data sharing checkbox to opt out of Mistral’s training program.',
  ];
  const mobileEvidence = [idOf('Open the Settings'), idOf('Select Data & Account Controls under'), idOf('In the Data & Account Controls panel')];
  assert.deepEqual(facts.optOutSteps, [
    {
      surface: 'web',
      steps: [
        'Select Le Chat under the Manage section.',
        'Under the Privacy section, disable the toggle labelled Allow your interactions to be used to train our models.',
      ],
      evidence: [idOf('Select Le Chatunder')],
    },
    { surface: 'ios', steps: mobile, evidence: mobileEvidence },
    { surface: 'android', steps: mobile, evidence: mobileEvidence },
    {
      surface: 'api',
      steps: [
        'In the Admin Console, open the Privacy menu in the left-hand navigation bar.',
        'Under the Anonymous improvement data section, disable the toggle to prevent API calls and related data from being used to improve Mistral’s services.',
      ],
      evidence: [idOf('In the Admin Console'), idOf('Under the Anonymous')],
    },
  ]);
});

test('Mistral terms clause: exceptions for feedback and flagged content, plans named in the exception', () => {
  const facts = extractAiTrainingFacts([{ id: 'terms:1', text: termsClause, section: ['Your Data'] }]);
  assert.deepEqual(facts.exceptions, [
    { kind: 'feedback', evidence: ['terms:1'] },
    { kind: 'flagged-content', evidence: ['terms:1'] },
  ]);
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: true, evidence: ['terms:1'] },
    { plan: 'Pro', default: 'on', optOut: true, evidence: ['terms:1'] },
    { plan: 'Student', default: 'on', optOut: true, evidence: ['terms:1'] },
    { plan: 'Other plans', default: 'off', optOut: null, evidence: ['terms:1'] },
  ]);
});

test('help article and terms together: the platform view cites both documents', () => {
  const facts = extractAiTrainingFacts([...asFacts('help', seed), { id: 'terms:1', text: termsClause, section: ['Your Data'] }]);
  const summary = facts.plans.map((p) => `${p.plan}:${p.default}:${p.optOut}`);
  assert.deepEqual(summary, ['Free:on:true', 'Pro:on:true', 'Student:on:true', 'Team:off:null', 'Enterprise:off:null', 'Experiment:on:true', 'Scale:off:null', 'Other plans:off:null']);
  assert.ok(facts.plans.find((p) => p.plan === 'Pro')!.evidence.includes('terms:1'));
  assert.ok(facts.plans.find((p) => p.plan === 'Pro')!.evidence.includes(idOf('📌 Documents attached')));
  assert.deepEqual(facts.exceptions.map((e) => e.kind), ['feedback', 'flagged-content']);
  assert.equal(facts.optOutSteps.length, 4);
});

test('every cited id exists in the input', () => {
  const input = [...asFacts('help', seed), { id: 'terms:1', text: termsClause, section: ['Your Data'] }];
  const ids = new Set(input.map((p) => p.id));
  const facts = extractAiTrainingFacts(input);
  const cited = [...facts.plans, ...facts.optOutSteps, ...facts.exceptions].flatMap((f) => f.evidence);
  assert.ok(cited.length > 0);
  for (const id of cited) assert.ok(ids.has(id), id);
});

test('glue repair fixes extraction artefacts without breaking camel-case names', () => {
  assert.equal(
    repairGlue('Select Le Chatunder theManagesection.Under the Privacysection, disable the toggle labelledAllow your interactions'),
    'Select Le Chat under the Manage section. Under the Privacy section, disable the toggle labelled Allow your interactions',
  );
  assert.equal(repairGlue('deselect the Enable data sharingcheckbox'), 'deselect the Enable data sharing checkbox');
  const names = 'iOS, OpenAI, ChatGPT, LinkedIn, YouTube, iPhone, macOS, TikTok, WhatsApp, subsection, intersection, Thunder, Founder, mistral.ai';
  assert.equal(repairGlue(names), names);
});

test('sentences split at full stops but not after enumerations or abbreviations', () => {
  assert.deepEqual(splitSentences('We do not use data except (a) when you (i) use it, e.g. Free. Then stop. 1. Open the menu.'), [
    'We do not use data except (a) when you (i) use it, e.g. Free.',
    'Then stop.',
    '1. Open the menu.',
  ]);
});

test('plan names are recognised with product names, plan nouns or lists, and not in ordinary prose', () => {
  const r = planRecogniser();
  assert.deepEqual(r.find('Users of le Chat Teams or le Chat Enterprise are opted out'), ['Team', 'Enterprise']);
  assert.deepEqual(r.find('use Mistral AI Products under a free subscription'), ['Free']);
  assert.deepEqual(r.find('Customers on a Scale plan'), ['Scale']);
  assert.deepEqual(r.find('for business users, including ChatGPT Team, ChatGPT Enterprise, and the API.'), ['Team', 'Enterprise', 'API']);
  assert.deepEqual(r.find('Free, Plus and Pro users can turn this off.'), ['Free', 'Plus', 'Pro']);
  assert.deepEqual(r.find('Our Team will review it. Feel free to ask; it is free of charge.'), []);
  assert.deepEqual(r.find('related API services and API calls'), []);
  assert.deepEqual(planRecogniser(['Nimbus']).find('Nimbus Plus subscribers'), ['Plus']);
});
