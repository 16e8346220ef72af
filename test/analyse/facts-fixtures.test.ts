// Fixtures written for these tests in other providers' styles (see test/fixtures/analyse/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitProvisions, type Provision } from '../../src/analyse/provisions/index.ts';
import { extractAiTrainingFacts } from '../../src/analyse/facts/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (name: string) => splitProvisions(readFileSync(path.join(repoRoot, 'test/fixtures/analyse', name), 'utf8'));
const asFacts = (ps: Provision[]) => ps.map((p) => ({ id: `p${p.ordinal}`, text: p.text, section: p.section, kind: p.kind, ...(p.columns ? { columns: p.columns } : {}) }));
const idOf = (ps: Provision[], start: string) => `p${ps.find((p) => p.text.startsWith(start))!.ordinal}`;

test('consumer chatbot that trains by default with a settings toggle (Nimbus)', () => {
  const ps = load('nimbus-chat-help.md');
  const facts = extractAiTrainingFacts(asFacts(ps), { products: ['Nimbus'] });
  const consumer = idOf(ps, 'When you use Nimbus Free');
  const business = idOf(ps, 'Conversations in Nimbus Team');
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: true, evidence: [consumer, idOf(ps, 'Nimbus Free |')] },
    { plan: 'Plus', default: 'on', optOut: true, evidence: [consumer] },
    { plan: 'Team', default: 'off', optOut: null, evidence: [business, idOf(ps, 'Nimbus Team |')] },
    { plan: 'Enterprise', default: 'off', optOut: null, evidence: [business] },
  ]);
  const mobile = ['Tap the menu icon, then tap your name.', 'Tap Data controls.', 'Turn off Improve the model for everyone.'];
  assert.deepEqual(
    facts.optOutSteps.map((s) => [s.surface, s.steps]),
    [
      ['web', ['Sign in at nimbus.example and click your profile picture.', 'Open Settings and select Data controls.', 'Turn off the Improve the model for everyone toggle.']],
      ['ios', mobile],
      ['android', mobile],
    ],
  );
  assert.deepEqual(facts.optOutSteps[0]!.evidence, [idOf(ps, '1. Sign in'), idOf(ps, '2. Open'), idOf(ps, '3. Turn off the')]);
  assert.deepEqual(facts.exceptions, [
    { kind: 'feedback', evidence: [idOf(ps, 'Even if you turn off training')] },
    { kind: 'flagged-content', evidence: [idOf(ps, 'Conversations flagged')] },
  ]);
});

test('enterprise and API offering that never trains (Orbit)', () => {
  const ps = load('orbit-business-terms.md');
  const facts = extractAiTrainingFacts(asFacts(ps), { products: ['Orbit'] });
  const clause = idOf(ps, '4.2 Orbit will never use');
  assert.deepEqual(facts.plans, [
    { plan: 'Team', default: 'never', optOut: null, evidence: [clause] },
    { plan: 'Enterprise', default: 'never', optOut: null, evidence: [clause] },
    { plan: 'API', default: 'never', optOut: null, evidence: [clause] },
  ]);
  assert.deepEqual(facts.optOutSteps, []);
  assert.deepEqual(facts.exceptions, []);
});

test('a privacy policy that says nothing about training: unstated, nothing cited', () => {
  const facts = extractAiTrainingFacts(asFacts(load('lumen-privacy-policy.md')));
  assert.deepEqual(facts, { plans: [{ plan: 'All', default: 'unstated', optOut: null, evidence: [] }], optOutSteps: [], exceptions: [] });
});

test('statements that name no plan apply to all plans', () => {
  const facts = extractAiTrainingFacts([
    { id: 'a', text: 'We do not train our models on your content.', section: [] },
    { id: 'b', text: 'We use cookies to remember your preferences.', section: [] },
  ]);
  assert.deepEqual(facts.plans, [{ plan: 'All', default: 'off', optOut: null, evidence: ['a'] }]);
});

test('training without an opt-out, and an opt-in that is only an exception when framed as one', () => {
  const facts = extractAiTrainingFacts([
    { id: 'a', text: 'Conversations on the Free plan are used to train our models. Free users cannot opt out of training.', section: [] },
    { id: 'b', text: 'We do not use content from Business accounts to train our models unless the customer opts in to our research programme.', section: [] },
  ]);
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: false, evidence: ['a'] },
    { plan: 'Business', default: 'off', optOut: null, evidence: ['b'] },
  ]);
  assert.deepEqual(facts.exceptions, [{ kind: 'opt-in', evidence: ['b'] }]);
});

test('a one-sentence procedure in a policy paragraph is a one-step opt-out', () => {
  const facts = extractAiTrainingFacts([
    { id: 'a', text: 'We may use your conversations to train our models. To opt out, go to Settings > Data Controls and turn off “Improve the model for everyone”.', section: ['Your choices'] },
  ]);
  assert.deepEqual(facts.optOutSteps, [
    { surface: 'other', steps: ['To opt out, go to Settings > Data Controls and turn off “Improve the model for everyone”.'], evidence: ['a'] },
  ]);
  assert.deepEqual(facts.plans, [{ plan: 'All', default: 'on', optOut: true, evidence: ['a'] }]);
});

test('a sentence that names no plan is about the plans its heading names', () => {
  const ps = splitProvisions('## ChatGPT Team and Enterprise\n\nBy default, we do not train on your business data.\n\n## Everyone\n\nWe may use your chats to train our models.\n');
  const facts = extractAiTrainingFacts(asFacts(ps));
  assert.deepEqual(facts.plans.map((p) => [p.plan, p.default, p.evidence]), [
    ['Team', 'off', ['p0']],
    ['Enterprise', 'off', ['p0']],
    ['Other plans', 'on', ['p1']],
  ]);
});

