// Read-model rows → API JSON objects: record ids instead of numbers, ISO dates, links to pages and API.
import { recordId } from '../domain/record-id.ts';
import { paths } from '../web/paths.ts';
import { iso, typeTitle } from '../web/format.ts';
import type { VersionRow } from '../record/queries.ts';
import type { PlatformSummary, DocumentSummary } from '../web/read/platforms.ts';
import type { ChangeRow } from '../web/read/changes.ts';
import type { ProblemRow } from '../web/read/status.ts';
import type { SnapshotSummary } from '../web/read/versions.ts';
import type { DocumentIdentity } from '../web/read/documents.ts';

export function platformRef(p: { id: number; slug: string; name: string }) {
  return { record: recordId('platform', p.id), slug: p.slug, name: p.name, links: { page: paths.platform(p.slug), api: paths.api.platform(p.slug) } };
}

export function platformRefOf(d: DocumentIdentity) {
  return platformRef({ id: d.platform_id, slug: d.platform_slug, name: d.platform_name });
}

export function documentRef(d: DocumentIdentity) {
  return { record: recordId('document', d.id), key: d.key, name: d.name, type: d.type, links: { page: paths.document(d.platform_slug, d.key), api: paths.api.document(d.id) } };
}

export function platformSummary(p: PlatformSummary) {
  return {
    record: recordId('platform', p.id),
    slug: p.slug,
    name: p.name,
    homepage: p.homepage,
    jurisdictions: p.jurisdictions,
    documents: p.documents,
    versions: p.versions,
    changes: p.changes,
    captures: p.captures,
    problems: p.problems,
    last_change_at: iso(p.last_change_at),
    last_captured_at: iso(p.last_captured_at),
    links: { page: paths.platform(p.slug), api: paths.api.platform(p.slug), feed: paths.feedPlatform(p.slug) },
  };
}

export function documentSummary(platformSlug: string, d: DocumentSummary) {
  return {
    record: recordId('document', d.id),
    key: d.key,
    name: d.name,
    type: d.type,
    type_title: typeTitle(d.type),
    versions: d.versions,
    changes: d.changes,
    first_tracked_at: iso(d.first_tracked_at),
    last_change_at: iso(d.last_change_at),
    last_captured_at: iso(d.last_captured_at),
    last_outcome: d.last_outcome,
    last_problem: d.last_problem,
    links: { page: paths.document(platformSlug, d.key), api: paths.api.document(d.id) },
  };
}

export function versionSummary(v: VersionRow, doc: { platform_slug: string; key: string }) {
  return {
    record: recordId('version', v.id),
    document: recordId('document', v.document_id),
    recorded_at: iso(v.recorded_at)!,
    kind: v.kind,
    text_sha256: v.text_sha256,
    previous: v.previous_id ? recordId('version', v.previous_id) : null,
    returns_to: v.returns_to_id ? recordId('version', v.returns_to_id) : null,
    lines_added: v.lines_added,
    lines_removed: v.lines_removed,
    origin: v.origin,
    origin_ref: v.origin_ref,
    links: {
      page: paths.version(v.id),
      api: paths.api.version(v.id),
      text: paths.api.versionText(v.id),
      diff_with_previous: v.previous_id ? paths.diff(doc.platform_slug, doc.key, v.previous_id, v.id) : null,
    },
  };
}

export function change(c: ChangeRow) {
  const doc = { platform_slug: c.platform_slug, key: c.document_key };
  const summary = versionSummary(c, doc);
  return {
    version: summary,
    platform: platformRef({ id: c.platform_id, slug: c.platform_slug, name: c.platform_name }),
    document: { record: recordId('document', c.document_id), key: c.document_key, name: c.document_name, type: c.document_type, links: { page: paths.document(c.platform_slug, c.document_key), api: paths.api.document(c.document_id) } },
  };
}

export function problem(r: ProblemRow) {
  return {
    capture: recordId('capture', r.capture_id),
    captured_at: iso(r.captured_at)!,
    outcome: r.outcome,
    problem_kind: r.problem_kind,
    detail: r.detail,
    http_status: r.http_status,
    url: r.url,
    platform: platformRef({ id: r.platform_id, slug: r.platform_slug, name: r.platform_name }),
    document: { record: recordId('document', r.document_id), name: r.document_name, links: { page: paths.document(r.platform_slug, r.document_key), api: paths.api.document(r.document_id) } },
    links: { page: paths.capture(r.capture_id), api: paths.api.capture(r.capture_id) },
  };
}

export function snapshot(s: SnapshotSummary) {
  return {
    record: recordId('snapshot', s.id),
    capture: recordId('capture', s.capture_id),
    page_index: s.page_index,
    url: s.url,
    final_url: s.final_url,
    fetched_at: iso(s.fetched_at)!,
    sha256: s.blob_sha256,
    media_type: s.media_type,
    http_status: s.http_status,
    fetcher: s.fetcher,
    size: s.size,
    outcome: s.outcome,
    links: { page: paths.snapshot(s.id), api: paths.api.snapshot(s.id), raw: paths.api.snapshotRaw(s.id) },
  };
}
