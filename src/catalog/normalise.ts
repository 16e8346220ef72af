// Turns a schema-valid declaration file into a PlatformDeclaration: shorthand (url / urls / pages,
// document-level select/remove/fetch) becomes explicit pages, and history gets a consistent
// validFrom/validUntil chain. Also runs the value checks the schema cannot.
import type {
  DocumentDeclaration,
  DocumentRules,
  Fetcher,
  NoiseRules,
  PageDeclaration,
  PlatformDeclaration,
  Selection,
} from '../domain/types.ts';
import { checkUrl, parseIsoDate } from './checks.ts';
import { getDocumentType } from './document-types.ts';
import type { DeclarationIssue } from './errors.ts';
import { regexProblem } from './regex-safety.ts';
import { checkSelection } from './selectors.ts';

/** The fields a file may give for one period of rules (document level or history entry). */
interface RulesSource {
  url?: string;
  urls?: string[];
  pages?: { url: string; select?: Selection; remove?: Selection; fetch?: Fetcher }[];
  select?: Selection;
  remove?: Selection;
  fetch?: Fetcher;
  noise?: NoiseRules;
}

interface HistorySource extends RulesSource {
  validUntil: string;
}

interface DocumentSource extends RulesSource {
  type: string;
  name?: string;
  history?: HistorySource[];
}

export interface PlatformSource {
  name: string;
  slug: string;
  homepage: string;
  jurisdictions: string[];
  tags?: string[];
  documents: DocumentSource[];
}

/**
 * Normalises `src` (already valid against the JSON Schema). Pushes every problem to `issues` and
 * returns undefined if there was any.
 */
export function normalisePlatform(
  src: PlatformSource,
  expectedSlug: string,
  issues: DeclarationIssue[],
): PlatformDeclaration | undefined {
  const before = issues.length;
  if (src.slug !== expectedSlug) {
    issues.push({ path: 'slug', reason: `"${src.slug}" must equal the file name "${expectedSlug}"` });
  }
  checkUrl(src.homepage, 'homepage', issues, true);

  const seen = new Map<string, number>();
  const documents = src.documents.map((doc, i) => {
    const path = `documents[${i}]`;
    const normalised = normaliseDocument(doc, path, issues);
    if (normalised) {
      const key = `${normalised.type}\u0000${normalised.name!.trim().toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push({
          path,
          reason: `duplicate of documents[${first}] (type ${doc.type}, name "${normalised.name}"); give each a distinct name`,
        });
      } else {
        seen.set(key, i);
      }
    }
    return normalised;
  });

  if (issues.length > before) return undefined;
  return {
    slug: src.slug,
    name: src.name.trim(),
    homepage: src.homepage,
    jurisdictions: [...src.jurisdictions],
    tags: [...(src.tags ?? [])],
    documents: documents as DocumentDeclaration[],
  };
}

function normaliseDocument(doc: DocumentSource, path: string, issues: DeclarationIssue[]): DocumentDeclaration | undefined {
  const before = issues.length;
  const type = getDocumentType(doc.type);
  if (!type) {
    issues.push({
      path: `${path}.type`,
      reason: `unknown document type "${doc.type}" (see src/catalog/document-types.yaml; use "other" with a name)`,
    });
  }
  if (doc.type === 'other' && !doc.name) {
    issues.push({ path: `${path}.name`, reason: 'a document of type "other" needs a name' });
  }
  const current = normaliseRules(doc, path, issues);

  const history: DocumentRules[] = [];
  let previous: { date: Date; path: string } | undefined;
  (doc.history ?? []).forEach((entry, i) => {
    const hpath = `${path}.history[${i}]`;
    const rules = normaliseRules(entry, hpath, issues);
    const date = parseIsoDate(entry.validUntil);
    if (!date) {
      issues.push({
        path: `${hpath}.validUntil`,
        reason: `"${entry.validUntil}" is not an ISO 8601 date (2024-05-31) or date-time with offset (2024-05-31T13:21:06Z)`,
      });
      return;
    }
    if (previous && date.getTime() <= previous.date.getTime()) {
      issues.push({
        path: `${hpath}.validUntil`,
        reason: `${entry.validUntil} must be later than ${previous.path}.validUntil (history is oldest first)`,
      });
    }
    if (rules) {
      history.push({
        ...rules,
        ...(previous ? { validFrom: previous.date.toISOString() } : {}),
        validUntil: date.toISOString(),
      });
    }
    previous = { date, path: hpath };
  });

  if (issues.length > before || !current) return undefined;
  const last = history[history.length - 1];
  return {
    type: doc.type,
    name: doc.name?.trim() || type!.title,
    current: last ? { ...current, validFrom: last.validUntil } : current,
    history,
  };
}

function normaliseRules(src: RulesSource, path: string, issues: DeclarationIssue[]): DocumentRules | undefined {
  const before = issues.length;
  const given = (['url', 'urls', 'pages'] as const).filter((k) => src[k] !== undefined);
  if (given.length !== 1) {
    issues.push({
      path,
      reason: given.length
        ? `give only one of url, urls, pages (found ${given.join(' and ')})`
        : 'give the document location: url, urls or pages',
    });
  }
  if (src.select !== undefined) checkSelection(src.select, `${path}.select`, issues);
  if (src.remove !== undefined) checkSelection(src.remove, `${path}.remove`, issues);
  checkNoise(src.noise, `${path}.noise`, issues);

  let pages: PageDeclaration[] = [];
  if (src.url !== undefined) {
    checkUrl(src.url, `${path}.url`, issues);
    pages = [page(src.url, src.select, src.remove, src.fetch)];
  } else if (src.urls !== undefined) {
    src.urls.forEach((u, i) => checkUrl(u, `${path}.urls[${i}]`, issues));
    pages = src.urls.map((u) => page(u, src.select, src.remove, src.fetch));
  } else if (src.pages !== undefined) {
    pages = src.pages.map((p, i) => {
      const ppath = `${path}.pages[${i}]`;
      checkUrl(p.url, `${ppath}.url`, issues);
      if (p.select !== undefined) checkSelection(p.select, `${ppath}.select`, issues);
      if (p.remove !== undefined) checkSelection(p.remove, `${ppath}.remove`, issues);
      // A page's own select/remove/fetch replace the document-level ones, they are not merged.
      return page(p.url, p.select ?? src.select, p.remove ?? src.remove, p.fetch ?? src.fetch);
    });
  }

  if (issues.length > before) return undefined;
  const rules: DocumentRules = { pages };
  if (src.noise && (src.noise.dropQueryParams?.length || src.noise.replace?.length)) {
    rules.noise = structuredClone(src.noise);
  }
  return rules;
}

function page(url: string, select?: Selection, remove?: Selection, fetch?: Fetcher): PageDeclaration {
  const p: PageDeclaration = { url };
  if (select !== undefined) p.select = structuredClone(select);
  if (remove !== undefined) p.remove = structuredClone(remove);
  if (fetch !== undefined) p.fetch = fetch;
  return p;
}

function checkNoise(noise: NoiseRules | undefined, path: string, issues: DeclarationIssue[]): void {
  noise?.replace?.forEach((r, i) => {
    const problem = regexProblem(r.pattern, r.flags ?? '');
    if (problem) issues.push({ path: `${path}.replace[${i}].${problem.startsWith('flags') ? 'flags' : 'pattern'}`, reason: problem });
  });
}