test('restrictions on the user are not statements about the provider training on user data', () => {
  const ps = splitProvisions(`## Restricted uses

You represent and warrant that you will not:

- Access or collect data from the service to train or develop any AI models.
- use or share Outputs that will be used to train, develop or fine tune models;

You may not use our content to train machine learning models.
`);
  const facts = extractAiTrainingFacts(asFacts(ps));
  assert.deepEqual(facts, { plans: [{ plan: 'All', default: 'unstated', optOut: null, evidence: [] }], optOutSteps: [], exceptions: [] });
});

test('plan table with an opt-out column, steps under Web / iPhone / Android / API console headings (Quill)', () => {
  const ps = load('quill-training-help.md');
  const facts = extractAiTrainingFacts(asFacts(ps), { products: ['Quill'] });
  const stop = idOf(ps, 'If you are on Quill Free');
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: true, evidence: [idOf(ps, 'Quill Free |'), stop] },
    { plan: 'Premium', default: 'on', optOut: true, evidence: [idOf(ps, 'Quill Premium |'), stop] },
    { plan: 'Business', default: 'off', optOut: null, evidence: [idOf(ps, 'Quill Business |')] },
    { plan: 'Enterprise', default: 'never', optOut: null, evidence: [idOf(ps, 'Quill Enterprise |')] },
  ]);
  assert.deepEqual(
    facts.optOutSteps.map((s) => [s.surface, s.steps]),
    [
      ['web', ['Sign in at app.quill.example.', 'Click your avatar and choose Account settings.', 'Open the Privacy tab.', 'Switch off Contribute to Quill Learning.']],
      ['ios', ['Open the Quill keyboard app.', 'Tap Settings, then Privacy.', 'Turn off Contribute to Quill Learning.']],
      ['android', ['Open the Quill app and tap the menu icon.', 'Tap Privacy.', 'Turn off Contribute to Quill Learning.']],
      ['api', ['Sign in to the Quill developer console.', 'Select your project and open Data settings.', 'Disable Contribute to Quill Learning for the project.']],
    ],
  );
  assert.deepEqual(facts.optOutSteps[3]!.evidence, [idOf(ps, '1. Sign in to the Quill'), idOf(ps, '2. Select your project'), idOf(ps, '3. Disable')]);
  assert.deepEqual(facts.exceptions, [
    { kind: 'feedback', evidence: [idOf(ps, 'Even if you switch off')] },
    { kind: 'flagged-content', evidence: [idOf(ps, 'Documents that our systems flag')] },
  ]);
});

test('bulleted plans, and web and app steps in one section split at their "On the web:" lines (Harbor)', () => {
  const ps = load('harbor-ai-data-faq.md');
  const facts = extractAiTrainingFacts(asFacts(ps), { products: ['Harbor'] });
  const consumer = idOf(ps, 'Harbor Basic and Harbor Plus');
  assert.deepEqual(facts.plans, [
    { plan: 'Basic', default: 'on', optOut: true, evidence: [consumer] },
    { plan: 'Plus', default: 'on', optOut: true, evidence: [consumer] },
    { plan: 'Business', default: 'never', optOut: null, evidence: [idOf(ps, 'Harbor Business:')] },
    { plan: 'API', default: 'off', optOut: null, evidence: [idOf(ps, 'Harbor API:')] },
  ]);
  const app = ['Tap your initials in the top corner.', 'Tap Data & privacy.', 'Turn off Share chats for research.'];
  assert.deepEqual(
    facts.optOutSteps.map((s) => [s.surface, s.steps]),
    [
      ['web', ['Open harbor.example and go to Profile > Settings.', 'Select Data & privacy.', 'Turn off Share chats for research.']],
      ['ios', app],
      ['android', app],
    ],
  );
  // a reported chat is used even with the setting off, though the sentence never says "train"
  assert.deepEqual(facts.exceptions, [{ kind: 'flagged-content', evidence: [idOf(ps, 'If you report a chat')] }]);
});

test('prose: an opt-out sentence after a training sentence, a desktop app that is neither web nor mobile (Lyra)', () => {
  const ps = load('lyra-privacy-training.md');
  const facts = extractAiTrainingFacts(asFacts(ps), { products: ['Lyra'] });
  const consumer = idOf(ps, "If you're on the Lyra Free");
  const teams = idOf(ps, 'Prompts from Lyra Teams');
  assert.deepEqual(facts.plans, [
    { plan: 'Free', default: 'on', optOut: true, evidence: [consumer] },
    { plan: 'Starter', default: 'on', optOut: true, evidence: [consumer] },
    { plan: 'Team', default: 'off', optOut: null, evidence: [teams] },
    { plan: 'Enterprise', default: 'off', optOut: null, evidence: [teams] },
    { plan: 'API', default: 'off', optOut: null, evidence: [idOf(ps, 'Requests made through the Lyra API')] },
  ]);
  assert.deepEqual(
    facts.optOutSteps.map((s) => [s.surface, s.steps]),
    [
      ['other', ['Open Lyra and click Preferences.', 'Select Privacy.', 'Uncheck Help improve Lyra for everyone.']],
      ['android', ['Open the Lyra app.', 'Tap Account and then Privacy.', 'Uncheck Help improve Lyra for everyone.']],
    ],
  );
  assert.deepEqual(facts.exceptions, [{ kind: 'feedback', evidence: [idOf(ps, 'When you give feedback')] }]);
});
