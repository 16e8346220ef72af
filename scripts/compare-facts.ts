// Scores the AI-training fact extractor on a folder of NAME.md + NAME.expected.json pairs, the way
// `clausewatch analyze --json NAME.md` reads them. Usage:
//   node --import tsx scripts/compare-facts.ts test/analyse/ai-facts-blind [--verbose] [--json]
// Counts per document: plans found with the right name, right default, right opt-out; surfaces with steps
// whose texts match loosely (case, punctuation, Markdown marks and "›" vs ">" ignored); exceptions.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyseDocuments, defaultAnalyser } from '../src/analyse/store/index.ts';
import { PLAN_WORDS } from '../src/analyse/facts/patterns.ts';

interface ExpectedPlan { plan: string; default: string; optOut: boolean | null }
interface Expected {
  plans: ExpectedPlan[];
  optOutSteps: { surface: string; steps: string[] }[];
  exceptions: string[];
}

const loose = (s: string) => s.toLowerCase().replace(/[*_`]/g, '').replace(/[›→]/g, '>').replace(/[^\p{L}\p{N}>]+/gu, ' ').trim();

const WORD_TO_PLAN = new Map(PLAN_WORDS.flatMap((p) => p.words.map((w) => [w.toLowerCase(), p.plan.toLowerCase()] as const)));
/** "Corvid Plus" is our "Plus", "Studio Teams" our "Team": the extractor names plans canonically. */
const samePlan = (expected: string, got: string) => {
  const e = expected.toLowerCase();
  const g = got.toLowerCase();
  if (e === g) return true;
  const inside = e.split(/\s+/).map((w) => WORD_TO_PLAN.get(w)).filter(Boolean);
  return inside.length === 1 && inside[0] === g;
};

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir) {
  console.error('usage: compare-facts.ts FOLDER [--verbose] [--json]');
  process.exit(2);
}
const verbose = args.includes('--verbose');
const analyser = defaultAnalyser();
const totals = { plans: 0, plansFound: 0, defaults: 0, optOuts: 0, extraPlans: 0, surfaces: 0, surfacesFound: 0, stepsExact: 0, exceptions: 0, exceptionsRight: 0, exceptionsExtra: 0 };
const perDoc: Record<string, unknown>[] = [];

for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort()) {
  const name = file.replace(/\.md$/, '');
  const expected = JSON.parse(readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as Expected;
  const report = analyseDocuments([{ name: file, format: 'markdown', text: readFileSync(path.join(dir, file), 'utf8') }], analyser);
  const got = report.aiTraining;
  const problems: string[] = [];

  for (const e of expected.plans) {
    totals.plans++;
    const g = got.plans.find((p) => samePlan(e.plan, p.plan));
    if (!g) {
      problems.push(`plan ${e.plan}: missing (expected ${e.default}, opt-out ${e.optOut})`);
      continue;
    }
    totals.plansFound++;
    if (g.default === e.default) totals.defaults++;
    else problems.push(`plan ${e.plan}: default ${g.default}, expected ${e.default}`);
    if (g.optOut === e.optOut) totals.optOuts++;
    else problems.push(`plan ${e.plan}: opt-out ${g.optOut}, expected ${e.optOut}`);
  }
  for (const g of got.plans) {
    if (!expected.plans.some((e) => samePlan(e.plan, g.plan))) {
      totals.extraPlans++;
      problems.push(`plan ${g.plan}: not expected (${g.default}, opt-out ${g.optOut})`);
    }
  }

  for (const e of expected.optOutSteps) {
    totals.surfaces++;
    // A surface may have several procedures (a form and an e-mail): the one with the same steps, else the first.
    const same = (steps: string[]) => steps.length === e.steps.length && steps.every((s, i) => loose(s) === loose(e.steps[i]!));
    const g = got.optOutSteps.find((s) => s.surface === e.surface && same(s.steps)) ?? got.optOutSteps.find((s) => s.surface === e.surface);
    if (!g) {
      problems.push(`steps ${e.surface}: missing`);
      continue;
    }
    totals.surfacesFound++;
    if (same(g.steps)) totals.stepsExact++;
    else problems.push(`steps ${e.surface}: got ${JSON.stringify(g.steps)}\n      expected ${JSON.stringify(e.steps)}`);
  }
  for (const g of got.optOutSteps) if (!expected.optOutSteps.some((e) => e.surface === g.surface)) problems.push(`steps ${g.surface}: not expected ${JSON.stringify(g.steps)}`);

  const gotExceptions = new Set(got.exceptions.filter((k) => k === 'feedback' || k === 'flagged-content'));
  for (const e of expected.exceptions) {
    totals.exceptions++;
    if (gotExceptions.has(e)) totals.exceptionsRight++;
    else problems.push(`exception ${e}: missing`);
  }
  for (const g of gotExceptions) {
    if (!expected.exceptions.includes(g)) {
      totals.exceptionsExtra++;
      problems.push(`exception ${g}: not expected`);
    }
  }
  perDoc.push({ document: name, problems });
  if (!args.includes('--json')) {
    console.log(`${name}: ${problems.length ? `${problems.length} problem(s)` : 'all right'}`);
    if (verbose) for (const p of problems) console.log(`    ${p}`);
  }
}

if (args.includes('--json')) console.log(JSON.stringify({ totals, documents: perDoc }, null, 2));
else {
  const t = totals;
  console.log(
    `plans found ${t.plansFound}/${t.plans} (extra ${t.extraPlans}), defaults right ${t.defaults}/${t.plans}, opt-outs right ${t.optOuts}/${t.plans}, ` +
      `surfaces found ${t.surfacesFound}/${t.surfaces}, steps exact ${t.stepsExact}/${t.surfaces}, exceptions ${t.exceptionsRight}/${t.exceptions} (extra ${t.exceptionsExtra})`,
  );
}
