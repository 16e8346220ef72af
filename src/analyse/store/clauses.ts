// Clause types and severity of provision texts, through the classifier's public API only
// (src/analyse/classify/index.ts). The model is loaded once per process, on first use, because loading
// it costs seconds and a capture whose text did not change must not pay for it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { classify, detectLanguage, loadClassifier, severityFor, DEFAULT_MODEL_PATH, type Classifier } from '../classify/index.ts';
import { loadTaxonomy, type Severity, type Taxonomy } from '../taxonomy.ts';

export interface TypeScore {
  id: string;
  score: number;
}

export interface ClauseResult {
  language: string;
  /** False when the text (or its document) is not English: no types are guessed. */
  analysed: boolean;
  types: TypeScore[];
  /** Null when no clause type was found: an untyped provision has no severity. */
  severity: Severity | null;
  severityReasons: string[];
}

export interface ClauseAnalyser {
  /** Identifies the model whose results are stored, so a re-run can tell stale classifications. */
  readonly model: string;
  classify(texts: readonly string[]): ClauseResult[];
  typeTitle(id: string): string;
  polarity(id: string): 'protects' | 'harms' | 'neutral' | undefined;
  /** How many texts went through the classifier since this analyser was made. */
  readonly classified: number;
}

const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "French" for "fr"; the code itself when unknown. */
export function languageName(code: string): string {
  if (code === 'und') return 'undetermined language';
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Whole-document decision, as the classifier makes it per text: English, or too little text to tell. */
export function documentLanguage(text: string): { language: string; analysable: boolean } {
  const r = detectLanguage(text);
  return { language: r.language, analysable: r.language === 'en' || r.language === 'und' };
}

/** The note stored and printed for a document that is not classified. */
export function notAnalysedNote(language: string): string {
  return `not analysed: ${languageName(language)}`;
}

let modelId: string | undefined;

function defaultModelId(): string {
  modelId ??= createHash('sha256').update(readFileSync(DEFAULT_MODEL_PATH)).digest('hex').slice(0, 16);
  return modelId;
}

const NOT_CLASSIFIED = (language: string): ClauseResult => ({ language, analysed: false, types: [], severity: null, severityReasons: [] });

/** The real classifier, loaded lazily (default model) or given. */
let taxonomy: Taxonomy | undefined;

/** Titles and polarities come from the taxonomy alone, so reading them never loads the model. */
function sharedTaxonomy(): Taxonomy {
  taxonomy ??= loadTaxonomy();
  return taxonomy;
}

export function clauseAnalyser(given?: Classifier): ClauseAnalyser {
  let c = given;
  let count = 0;
  const get = () => (c ??= loadClassifier(undefined, sharedTaxonomy()));
  const tax = () => c?.taxonomy ?? sharedTaxonomy();
  return {
    get model() {
      return given ? 'custom' : defaultModelId();
    },
    get classified() {
      return count;
    },
    classify(texts) {
      if (texts.length === 0) return [];
      const cl = get();
      count += texts.length;
      return classify(texts, cl).map((r, i) => {
        if (!r.analysed) return NOT_CLASSIFIED(r.language);
        const types = r.types.map((t) => ({ id: t.id, score: t.score }));
        if (!types.length) return { language: r.language, analysed: true, types, severity: null, severityReasons: [] };
        const s = severityFor(texts[i]!, types, cl);
        return { language: r.language, analysed: true, types, severity: s.level, severityReasons: s.reasons };
      });
    },
    typeTitle(id) {
      return tax().byId.get(id)?.title ?? id;
    },
    polarity(id) {
      return tax().byId.get(id)?.polarity;
    },
  };
}

/** For documents that are not analysed: every text is reported with the document's language, untyped. */
export function notClassified(language: string, n: number): ClauseResult[] {
  return Array.from({ length: n }, () => NOT_CLASSIFIED(language));
}
