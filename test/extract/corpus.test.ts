// Extraction on the real snapshot corpus (Data: Open Terms Archive, https://opentermsarchive.org, ODC-By 1.0).
// text_state labels come from a rough extraction (visible text, link targets ignored); snapshots with the
// same label must give the same Markdown, snapshots with different labels different Markdown, except where
// the difference is known to be markup only (listed below with the reason).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractMarkdown } from '../../src/extract/index.ts';
import { corpusFolders, loadFolder, readSnapshot, type Snapshot } from './corpus.ts';

/** Same text_state, different Markdown: the words are equal, only link targets or block structure moved. */
const MARKUP_ONLY_WITHIN_STATE: Record<string, string> = {
  'GitHub/Terms of Service S4': 'a help-page link target moved on 2023-07-28 (README, noise 9; demo version 374a6a8)',
  'GitHub/Terms of Service S10': 'privacy-statement anchors in two link targets changed',
  'GitHub Copilot/Privacy Policy S4': 'links added and a link re-targeted around unchanged words',
  'Midjourney/Terms of Service S3': 'a sentence moved from the end of a list item into its own paragraph',
  'Open Collective/Terms of Service S1': 'the Community Guidelines link target changed (demo version 0cef01c907)',
  'UptimeRobot/Privacy Policy S4': 'one link changed from https to http (demo version 25585d2f64)',
};

/** Different text_state, same Markdown: the rough labels saw noise that extraction removes. */
const SAME_ACROSS_STATES: Record<string, string> = {
  'Wordtune/Privacy Policy S2=S3': 'Cloudflare email obfuscation decoded back to the addresses (README, noise 4)',
  'GitHub/Terms of Service S1=S2': "heading permalink markup: the aria-hidden ' #' symbol (README, noise 8)",
  'Doubao/Privacy Policy S3=S4': 'only inline tag boundaries moved ("c</span><span>ookie"); the rendered text is equal (README, noise 7)',
  'Murf/Terms of Service S5=S6': 'an empty <strong></strong> and a stray </strong> appeared; nothing visible changed',
};

