// The nouns of Clausewatch, defined once. Every other folder imports these.

/** A CSS selector, or a range between two selectors (Open Terms Archive's declaration format). */
export type RangeSelector = {
  startBefore?: string;
  startAfter?: string;
  endBefore?: string;
  endAfter?: string;
};
export type Selector = string | RangeSelector;
export type Selection = Selector | Selector[];

export type Fetcher = 'http' | 'browser';

/** Declarative noise rules: no code, only data. */
export interface NoiseRules {
  /** Query parameters stripped from every link and image URL (and from the fetched URL). Globs with `*` allowed. */
  dropQueryParams?: string[];
  /** Regular-expression replacements applied to the extracted Markdown, in order. */
  replace?: { pattern: string; with: string; flags?: string }[];
}

/** One page of a document: a document combined from several pages has several, joined in order. */
export interface PageDeclaration {
  url: string;
  select?: Selection;
  remove?: Selection;
  fetch?: Fetcher;
}

/** The rules that held for a document during one period. */
export interface DocumentRules {
  pages: PageDeclaration[];
  noise?: NoiseRules;
  /** Earliest date (ISO 8601) these rules applied; absent = since always. */
  validFrom?: string;
  /** Date (ISO 8601) after which these rules stopped applying; absent = still in force. */
  validUntil?: string;
}

export interface DocumentDeclaration {
  /** From the documented vocabulary in src/catalog/document-types.ts. */
  type: string;
  /** Display name; defaults to the type's title. */
  name?: string;
  /** The rules in force now. */
  current: DocumentRules;
  /** Earlier rules, oldest first, each with its validUntil. */
  history: DocumentRules[];
}

export interface PlatformDeclaration {
  slug: string;
  name: string;
  homepage: string;
  jurisdictions: string[];
  tags: string[];
  documents: DocumentDeclaration[];
  /** File the declaration came from, for error messages. */
  file?: string;
}

export type FetchProblemKind =
  | 'timeout'
  | 'http-status'
  | 'bot-wall'
  | 'selector-not-found'
  | 'empty-page'
  | 'stub-page'
  | 'too-large'
  | 'too-many-redirects'
  | 'blocked-address'
  | 'network'
  | 'unsupported-content'
  | 'browser';

export interface FetchProblem {
  kind: FetchProblemKind;
  detail: string;
  url: string;
  httpStatus?: number;
}

export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  /** Media type without parameters, e.g. text/html, application/pdf. */
  mediaType: string;
  /** Raw bytes as received (after content-encoding is undone). */
  body: Buffer;
  /** Decoded text for HTML/text; for PDFs the text pdf.js extracted. */
  text: string;
  fetcher: Fetcher;
  fetchedAt: Date;
}

export type FetchOutcome = { ok: true; page: FetchedPage } | { ok: false; problem: FetchProblem };

/** Why an extraction is not trusted as a new version. */
export interface SuspectReason {
  kind: 'error-page' | 'redirect-stub' | 'shrunk' | 'empty';
  detail: string;
}

export type SnapshotOutcome = 'first' | 'changed' | 'unchanged' | 'returned' | 'suspect' | 'failed';

export type VersionKind = 'first' | 'change' | 'return' | 'reextraction';
