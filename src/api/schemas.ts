// JSON Schemas (2020-12, as OpenAPI 3.1 uses) of every API response body. Named schemas become
// components of the OpenAPI document; the tests validate real responses against them.

export type Schema = Record<string, unknown>;

/** Schemas registered here are emitted once under components.schemas and referenced by $ref. */
export const NAMED = new Map<object, string>();
export function named<T extends Schema>(name: string, schema: T): T {
  NAMED.set(schema, name);
  return schema;
}

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const num = { type: 'number' } as const;
export const bool = { type: 'boolean' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
/** An object whose every listed property is required and nothing else is allowed. */
export function obj(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false };
}
export const rid = (prefix: string) => ({ type: 'string', pattern: `^CW-${prefix}-[0-9]{6,12}$` });
export const sha = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
export const path = { type: 'string', pattern: '^/' } as const;

export const ErrorSchema = named('Error', obj({
  error: obj({ status: int, code: str, message: str, where: str }, ['where']),
}));

export const PlatformRef = named('PlatformRef', obj({ record: rid('PL'), slug: str, name: str, links: obj({ page: path, api: path }) }));

export const PlatformSummary = named('PlatformSummary', obj({
  record: rid('PL'),
  slug: str,
  name: str,
  homepage: nullable(str),
  jurisdictions: arr(str),
  documents: int,
  versions: int,
  changes: int,
  captures: int,
  problems: { type: 'integer', description: 'documents whose last capture failed or was held as suspect' },
  last_change_at: nullable(dateTime),
  last_captured_at: nullable(dateTime),
  links: obj({ page: path, api: path, feed: path }),
}));

export const PlatformList = named('PlatformList', obj({ platforms: arr(PlatformSummary), next_cursor: nullable(str) }));

export const DocumentSummary = named('DocumentSummary', obj({
  record: rid('D'),
  key: str,
  name: str,
  type: str,
  type_title: str,
  versions: int,
  changes: int,
  first_tracked_at: nullable(dateTime),
  last_change_at: nullable(dateTime),
  last_captured_at: nullable(dateTime),
  last_outcome: nullable(str),
  last_problem: nullable(str),
  links: obj({ page: path, api: path }),
}));

export const VersionSummary = named('VersionSummary', obj({
  record: rid('V'),
  document: rid('D'),
  recorded_at: dateTime,
  kind: { type: 'string', enum: ['first', 'change', 'return', 'reextraction'] },
  text_sha256: sha,
  previous: nullable(rid('V')),
  returns_to: nullable(rid('V')),
  lines_added: int,
  lines_removed: int,
  origin: str,
  origin_ref: nullable(str),
  links: obj({ page: path, api: path, text: path, diff_with_previous: nullable(path) }),
}));

export const Problem = named('Problem', obj({
  capture: rid('C'),
  captured_at: dateTime,
  outcome: { type: 'string', enum: ['failed', 'suspect'] },
  problem_kind: nullable(str),
  detail: nullable(str),
  http_status: nullable(int),
  url: nullable(str),
  platform: PlatformRef,
  document: obj({ record: rid('D'), name: str, links: obj({ page: path, api: path }) }),
  links: obj({ page: path, api: path }),
}));

export const Change = named('Change', obj({
  version: VersionSummary,
  platform: PlatformRef,
  document: obj({ record: rid('D'), key: str, name: str, type: str, links: obj({ page: path, api: path }) }),
}));

export const ChangeList = named('ChangeList', obj({ changes: arr(Change), next_cursor: nullable(str) }));

