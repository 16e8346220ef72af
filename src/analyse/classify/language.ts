// Decides whether a text is English before anything is classified: the model was trained on English only,
// and a confident label on French or Chinese text would be a guess. Script ranges catch non-Latin
// languages; stop-word counts separate English from other Latin-script languages. Linear and bounded.

export interface LanguageResult {
  /** ISO 639-1 code, 'und' when undetermined (too little text, no letters). */
  language: string;
  /** Share of the decisive evidence, 0..1 (script share or stop-word share). */
  confidence: number;
}

/** Characters examined: enough for a reliable call, bounded for 5 MB inputs. */
const SAMPLE = 20_000;

const SCRIPTS: [string, number, number][] = [
  ['ru', 0x0400, 0x04ff], // Cyrillic (Russian as the representative; Ukrainian etc. share it)
  ['el', 0x0370, 0x03ff],
  ['he', 0x0590, 0x05ff],
  ['ar', 0x0600, 0x06ff],
  ['hi', 0x0900, 0x097f],
  ['th', 0x0e00, 0x0e7f],
  ['ko', 0xac00, 0xd7af],
  ['ko', 0x1100, 0x11ff],
  ['ja', 0x3040, 0x30ff], // kana decides Japanese over Chinese
  ['zh', 0x4e00, 0x9fff],
];

const STOP: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'you', 'your', 'we', 'our', 'is', 'are', 'that', 'this', 'for', 'with', 'or', 'by', 'any', 'not', 'be', 'will', 'may', 'in', 'on', 'as', 'it'],
  fr: ['le', 'la', 'les', 'des', 'et', 'vous', 'votre', 'nous', 'est', 'sont', 'que', 'pour', 'avec', 'ou', 'par', 'dans', 'une', 'du', 'sur', 'pas', 'ne', 'ce', 'qui', 'au', 'aux'],
  de: ['der', 'die', 'das', 'und', 'sie', 'ihre', 'wir', 'ist', 'sind', 'nicht', 'mit', 'oder', 'von', 'zu', 'den', 'dem', 'ein', 'eine', 'für', 'auf', 'werden', 'im', 'bei', 'des', 'uns'],
  es: ['el', 'la', 'los', 'las', 'y', 'usted', 'su', 'nosotros', 'es', 'son', 'que', 'para', 'con', 'o', 'por', 'en', 'una', 'del', 'se', 'no', 'al', 'lo', 'sus', 'como', 'este'],
  it: ['il', 'lo', 'gli', 'le', 'e', 'di', 'che', 'per', 'con', 'o', 'non', 'una', 'del', 'della', 'dei', 'sono', 'è', 'suoi', 'nostro', 'tuo', 'tuoi', 'al', 'alla', 'nel', 'questo'],
  pt: ['o', 'os', 'as', 'e', 'de', 'que', 'para', 'com', 'ou', 'por', 'em', 'uma', 'do', 'da', 'dos', 'das', 'não', 'se', 'você', 'seu', 'sua', 'nós', 'são', 'ao', 'nossos'],
  nl: ['de', 'het', 'een', 'en', 'van', 'u', 'uw', 'wij', 'we', 'is', 'zijn', 'dat', 'die', 'voor', 'met', 'of', 'door', 'niet', 'op', 'te', 'aan', 'ons', 'onze', 'deze', 'worden'],
};

/** word → languages it is a stop word of (one lookup per word instead of one per language). */
const STOP_INDEX = new Map<string, string[]>();
for (const [lang, ws] of Object.entries(STOP)) for (const w of ws) STOP_INDEX.set(w, [...(STOP_INDEX.get(w) ?? []), lang]);

export function detectLanguage(text: string): LanguageResult {
  if (typeof text !== 'string' || text.length === 0) return { language: 'und', confidence: 0 };
  const s = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const scriptCounts = new Map<string, number>();
  let latin = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) {
      latin++;
      continue;
    }
    if (c < 0x370) continue;
    for (const [lang, lo, hi] of SCRIPTS) {
      if (c >= lo && c <= hi) {
        scriptCounts.set(lang, (scriptCounts.get(lang) ?? 0) + 1);
        break;
      }
    }
  }
  let other = 0;
  for (const v of scriptCounts.values()) other += v;
  const letters = latin + other;
  if (letters < 3) return { language: 'und', confidence: 0 };
  if (other / letters > 0.3) {
    // Japanese text mixes kanji (counted as zh) with kana: any real share of kana means Japanese.
    const ja = scriptCounts.get('ja') ?? 0;
    if (ja > 0 && ja / other > 0.1) return { language: 'ja', confidence: other / letters };
    let best = 'und';
    let bestN = 0;
    for (const [k, v] of scriptCounts) if (v > bestN) [best, bestN] = [k, v];
    return { language: best, confidence: bestN / letters };
  }
  const words = s.toLowerCase().match(/[a-zà-öø-ÿ']+/g) ?? [];
  if (words.length === 0) return { language: 'und', confidence: 0 };
  const counts: Record<string, number> = {};
  for (const w of words) {
    const langs = STOP_INDEX.get(w);
    if (langs) for (const lang of langs) counts[lang] = (counts[lang] ?? 0) + 1;
  }
  const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (ranked.length === 0) {
    // No stop words at all: a heading, a name, code or markup. A sentence's worth of words is too short to tell
    // ("ChatBot can make mistakes. Check important info.") and is analysed; longer text without a single
    // English stop word is not English prose.
    return words.length <= 12 ? { language: 'und', confidence: 0 } : { language: 'und', confidence: 0.5 };
  }
  const [top, n] = ranked[0]!;
  const en = counts.en ?? 0;
  // Short texts ("Terms of Service") are English if English stop words are at least as frequent as any other.
  if (en > 0 && en >= n) return { language: 'en', confidence: en / words.length };
  // Shared words (de/nl "de", es/pt "que") need a clear margin over English before we refuse to analyse.
  if (words.length < 8 && n - en < 2) return { language: en > 0 ? 'en' : 'und', confidence: 0.3 };
  // A sentence with one more of them ("The Team plan costs $25 per user per month": Italian "per" twice) is
  // too short to call another language: analysed, as undetermined.
  if (words.length <= 12 && en > 0 && n - en < 2) return { language: 'und', confidence: 0 };
  return { language: top, confidence: n / words.length };
}

/** True when the text should be classified: English, or too short to tell but clearly Latin-script. */
export function isAnalysable(r: LanguageResult): boolean {
  return r.language === 'en' || (r.language === 'und' && r.confidence === 0);
}