/** The words of a Markdown text, without link targets, markers or layout. */
function wordsOnly(md: string): string {
  return md
    .replace(/\]\([^)]*\)/g, '')
    .replace(/[[\]*#>|`\\-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Extracted {
  snap: Snapshot;
  markdown: string;
  matched: boolean;
}

const extracted = new Map<string, Extracted[]>();
function folderResults(folder: string): Extracted[] {
  let r = extracted.get(folder);
  if (!r) {
    r = loadFolder(folder).map((snap) => {
      const { markdown, matched } = extractMarkdown(readSnapshot(snap), { url: snap.url, select: snap.select, remove: snap.remove });
      return { snap, markdown, matched };
    });
    extracted.set(folder, r);
  }
  return r;
}

function byState(results: Extracted[]): Map<string, Extracted[]> {
  const m = new Map<string, Extracted[]>();
  for (const r of results) {
    const list = m.get(r.snap.textState) ?? [];
    list.push(r);
    m.set(r.snap.textState, list);
  }
  return m;
}

describe('corpus: every folder', () => {
  for (const folder of corpusFolders()) {
    test(folder, () => {
      const results = folderResults(folder);
      assert.ok(results.length > 0);
      const states = byState(results);
      for (const r of results) {
        assert.ok(r.matched, `${r.snap.file}: selection matched`);
        assert.ok(r.markdown.length > 0, `${r.snap.file}: has text`);
      }
      // Same state: same Markdown (or, for the listed cases, the same words).
      for (const [state, list] of states) {
        const variants = new Set(list.map((r) => r.markdown));
        const key = `${folder} ${state}`;
        if (variants.size > 1) {
          assert.ok(key in MARKUP_ONLY_WITHIN_STATE, `${key}: ${variants.size} different extractions of one text`);
          assert.equal(new Set(list.map((r) => wordsOnly(r.markdown))).size, 1, `${key}: the words must still be equal`);
        } else {
          assert.ok(!(key in MARKUP_ONLY_WITHIN_STATE), `${key} is listed as differing but does not`);
        }
      }
      // Different states: different Markdown, except the listed noise cases.
      const ids = [...states.keys()];
      for (let a = 0; a < ids.length; a++) {
        for (let b = a + 1; b < ids.length; b++) {
          const ma = new Set(states.get(ids[a]!)!.map((r) => r.markdown));
          const overlap = states.get(ids[b]!)!.some((r) => ma.has(r.markdown));
          const key = `${folder} ${ids[a]}=${ids[b]}`;
          assert.equal(overlap, key in SAME_ACROSS_STATES, overlap ? `${key}: different texts extracted alike` : `${key} is listed as equal but differs`);
        }
      }
    });
  }
});

describe('corpus: noise cases from the README', () => {
  test('Kimi AI: the ad-conversion script and iframe with per-fetch parameters leave no trace', () => {
    const results = folderResults('Kimi AI/Privacy Policy');
    assert.equal(new Set(results.map((r) => r.markdown)).size, 1);
    assert.doesNotMatch(results[0]!.markdown, /random=|fst=|data-load-time/);
  });

  test('Speechify: Cloudflare-obfuscated addresses are decoded in every snapshot', () => {
    for (const r of folderResults('Speechify/Terms of Service')) {
      assert.doesNotMatch(r.markdown, /email\s*protected|cdn-cgi/, r.snap.file);
      assert.match(r.markdown, /\[[a-z]+@speechify\.com\]\(mailto:[a-z]+@speechify\.com/, r.snap.file);
    }
  });

  test('Speechify d1: the landing_url tracking parameter of the declared URL is not in the output', () => {
    for (const r of folderResults('Speechify/Terms of Service')) assert.doesNotMatch(r.markdown, /landing_url/);
  });

  test('Midjourney: headless-browser style artefacts never reach the Markdown', () => {
    for (const folder of ['Midjourney/Terms of Service', 'Midjourney/Privacy Policy']) {
      for (const r of folderResults(folder)) assert.doesNotMatch(r.markdown, /\d+\.\d+px|translateY|style=/, r.snap.file);
    }
  });

  test('Wordtune S3 (obfuscated addresses) extracts exactly like the S2 snapshots around it', () => {
    const results = folderResults('Wordtune/Privacy Policy');
    const get = (file: string) => results.find((r) => r.snap.file === file)!.markdown;
    const s3 = get('2024-10-12T00-32-47Z_75223bd4.html');
    assert.equal(s3, get('2024-10-16T00-33-12Z_953ef661.html'));
    assert.match(s3, /\[privacy@wordtune\.com\]\(mailto:privacy@wordtune\.com\)/);
  });

  test('real changes are kept: Murf, Midjourney, GitHub Copilot and Doubao change points differ', () => {
    for (const folder of ['Murf/Terms of Service', 'Midjourney/Terms of Service', 'GitHub Copilot/Terms of Service #en-site-policy-github-terms-github-terms-for-additional-products-and-features', 'Doubao/Privacy Policy']) {
      const results = folderResults(folder);
      for (let k = 1; k < results.length; k++) {
        const before = results[k - 1]!;
        const after = results[k]!;
        if (!after.snap.role.includes('change-after')) continue;
        const key = `${folder} ${before.snap.textState}=${after.snap.textState}`;
        if (key in SAME_ACROSS_STATES) continue;
        assert.notEqual(after.markdown, before.markdown, `${folder}: ${after.snap.file} is a change`);
      }
    }
  });

  test('GitHub Copilot Terms: the declared range selection keeps the intro and the Copilot section only', () => {
    const results = folderResults('GitHub Copilot/Terms of Service #en-site-policy-github-terms-github-terms-for-additional-products-and-features');
    const first = results[0]!.markdown;
    assert.match(first, /^# GitHub Terms for Additional Products and Features\n/);
    assert.match(first, /\n## GitHub Copilot\n/);
    assert.equal(first.match(/^## /gm)?.length, 1, 'only the Copilot h2');
    const last = results.at(-1)!.markdown;
    assert.ok(last.length > first.length * 1.2, 'the 2024-12-19 growth of the Copilot section is there');
  });
});