export const PlatformDetail = named('PlatformDetail', obj({
  platform: PlatformSummary,
  documents: arr(DocumentSummary),
  activity: obj({
    months: arr(obj({ month: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' }, changes: int })),
    last_30_days: int,
    since: dateTime,
    first_tracked_at: nullable(dateTime),
    last_tracked_at: nullable(dateTime),
  }),
  recent_changes: arr(Change),
  problems: arr(Problem),
}));

export const Snapshot = named('Snapshot', obj({
  record: rid('S'),
  capture: rid('C'),
  page_index: int,
  url: str,
  final_url: nullable(str),
  fetched_at: dateTime,
  sha256: sha,
  media_type: str,
  http_status: nullable(int),
  fetcher: str,
  size: int,
  outcome: str,
  links: obj({ page: path, api: path, raw: path }),
}));

export const DocumentDetail = named('DocumentDetail', obj({
  record: rid('D'),
  key: str,
  name: str,
  type: str,
  type_title: str,
  platform: PlatformRef,
  source_urls: arr(str),
  archive_urls: arr(str),
  captures: int,
  versions: int,
  first_tracked_at: nullable(dateTime),
  last_verified_at: { ...nullable(dateTime), description: 'last capture that fetched the current text' },
  last_captured_at: nullable(dateTime),
  last_outcome: nullable(str),
  last_problem: nullable(str),
  last_detail: nullable(str),
  current_version: nullable(VersionSummary),
  latest_snapshot: nullable(obj({ record: rid('S'), fetched_at: dateTime, url: str, sha256: sha, media_type: str, size: int, links: obj({ page: path, api: path, raw: path }) })),
  links: obj({ page: path, api: path, versions: path, pdf: path }),
}));

export const VersionList = named('VersionList', obj({ versions: arr(VersionSummary), next_cursor: nullable(str) }));

export const VersionDetail = named('VersionDetail', obj({
  version: VersionSummary,
  platform: PlatformRef,
  document: obj({ record: rid('D'), key: str, name: str, type: str, links: obj({ page: path, api: path }) }),
  next: nullable(rid('V')),
  chars: int,
  confirmations: obj({ count: int, first_at: nullable(dateTime), last_at: nullable(dateTime) }),
  snapshots: arr(Snapshot),
  archive_url: nullable(str),
}));

export const SnapshotList = named('SnapshotList', obj({ snapshots: arr(Snapshot), next_cursor: nullable(str) }));

export const SnapshotDetail = named('SnapshotDetail', obj({
  snapshot: Snapshot,
  version: nullable(rid('V')),
  document: obj({ record: rid('D'), name: str, links: obj({ page: path, api: path }) }),
  platform: PlatformRef,
}));

export const CaptureDetail = named('CaptureDetail', obj({
  record: rid('C'),
  captured_at: dateTime,
  outcome: str,
  problem_kind: nullable(str),
  detail: nullable(str),
  http_status: nullable(int),
  url: nullable(str),
  origin: str,
  origin_ref: nullable(str),
  version: nullable(rid('V')),
  text_sha256: nullable(sha),
  platform: PlatformRef,
  document: obj({ record: rid('D'), name: str, links: obj({ page: path, api: path }) }),
  snapshots: arr(rid('S')),
}));

const WordPart = named('DiffPart', obj({ op: { type: 'string', enum: ['equal', 'insert', 'delete'] }, text: str }));

export const Diff = named('Diff', obj({
  from: VersionSummary,
  to: VersionSummary,
  identical: bool,
  stats: obj({ hunks: int, blocksAdded: int, blocksRemoved: int, wordsAdded: int, wordsRemoved: int }),
  rows: arr({
    oneOf: [
      obj({ kind: { const: 'equal' }, text: str }),
      obj({ kind: { const: 'skip' }, blocks: { type: 'integer', description: 'unchanged paragraphs left out' } }),
      obj({ kind: { const: 'change' }, before: arr(str), after: arr(str), words: nullable(arr(WordPart)) }),
    ],
  }),
  links: obj({ page: path }),
}));

export const SearchResults = named('SearchResults', obj({
  query: str,
  terms: arr(str),
  total: int,
  page: int,
  limit: int,
  pending_texts: { type: 'integer', description: 'texts recorded but not yet indexed' },
  results: arr(obj({
    platform: PlatformRef,
    document: obj({ record: rid('D'), key: str, name: str, type: str, links: obj({ page: path, api: path }) }),
    version: rid('V'),
    recorded_at: dateTime,
    rank: num,
    is_current: bool,
    matching_versions: int,
    snippet: arr(obj({ text: str, match: bool })),
    links: obj({ version: path, document: path }),
  })),
  next_page: nullable(int),
}));

export const Status = named('Status', obj({
  totals: obj({ platforms: int, tracked_platforms: int, documents: int, versions: int, captures: int, snapshots: int }),
  current_problems: arr(Problem),
  recent_problems: arr(Problem),
}));

export const Citations = named('Citations', obj({
  record: rid('V'),
  citations: obj({ text: str, bluebook: str, bibtex: str, ris: str, 'csl-json': str }),
}));

export const LogEntry = named('LogEntry', obj({
  record: str,
  leafIndex: int,
  leafHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  loggedAt: dateTime,
  checkpoint: obj({ id: int, size: int, root: str, signedAt: dateTime }),
  inclusionProof: arr({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
  archiveUrl: str,
}, ['checkpoint', 'inclusionProof', 'archiveUrl']));

export const RecordLink = named('RecordLink', obj({ record: str, kind: str, page: path, api: nullable(path) }));

export const Index = named('Index', obj({ name: str, version: str, openapi: path, links: { type: 'object', additionalProperties: path } }));
