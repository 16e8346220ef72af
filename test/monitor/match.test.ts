// The matching rule, as a pure function: platforms, clause types, categories, minimum severity, and only
// changes analysed after the watchlist was made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchlistIndex, matchOne, type MaterialChange, type WatchlistRule } from '../../src/monitor/match.ts';
import { nextDaily } from '../../src/monitor/matcher.ts';
import { weekStart } from '../../src/monitor/digest.ts';
import { parsePlans, monitorConfig, ConfigError } from '../../src/monitor/config.ts';

const category = (t: string) => ({ 'binding-arbitration': 'dispute-resolution', 'class-action-waiver': 'dispute-resolution', 'ai-training-on-user-content': 'ai' })[t];
const rule = (o: Partial<WatchlistRule>): WatchlistRule => ({ id: 1, userId: 1, platformIds: [7], clauseTypes: [], categories: [], minSeverity: 'any', createdAt: new Date('2025-01-01'), ...o });
const change: MaterialChange = {
  versionId: 10, platformId: 7, analysedAt: new Date('2025-02-01'),
  changes: [
    { id: 100, types: ['binding-arbitration', 'class-action-waiver'], severity: 'high' },
    { id: 101, types: ['ai-training-on-user-content'], severity: 'medium' },
    { id: 102, types: [], severity: null },
  ],
};

test('a watchlist with no type filter matches every material provision change of its platforms', () => {
  const m = matchOne(rule({}), change, category)!;
  assert.deepEqual(m.provisionChangeIds, [100, 101, 102]);
  assert.equal(m.severity, 'high');
});

test('clause types, categories and the minimum severity narrow the match', () => {
  assert.deepEqual(matchOne(rule({ clauseTypes: ['ai-training-on-user-content'] }), change, category)!.provisionChangeIds, [101]);
  assert.deepEqual(matchOne(rule({ categories: ['dispute-resolution'] }), change, category)!.types, ['binding-arbitration', 'class-action-waiver']);
  assert.equal(matchOne(rule({ clauseTypes: ['ai-training-on-user-content'], minSeverity: 'high' }), change, category), undefined);
  assert.deepEqual(matchOne(rule({ minSeverity: 'medium' }), change, category)!.provisionChangeIds, [100, 101], 'untyped changes have no severity');
  assert.equal(matchOne(rule({ categories: ['children'] }), change, category), undefined);
});

test('the index only looks at watchlists of the change\u2019s platform, made before the change was analysed', () => {
  const idx = new WatchlistIndex([rule({ id: 1 }), rule({ id: 2, platformIds: [8] }), rule({ id: 3, createdAt: new Date('2025-03-01') }), rule({ id: 4, platformIds: [8, 7, 7] })], category);
  assert.deepEqual(idx.match(change).map((m) => m.watchlistId), [1, 4]);
});

test('daily batches, weeks, plans', () => {
  assert.equal(nextDaily(new Date('2025-02-03T10:00:00Z'), 17).toISOString(), '2025-02-03T17:00:00.000Z');
  assert.equal(nextDaily(new Date('2025-02-03T18:00:00Z'), 17).toISOString(), '2025-02-04T17:00:00.000Z');
  assert.equal(weekStart(new Date('2025-02-09T23:00:00Z')).toISOString(), '2025-02-03T00:00:00.000Z', 'Sunday belongs to the week that began on Monday');
  assert.equal(weekStart(new Date('2025-02-03T00:00:00Z')).toISOString(), '2025-02-03T00:00:00.000Z');
  assert.deepEqual([...parsePlans('free:1, monitor:25').values()], [{ name: 'free', platforms: 1 }, { name: 'monitor', platforms: 25 }]);
  assert.throws(() => parsePlans('free=1'), /CLAUSEWATCH_PLANS: "free=1" is not plan:platforms/);
  assert.throws(() => monitorConfig({ CLAUSEWATCH_ALERT_MODE: 'hourly' }), ConfigError);
  assert.throws(() => monitorConfig({ CLAUSEWATCH_SMTP_URL: 'http://x' }), /smtp:\/\//);
});
