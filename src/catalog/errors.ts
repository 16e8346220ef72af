// Errors of the catalogue: they always say which file, which field and why, so a contributor can
// fix a declaration without reading the loader.

export interface DeclarationIssue {
  /** Field path inside the file, e.g. `documents[2].select`, or `line 3, column 5` for syntax errors. */
  path: string;
  reason: string;
}

/** One declaration file is invalid; `issues` lists every problem found in it. */
export class DeclarationError extends Error {
  readonly file: string;
  readonly issues: DeclarationIssue[];

  constructor(file: string, issues: DeclarationIssue[]) {
    super(issues.map((i) => `${file}: ${i.path}: ${i.reason}`).join('\n'));
    this.name = 'DeclarationError';
    this.file = file;
    this.issues = issues;
  }

  /** First issue's path, handy for callers that report one line. */
  get path(): string {
    return this.issues[0]?.path ?? '';
  }

  get reason(): string {
    return this.issues[0]?.reason ?? '';
  }
}

/** Several files are invalid; the catalogue was not loaded at all. */
export class CatalogError extends AggregateError {
  override readonly errors: DeclarationError[];

  constructor(errors: DeclarationError[]) {
    const files = new Set(errors.map((e) => e.file)).size;
    super(
      errors,
      `${files} declaration file${files === 1 ? '' : 's'} invalid, nothing loaded:\n` +
        errors.map((e) => e.message).join('\n'),
    );
    this.name = 'CatalogError';
    this.errors = errors;
  }
}
