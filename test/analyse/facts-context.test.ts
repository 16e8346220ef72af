// What the fact extractor learns from a platform's own documents: product names, training-control names,
// plan labels, prose procedures; and the development set it is scored on (scripts/compare-facts.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions } from '../../src/analyse/provisions/index.ts';
import { extractAiTrainingFacts } from '../../src/analyse/facts/index.ts';
import { controlNames, inferProducts, labelPlans, leadLabel } from '../../src/analyse/facts/context.ts';
import { planRecogniser } from '../../src/analyse/facts/plans.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const facts = (markdown: string) =>
  extractAiTrainingFacts(splitProvisions(markdown).map((p) => ({ id: `p${p.ordinal}`, text: p.text, section: p.section, kind: p.kind, ...(p.columns ? { columns: p.columns } : {}) })));
const summary = (f: ReturnType<typeof facts>) => f.plans.map((p) => `${p.plan}:${p.default}:${p.optOut}`);

test('a word the documents put before plan words, three times or more, and name the provider by, is a product', () => {
  assert.deepEqual(inferProducts(['Corvid is an assistant. Corvid Plus costs more.', 'Corvid Teams is for companies.'], ['Does Corvid learn from my chats?']), ['Corvid']);
  assert.deepEqual(inferProducts(["Corvid's replies. Corvid Plus costs more.", 'Corvid Teams is for companies.']), ['Corvid']);
  assert.deepEqual(inferProducts(['Ads API calls. Ads API keys. Ads are shown.'], ['Developer Agreement']), []);
  assert.deepEqual(inferProducts(['Example Pro is mentioned once.']), []);
  assert.deepEqual(inferProducts(['The Team plan. The Team plan. The Team plan.']), []);
});

test('training controls are what the steps switch off; a programme at the end of the name counts alone', () => {
  const names = controlNames([
    { surface: 'web', steps: ['Open Settings.', 'Switch off Share snippets with Nimbus Lab.'], evidence: [] },
    { surface: 'ios', steps: ['Turn off the switch called Learn from my chats.'], evidence: [] },
    { surface: 'api', steps: ['Set Use audio to improve models to Off.'], evidence: [] },
  ]);
  assert.deepEqual(names, ['Share snippets with Nimbus Lab', 'Nimbus Lab', 'Learn from my chats', 'Use audio to improve models']);
});

test('labels: known plan words count alone, Title Case names are unknown, descriptions are no label plans', () => {
  const r = planRecogniser(['Lumen']);
  assert.deepEqual(leadLabel('**Basic (free) and Pro.** Meeting audio is included.'), { label: 'Basic (free) and Pro', rest: 'Meeting audio is included.' });
  assert.deepEqual(leadLabel('**Creator:** Yes, unless you switch it off.'), { label: 'Creator', rest: 'Yes, unless you switch it off.' });
  assert.equal(leadLabel('**Settings** opens the menu.'), null);
  assert.deepEqual(labelPlans('Basic (free) and Pro', r), { known: ['Basic', 'Pro'], unknown: [] });
  assert.deepEqual(labelPlans('Lumen API', r), { known: ['API'], unknown: [] });
  assert.deepEqual(labelPlans('Studio for Schools', r), { known: [], unknown: ['Studio for Schools'] });
  assert.deepEqual(labelPlans('Thumbs up and thumbs down', r), { known: [], unknown: [] });
});

test('a list of plan labels with sub-items and Yes/No answers under a training question', () => {
  const f = facts(`# Acme AI FAQ

## Is my work used to train Acme models by default?

- **Starter (free):** Yes. Starter accounts cannot switch it off.
- **Creator:** Yes, unless you switch off Share with Acme Lab.
- **Studio Teams:** No. Team work is kept out of training unless the owner opts in.
- **Studio for Schools:** handled under each school's agreement.

## Your plan

- **Personal**
  - Your notes are not used to train our models unless you join the Lab.
  - You can switch it back off at any time.
- **Business**
  - Nothing in a Business workspace is used to train our models.
`);
  assert.deepEqual(summary(f), ['Starter:on:false', 'Personal:off:true', 'Team:off:null', 'Business:off:null', 'Creator:on:true', 'Studio for Schools:unstated:null']);
});

test('prose steps per place, and a colon list of imperatives', () => {
  const f = facts(`# Does Acme learn from my chats?

Your chats may be used to train our models. On the website, first open Settings from the menu. Then choose the Privacy section. Finally, turn off the switch called Learn from my chats. In the Acme apps for iPhone and Android the path is shorter: tap your avatar, tap Privacy, and switch off Learn from my chats.
`);
  assert.deepEqual(
    f.optOutSteps.map((s) => [s.surface, s.steps]),
    [
      ['web', ['Open Settings from the menu.', 'Choose the Privacy section.', 'Turn off the switch called Learn from my chats.']],
      ['ios', ['Tap your avatar.', 'Tap Privacy.', 'Switch off Learn from my chats.']],
      ['android', ['Tap your avatar.', 'Tap Privacy.', 'Switch off Learn from my chats.']],
    ],
  );
  assert.deepEqual(summary(f), ['All:on:true']);
});

test('an exception whose kind is named in the provision label, not in the sentence', () => {
  const f = facts(`# Training

We train our models on your drafts unless you turn off Teach Acme.

## Good to know

- **Thumbs up and thumbs down.** When you rate a suggestion we keep it. Rated examples may be used to train our models even if Teach Acme is off.
- **Safety reviews.** If our systems flag a prompt or draft as a possible breach, we may keep it for two years and use it to improve the classifiers that detect misuse, regardless of your settings.
`);
  assert.deepEqual(f.exceptions.map((e) => e.kind), ['feedback', 'flagged-content']);
  assert.deepEqual(summary(f), ['All:on:true']);
});

for (const set of ['ai-facts-blind', 'ai-facts-dev2']) {
  test(`the development set ${set} of AI-training fact documents stays right (scripts/compare-facts.ts)`, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/compare-facts.ts', `test/analyse/${set}`, '--json'], { cwd: repoRoot, encoding: 'utf8' });
    const { totals } = JSON.parse(out) as { totals: Record<string, number> };
    // Measured when these rules were written: every plan, default, opt-out and exception right, every step
    // list but one (a sentence after the last step, which the set counts as part of it) exact, no extra plan.
    assert.equal(totals.plansFound, totals.plans);
    assert.equal(totals.defaults, totals.plans);
    assert.equal(totals.optOuts, totals.plans);
    assert.equal(totals.surfacesFound, totals.surfaces);
    assert.ok(totals.stepsExact! >= totals.surfaces! - 1, `steps exact ${totals.stepsExact}/${totals.surfaces}`);
    assert.equal(totals.exceptionsRight, totals.exceptions);
    assert.equal(totals.extraPlans, 0);
  });
}
