// What a page or an API response needs, gathered from the read models; a missing record is a 404 with
// its name. Pages and the API call the same loaders so they always show the same data.
import type { Queryable } from '../store/db.ts';
import { recordId } from '../domain/record-id.ts';
import { getVersion, type VersionRow } from '../record/queries.ts';
import { getText } from '../record/texts.ts';
import { notFound, badRequest } from './errors.ts';
import { platformBySlug, platformDocuments, changeActivity, trackedSpan, changesSince } from './read/platforms.ts';
import { documentBySlug, documentById, documentDetail, type DocumentIdentity } from './read/documents.ts';
import { platformChanges, documentTypesInUse } from './read/changes.ts';
import { currentProblems, recentProblems } from './read/status.ts';
import { diffView } from './diff-view.ts';

export async function loadPlatform(q: Queryable, slug: string, now = new Date()) {
  const platform = await platformBySlug(q, slug);
  if (!platform) throw notFound(`no platform "${slug}"`);
  const since = new Date(now.getTime() - 30 * 24 * 3600 * 1000);
  const [documents, activity, span, last30, recent, problems, recentP] = await Promise.all([
    platformDocuments(q, platform.id),
    changeActivity(q, platform.id),
    trackedSpan(q, platform.id),
    changesSince(q, platform.id, since),
    platformChanges(q, platform.id, 10),
    currentProblems(q, platform.id),
    recentProblems(q, { limit: 10, platformId: platform.id }),
  ]);
  return { platform, documents, activity, span, last30, last30Since: since, recent, problems, recentProblems: recentP };
}

export async function loadDocumentBySlug(q: Queryable, slug: string, key: string) {
  const doc = await documentBySlug(q, slug, key);
  if (!doc) throw notFound(`no document "${key}" of platform "${slug}"`);
  return documentDetail(q, doc);
}

export async function loadDocumentById(q: Queryable, id: number) {
  const doc = await documentById(q, id);
  if (!doc) throw notFound(`no document ${recordId('document', id)}`);
  return documentDetail(q, doc);
}

export async function loadVersionPair(q: Queryable, fromId: number, toId: number, doc?: DocumentIdentity): Promise<{ from: VersionRow; to: VersionRow }> {
  const [from, to] = await Promise.all([getVersion(q, fromId), getVersion(q, toId)]);
  if (!from) throw notFound(`no version ${recordId('version', fromId)}`);
  if (!to) throw notFound(`no version ${recordId('version', toId)}`);
  if (from.document_id !== to.document_id) {
    throw badRequest(`${recordId('version', fromId)} and ${recordId('version', toId)} are versions of different documents`, 'query parameters from, to');
  }
  if (doc && from.document_id !== doc.id) {
    throw badRequest(`${recordId('version', fromId)} is not a version of ${doc.platform_name} ${doc.name}`, 'query parameter from');
  }
  return { from, to };
}

export async function loadDiff(q: Queryable, from: VersionRow, to: VersionRow) {
  const [a, b] = await Promise.all([getText(q, from.text_sha256), getText(q, to.text_sha256)]);
  return diffView(a ?? '', b ?? '');
}

export async function filterChoices(q: Queryable) {
  const [platforms, types] = await Promise.all([
    q.query<{ slug: string; name: string }>('SELECT slug, name FROM platforms p WHERE EXISTS (SELECT 1 FROM documents d WHERE d.platform_id = p.id) ORDER BY lower(name), id'),
    documentTypesInUse(q),
  ]);
  return { platforms, types };
}
