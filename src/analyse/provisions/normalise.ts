// Text normalisations shared by provision identity, matching and change analysis.
// Kept in one place so that "the same provision" means the same thing everywhere.

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', hellip: '…', shy: '',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[body.toLowerCase()] ?? m;
  });
}

/** Link target inside a Markdown link: balanced parentheses allowed one level deep, optional title. */
const LINK_TARGET = String.raw`\((?:[^()\s]|\([^()]*\))*(?:\s+(?:"[^"]*"|'[^']*'))?\)`;
const IMAGE_RE = new RegExp(String.raw`!\[([^\]]*)\]` + LINK_TARGET, 'g');
const LINK_RE = new RegExp(String.raw`\[([^\]]*)\]` + LINK_TARGET, 'g');

/**
 * What a reader sees of a line of Markdown: link and image targets, HTML tags, escapes, emphasis markers
 * and entities removed. Link targets carry tracking parameters and move without the words changing, so
 * identity and materiality are judged on this.
 */
/**
 * The same provision texts go through splitting, matching, fact extraction and change analysis; a bounded
 * memo spares repeating the rewrites. Cleared wholesale when full: simple, and the working set is one pair
 * of versions.
 */
function memo(fn: (s: string) => string, limit = 20_000): (s: string) => string {
  const cache = new Map<string, string>();
  return (s: string) => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      if (cache.size >= limit) cache.clear();
      cache.set(s, v);
    }
    return v;
  };
}

export const visibleText: (md: string) => string = memo(visibleTextOf);

function visibleTextOf(md: string): string {
  // Each rewrite runs only when its trigger character is present: most provisions are plain prose.
  let s = md.includes('<!--') ? md.replace(/<!--[\s\S]*?-->/g, '') : md;
  if (s.includes('[')) {
    s = s.replace(IMAGE_RE, '$1');
    s = s.replace(LINK_RE, '$1');
    s = s.replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  }
  if (s.includes('<')) s = s.replace(/<\/?[a-zA-Z][^<>]*>/g, '');
  if (s.includes('\\')) s = s.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, '$1');
  if (/[*_~]/.test(s)) {
    s = s.replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, '$2');
    s = s.replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=$|[\s).,;:!?])/g, '$1$2');
  }
  if (s.includes('`')) s = s.replace(/`([^`]*)`/g, '$1');
  if (s.includes('&')) s = decodeEntities(s);
  if (/[\u00ad\u200b-\u200d\u2060\ufeff]/.test(s)) s = s.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '');
  return s.replace(/\s+/g, ' ').trim();
}

/** Heading text as shown: visible text without anchor leftovers such as a trailing "#", "¶" or "§". */
export function headingText(md: string): string {
  return visibleText(md.replace(/\{#[^}]*\}\s*$/, ''))
    .replace(/\s*[#¶§🔗]+\s*$/u, '')
    .replace(/^[*_\s]+|[*_\s]+$/g, '')
    .trim();
}

/** Leading enumeration labels: "9.1.4", "11.2.14", "(a)", "a)", "iv.", "1.", "Section 3", "Article 2.1", "§ 4". */
const ENUMERATION_RE =
  /^\s*(?:(?:section|article|clause|§)\s*)?(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|[a-z]\.|\(?[ivxlc]{1,6}\)|[ivxlc]{1,6}\.|\(\d{1,3}\))(?=\s)\s*/i;

export function stripEnumeration(s: string): string {
  let out = s;
  // Nested labels such as "(a) (i)" can stack; two rounds cover what legal text uses.
  for (let i = 0; i < 2; i++) {
    const next = out.replace(ENUMERATION_RE, '');
    if (next === out || next.trim() === '') break;
    out = next;
  }
  return out;
}

/** Bare URLs keep their host and path; query and fragment are per-fetch noise more often than content. */
function stripUrlNoise(s: string): string {
  return s.replace(/\bhttps?:\/\/[^\s)<>"]+/gi, (url) => url.replace(/[?#][^\s]*$/, ''));
}

/**
 * Text as it enters a provision key: visible, NFKC, lower case, enumeration and URL query stripped, and every
 * character that is not a letter or a digit dropped — whitespace included, so words split or glued by inline
 * markup ("c ookie", "Chatunder") keep the same key. Separators between digits survive so "1.5" ≠ "15".
 */
export const keyText: (md: string) => string = memo(keyTextOf);

function keyTextOf(md: string): string {
  let s = visibleText(md);
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(s);
  s = ascii ? s.toLowerCase() : s.normalize('NFKC').toLowerCase();
  if (s.includes('://')) s = stripUrlNoise(s);
  s = stripEnumeration(s);
  s = s.replace(/(\d)[.,](?=\d)/g, '$1·');
  return ascii ? s.replace(/[^a-z0-9·]+/g, '') : s.replace(/[^\p{L}\p{N}·]+/gu, '');
}

const MONTH_WORDS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?/g;

/** Key text with numbers and month names masked: pairs "Last updated: 11/04/2024" with "Last updated: 4 November 2024". */
export function templateText(md: string): string {
  let s = visibleText(md).normalize('NFKC').toLowerCase();
  s = stripEnumeration(s);
  s = s.replace(MONTH_WORDS, '#').replace(/\d+(?:st|nd|rd|th)?/g, '#');
  return s.replace(/[^\p{L}#]+/gu, '').replace(/#+/g, '#');
}

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

/**
 * Word tokens for similarity. Scripts written without spaces (Chinese, Japanese) are cut into character
 * bigrams, otherwise a whole paragraph would be one token.
 */
export function tokens(md: string): string[] {
  const v = visibleText(md);
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(v)) return v.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const words = v.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  const out: string[] = [];
  for (const w of words) {
    if (!w) continue;
    if (CJK_RE.test(w) && w.length > 2) {
      for (let i = 0; i + 1 < w.length; i++) out.push(w.slice(i, i + 2));
    } else {
      out.push(w);
    }
  }
  return out;
}

/** Sørensen–Dice coefficient of two token sets. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const t of small) if (large.has(t)) common++;
  return (2 * common) / (a.size + b.size);
}
