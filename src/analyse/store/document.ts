// Analysis of documents given as text, without a database (`clausewatch analyze`): provisions with their
// clause types and severity, and the AI-training facts of all the documents read together as one platform's.
import { splitProvisions } from '../provisions/index.ts';
import { extractAiTrainingFacts, type AiTrainingFacts } from '../facts/index.ts';
import type { Severity } from '../taxonomy.ts';
import { textForFacts } from './bounds.ts';
import { documentLanguage, languageName, notAnalysedNote, notClassified, type ClauseAnalyser, type TypeScore } from './clauses.ts';

export interface DocumentText {
  name: string;
  text: string;
  format?: string;
}

export interface AnalysedProvision {
  /** "p1", "p2", … numbered across all documents, so facts can cite them. */
  id: string;
  document: string;
  /** Heading path joined with " › ". */
  section: string;
  sectionPath: string[];
  kind: string;
  text: string;
  types: (TypeScore & { title: string })[];
  severity: Severity | null;
  severityReasons: string[];
}

export interface DocumentSummary {
  name: string;
  format?: string;
  language: string;
  languageName: string;
  analysed: boolean;
  provisions: number;
  note?: string;
}

export interface AiTrainingReport {
  plans: AiTrainingFacts['plans'];
  optOutSteps: AiTrainingFacts['optOutSteps'];
  /** Exception kinds, e.g. "feedback"; their evidence is in exceptionEvidence. */
  exceptions: string[];
  exceptionEvidence: AiTrainingFacts['exceptions'];
}

export interface DocumentsReport {
  documents: DocumentSummary[];
  provisions: AnalysedProvision[];
  aiTraining: AiTrainingReport;
  notes: string[];
}

/** The facts in the shape the CLI and the API print: exceptions as kinds, their evidence alongside. */
export function aiTrainingReport(f: AiTrainingFacts): AiTrainingReport {
  return { plans: f.plans, optOutSteps: f.optOutSteps, exceptions: f.exceptions.map((e) => e.kind), exceptionEvidence: f.exceptions };
}

export function analyseDocuments(docs: readonly DocumentText[], analyser: ClauseAnalyser): DocumentsReport {
  const provisions: AnalysedProvision[] = [];
  const documents: DocumentSummary[] = [];
  const notes: string[] = [];
  const factInput: { id: string; text: string; section: string[]; kind: string; columns?: string[] }[] = [];
  let n = 0;
  for (const d of docs) {
    const split = splitProvisions(d.text);
    const lang = documentLanguage(d.text);
    const summary: DocumentSummary = { name: d.name, format: d.format, language: lang.language, languageName: languageName(lang.language), analysed: lang.analysable && split.length > 0, provisions: split.length };
    if (!split.length) summary.note = 'empty: no text to analyse';
    else if (!lang.analysable) summary.note = `${notAnalysedNote(lang.language)} (the classifier and fact patterns read English only)`;
    if (summary.note) notes.push(`${d.name}: ${summary.note}`);
    documents.push(summary);
    const results = lang.analysable ? analyser.classify(split.map((p) => p.text)) : notClassified(lang.language, split.length);
    split.forEach((p, i) => {
      const r = results[i]!;
      const id = `p${++n}`;
      provisions.push({
        id,
        document: d.name,
        section: p.section.join(' › '),
        sectionPath: p.section,
        kind: p.kind,
        text: p.text,
        types: r.types.map((t) => ({ ...t, title: analyser.typeTitle(t.id) })),
        severity: r.severity,
        severityReasons: r.severityReasons,
      });
      if (lang.analysable) factInput.push({ id, text: textForFacts(p.text), section: p.section, kind: p.kind, ...(p.columns ? { columns: p.columns } : {}) });
    });
  }
  const facts = factInput.length ? extractAiTrainingFacts(factInput) : { plans: [], optOutSteps: [], exceptions: [] };
  return { documents, provisions, aiTraining: aiTrainingReport(facts), notes };
}
