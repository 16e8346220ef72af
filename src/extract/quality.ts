// Is an extraction trustworthy enough to be recorded as a new version? Error pages, bot walls, redirect stubs
// and broken selectors all produce "new text" that is not a change of the document. Every text rule applies
// only to short extractions, so a real policy that mentions "404", "captcha" or "redirected" is never flagged.
import type { SuspectReason } from '../domain/types.ts';

/** Letters and digits of the visible text (link targets and Markdown syntax do not count). */
export function visibleTextLength(markdown: string): number {
  return markdown.replace(/\]\([^)\s]*\)/g, ']').replace(/[^\p{L}\p{N}]+/gu, '').length;
}

/** Below this many letters/digits a page can be an error page; above it, it is a document. */
const SHORT = 1500;
/** Weaker signals ("something went wrong") count only on pages this short. */
const TINY = 400;
/** A drop to less than this share of the previous text is treated as a broken extraction. */
const SHRINK_RATIO = 0.3;
/** Previous texts shorter than this are too small to judge a shrink against. */
const SHRINK_MIN_PREVIOUS = 200;

const ERROR_STRONG: [RegExp, string][] = [
  [/we[’']re all mixed up|refresh this page or try again later/i, 'Spotify error page'],
  [/da ist wohl etwas schiefgegangen|aktualisiere diese seite/i, 'Spotify error page (German)'],
  [/this (page|content) isn[’']t available( right now)?/i, '"page isn\'t available" error page'],
];

/** Phrases a real document may contain in passing ("our 404 page"); trusted only on tiny pages or in the title. */
const ERROR_WEAK: [RegExp, string][] = [
  [/\b404\b.{0,20}\b(not found|error)\b|\berror\b\W{0,3}404\b|\bnot found\b.{0,20}\b404\b/i, '404 page'],
  [/\bpage (was )?not found\b|\bpage (could not|cannot|can[’']t) be found\b|\bpage (does not|doesn[’']t) exist\b|\bseite (wurde )?nicht gefunden\b|\bpage introuvable\b|\bp[áa]gina no encontrada\b/i, 'page not found'],
  [/\b(500|502|503|504)\b.{0,10}(internal server error|bad gateway|service (temporarily )?unavailable|gateway time-?out)/i, 'server error page'],
  [/something went wrong|an (unexpected )?error (has )?occurred|try reloading this page|internal server error|service (temporarily )?unavailable/i, 'error page'],
];

const BOT_TEXT: [RegExp, string][] = [
  [/verify (that )?you are (a )?human|are you a robot|i[’']?m not a robot|checking (your browser|if the site connection is secure)|just a moment\.\.\.|enable javascript and cookies to continue|please complete the security check|you have been blocked|pardon our interruption|request unsuccessful\. incapsula|unusual traffic from your computer|press (&|and) hold/i, 'bot wall'],
];

const BOT_TEXT_WEAK: [RegExp, string][] = [
  [/\baccess denied\b|you don[’']t have permission to access|(complete|solve) the (captcha|security check)|captcha (challenge|verification)|attention required/i, 'bot wall'],
];

const REDIRECT_TEXT = /\b(you should be|you are being|you will be|you[’']ll be) redirected\b|\bredirecting( you)?\b( to|…|\.\.\.)|\bclick here if you are not redirected\b/i;

/** Markers that only challenge and block pages carry (normal pages may load Cloudflare's jsd script). */
const BOT_MARKERS: [RegExp, string][] = [
  [/window\._cf_chl_opt|cf-browser-verification|id="challenge-form"|<title>Just a moment\.\.\.<\/title>/i, 'Cloudflare challenge'],
  [/<title>Attention Required! \| Cloudflare<\/title>|class="cf-error-details"|id="cf-error-details"/i, 'Cloudflare block page'],
  [/_Incapsula_Resource|Incapsula incident ID/i, 'Imperva/Incapsula block page'],
  [/captcha-delivery\.com|geo\.captcha-delivery/i, 'DataDome captcha'],
  [/id="px-captcha"|PerimeterX/i, 'PerimeterX captcha'],
  [/gokuProps|AwsWafIntegration\.(checkForceRefresh|getToken)\(\)\.then/i, 'AWS WAF challenge'],
  [/Sucuri WebSite Firewall - Access Denied/i, 'Sucuri block page'],
  [/<title>Access Denied<\/title>[\s\S]{0,2000}You don't have permission to access/i, 'Akamai block page'],
];
const BOT_STATUS_TEXT = /captcha|verify (that )?you are (a )?human|are you a robot|access denied|unusual traffic|bot detection/i;

function head(html: string, max = 300_000): string {
  return html.length > max ? html.slice(0, max) : html;
}

function htmlTitle(html: string): string {
  const m = /<title\b[^>]*>([^<]{0,300})<\/title>/i.exec(head(html, 100_000));
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : '';
}

/**
 * A reason string when the response is a bot wall (challenge, captcha or block page) rather than the page,
 * else null. For the fetcher; `status` is the HTTP status if known.
 */
export function detectBotWall(html: string, status?: number): string | null {
  const h = head(html);
  for (const [re, why] of BOT_MARKERS) if (re.test(h)) return why;
  if (status === 403 || status === 429 || status === 503) {
    // Block pages are small; a big page with such a status is an ordinary error for the fetcher to report.
    if (html.length < 100_000 && BOT_STATUS_TEXT.test(h)) return `HTTP ${status} with a captcha/block message`;
  }
  return null;
}

function firstMatch(rules: [RegExp, string][], texts: string[]): string | null {
  for (const [re, why] of rules) for (const t of texts) if (t && re.test(t)) return why;
  return null;
}

/**
 * Why an extraction should not be recorded as a new version, or null when it looks like the document.
 * `previousMarkdown` is the last version recorded for the same document, to catch sudden losses of text.
 */
export function assessExtraction(markdown: string, html: string, previousMarkdown?: string): SuspectReason | null {
  const length = visibleTextLength(markdown);
  if (length === 0) return { kind: 'empty', detail: 'the extraction has no text' };

  if (length < SHORT) {
    const title = htmlTitle(html);
    const texts = [markdown, title];
    const refresh = /<meta\b[^>]*?http-equiv\s*=\s*["']?refresh["']?[^>]*?url\s*=/i.test(head(html, 100_000));
    if (refresh || REDIRECT_TEXT.test(title) || (length < TINY && REDIRECT_TEXT.test(markdown))) {
      return { kind: 'redirect-stub', detail: `redirect page (${refresh ? 'meta refresh' : 'redirect message'}): ${title || markdown.slice(0, 80).trim()}` };
    }
    const error = firstMatch(ERROR_STRONG, texts) ?? firstMatch(ERROR_WEAK, length < TINY ? texts : [title]);
    if (error) return { kind: 'error-page', detail: `${error}: ${(title || markdown).slice(0, 100).trim()}` };
    const bot = firstMatch(BOT_TEXT, texts) ?? firstMatch(BOT_TEXT_WEAK, length < TINY ? texts : [title]);
    if (bot) return { kind: 'error-page', detail: `${bot}: ${(title || markdown).slice(0, 100).trim()}` };
  }
  const wall = length < SHORT * 4 ? detectBotWall(html) : null;
  if (wall) return { kind: 'error-page', detail: `bot wall: ${wall}` };

  if (previousMarkdown !== undefined) {
    const before = visibleTextLength(previousMarkdown);
    if (before >= SHRINK_MIN_PREVIOUS && length < before * SHRINK_RATIO) {
      const pct = Math.floor((1 - length / before) * 100);
      return { kind: 'shrunk', detail: `text shrank by ${pct}% (${before} → ${length} letters and digits); a broken selector or partial page is more likely than a deleted document` };
    }
  }
  return null;
}
