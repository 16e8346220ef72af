// Repairs for text that HTML-to-text extraction glued together, and sentence splitting.

/** Small words that get glued to the label after them: "theManage", "labelledAllow". */
const GLUE_LEFT = 'the|a|an|labelled|labeled|named|called|under|select|click|tap|toggle|option|section|menu|button|of|to|in|on|and|or|your|our|from|with|then';
/** UI words that get glued to the label before them: "Privacysection", "sharingcheckbox". */
const GLUE_RIGHT = 'section|checkbox|toggle|menu|button|panel';
/** Real words ending in a GLUE_RIGHT word, told by their prefix. */
const RIGHT_EXCEPTIONS = new Set(['sub', 'inter', 'dis', 'bi', 'tri', 'vivi', 'cross', 'mid', 're', 'un', 'pre', 'multi']);

/**
 * Undoes word gluing from extraction ("Le Chatunder theManagesection.Under the Privacysection") only in
 * shapes that cannot be a real word: a known small word followed by a capital, a capitalised label followed
 * by "under the", a label followed by a UI noun, a full stop followed by a capital. Camel-case names such as
 * "iOS", "OpenAI", "ChatGPT" or "LinkedIn" are left alone because their lower-case part is not a known word.
 */
export function repairGlue(text: string): string {
  let s = text;
  s = s.replace(new RegExp(`\\b(${GLUE_LEFT})(?=[A-Z][a-z])`, 'g'), '$1 ');
  s = s.replace(/\b([A-Z][a-z]{2,})under(?=\s+(?:the|a|your|this)\b)/g, '$1 under');
  s = s.replace(new RegExp(`\\b([A-Za-z]{2,}?)(${GLUE_RIGHT})s?\\b`, 'g'), (m, prefix: string) => {
    if (prefix.length < 3 || RIGHT_EXCEPTIONS.has(prefix.toLowerCase())) return m;
    return `${prefix} ${m.slice(prefix.length)}`;
  });
  s = s.replace(/([a-z]{2,}[)”"’]?)([.!?;])(?=[A-Z][a-z])/g, '$1$2 ');
  s = s.replace(/([a-z]),(?=[A-Za-z])/g, '$1, ');
  return s.replace(/[ \t]{2,}/g, ' ').trim();
}

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'inc', 'ltd', 'co', 'no', 'vs', 'mr', 'mrs', 'ms', 'dr', 'st', 'u.s', 'u.k', 'e.u', 'art', 'sec', 'para', 'cf', 'approx']);

/** Splits prose into sentences without breaking after abbreviations, enumerations or decimals. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?。！？]+["”’)\]]*\s+(?=["“‘(\[]?[\p{Lu}\p{N}\p{Extended_Pictographic}])/gu;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const before = text.slice(Math.max(start, m.index - 24), m.index);
    const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    // "(a)", "1." and single capitals ("J. Smith") are not sentence ends either.
    if (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord) || /^\s*\(?\d{1,3}$/.test(text.slice(start, m.index))) continue;
    const end = m.index + m[0].length;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

/** Emoji and symbols that help centres put before notes ("🔑", "📌"). */
export function stripLeadingSymbols(s: string): string {
  return s.replace(/^[\s\p{Extended_Pictographic}\u{FE0F}\u{200D}•*>-]+/u, '').trim();
}

const STOPWORDS = new Set([
  'the', 'a', 'an', 'to', 'of', 'in', 'on', 'under', 'for', 'and', 'or', 'then', 'your', 'you', 'with', 'from', 'by',
  'as', 'is', 'are', 'be', 'this', 'that', 'it', 'its', 'at', 'into', 'out', 'up', 's', 'if', 'will', 'can',
]);

/** Content words, lightly stemmed, for "does this line repeat what was already said?". */
export function contentWords(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}
