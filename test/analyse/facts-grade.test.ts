import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradePlatform, GRADE_THRESHOLDS } from '../../src/analyse/facts/index.ts';
import type { AiTrainingFacts } from '../../src/analyse/facts/index.ts';

const facts = (plans: AiTrainingFacts['plans']): AiTrainingFacts => ({ plans, optOutSteps: [], exceptions: [] });

test('grade follows the documented formula', () => {
  assert.deepEqual(gradePlatform({ high: 0, medium: 0, low: 0, positive: 0 }), {
    grade: 'A',
    score: 100,
    reasons: ['no clause counts against or for the platform'],
  });
  // 100 − 2·10 − 3·4 − 5·1 + 2·3 = 69 → C (B starts at 70).
  const g = gradePlatform({ high: 2, medium: 3, low: 5, positive: 2 });
  assert.equal(g.score, 69);
  assert.equal(g.grade, 'C');
  assert.deepEqual(g.reasons, ['-20: 2 high-severity clauses', '-12: 3 medium-severity clauses', '-5: 5 low-severity clauses', '+6: 2 user-protective clauses']);
});

test('positive clauses are capped, scores are clamped, thresholds are inclusive', () => {
  assert.equal(gradePlatform({ high: 0, medium: 0, low: 0, positive: 50 }).score, 100);
  assert.equal(gradePlatform({ high: 3, medium: 0, low: 0, positive: 50 }).score, 85);
  assert.equal(gradePlatform({ high: 3, medium: 0, low: 0, positive: 50 }).grade, 'A');
  assert.equal(gradePlatform({ high: 20, medium: 0, low: 0, positive: 0 }).score, 0);
  assert.equal(gradePlatform({ high: 20, medium: 0, low: 0, positive: 0 }).grade, 'E');
  assert.deepEqual(GRADE_THRESHOLDS.map(([g]) => g), ['A', 'B', 'C', 'D']);
  assert.equal(gradePlatform({ high: 6, medium: 0, low: 0, positive: 0 }).grade, 'D'); // 40
  assert.equal(gradePlatform({ high: 6, medium: 0, low: 1, positive: 0 }).grade, 'E'); // 39
});

test('AI-training facts and recent changes adjust the score with a stated reason', () => {
  const base = { high: 1, medium: 1, low: 0, positive: 0 }; // 86
  const onNoOpt = gradePlatform(base, { aiTraining: facts([{ plan: 'Free', default: 'on', optOut: null, evidence: ['x'] }]) });
  assert.equal(onNoOpt.score, 74);
  assert.match(onNoOpt.reasons.at(-1)!, /^-12: trains on Free data by default with no opt-out stated$/);
  const onWithOpt = gradePlatform(base, { aiTraining: facts([{ plan: 'Free', default: 'on', optOut: true, evidence: ['x'] }, { plan: 'Team', default: 'off', optOut: null, evidence: ['y'] }]) });
  assert.equal(onWithOpt.score, 80);
  assert.equal(gradePlatform(base, { aiTraining: facts([{ plan: 'API', default: 'never', optOut: null, evidence: ['x'] }]) }).score, 91);
  assert.equal(gradePlatform(base, { aiTraining: facts([{ plan: 'All', default: 'unstated', optOut: null, evidence: [] }]) }).score, 83);
  const churn = gradePlatform(base, { recentMaterialChanges: 9 });
  assert.equal(churn.score, 81);
  assert.equal(churn.reasons.at(-1), '-5: 9 material changes in the last 90 days');
});

test('the same inputs always give the same grade', () => {
  const input = { high: 2, medium: 7, low: 11, positive: 4 };
  assert.deepEqual(gradePlatform(input), gradePlatform({ ...input }));
});
