// Every URL of the site and the API is built here, so links and routes cannot drift apart.
import { recordId } from '../domain/record-id.ts';

const e = encodeURIComponent;

function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export const paths = {
  home: () => '/',
  platforms: () => '/platforms',
  platform: (slug: string) => `/platforms/${e(slug)}`,
  document: (slug: string, key: string) => `/platforms/${e(slug)}/${e(key)}`,
  documentPdf: (slug: string, key: string) => `/platforms/${e(slug)}/${e(key)}/pdf`,
  diff: (slug: string, key: string, from: number, to: number, view?: 'side' | 'inline') =>
    withQuery(`/platforms/${e(slug)}/${e(key)}/diff`, { from: recordId('version', from), to: recordId('version', to), view }),
  version: (id: number) => `/versions/${recordId('version', id)}`,
  versionPdf: (id: number) => `/versions/${recordId('version', id)}/pdf`,
  snapshot: (id: number) => `/snapshots/${recordId('snapshot', id)}`,
  snapshotRaw: (id: number) => `/snapshots/${recordId('snapshot', id)}/raw`,
  versionEvidence: (id: number) => `/versions/${recordId('version', id)}/evidence`,
  snapshotEvidence: (id: number) => `/snapshots/${recordId('snapshot', id)}/evidence`,
  /** A provision's bundle (src/web/routes/evidence.ts); `version`: the text it had in that version. */
  provisionEvidence: (id: number, version?: number) => withQuery(`/provisions/${recordId('provision', id)}/evidence`, { version: version === undefined ? undefined : recordId('version', version) }),
  capture: (id: number) => `/captures/${recordId('capture', id)}`,
  provision: (id: number) => `/provisions/${recordId('provision', id)}`,
  provisionPdf: (id: number) => `/provisions/${recordId('provision', id)}/pdf`,
  clauseTypes: () => '/clause-types',
  clauseType: (id: string) => `/clause-types/${e(id)}`,
  provisions: (query: Record<string, string | number | undefined> = {}) => withQuery('/provisions', query),
  materialChanges: (query: Record<string, string | number | undefined> = {}) => withQuery('/changes/material', query),
  platformReport: (slug: string) => `/platforms/${e(slug)}/report.pdf`,
  /** The accounts layer's sign-up for watching a platform (src/monitor). */
  monitor: (slug: string) => withQuery('/account/watchlists/new', { platform: slug }),
  feedClauseType: (id: string) => `/feeds/clause-types/${e(id)}.atom`,
  feedMaterial: () => '/feeds/material-changes.atom',
  search: (query: Record<string, string | number | undefined> = {}) => withQuery('/search', query),
  changes: (query: Record<string, string | number | undefined> = {}) => withQuery('/changes', query),
  status: () => '/status',
  record: (id: string) => `/r/${e(id)}`,
  feedChanges: () => '/feeds/changes.atom',
  feedPlatform: (slug: string) => `/feeds/platforms/${e(slug)}.atom`,
  css: (hash: string) => `/static/style.${hash}.css`,
  about: () => '/about',
  api: {
    openapi: () => '/api/openapi.json',
    platforms: () => '/api/v1/platforms',
    platform: (slug: string) => `/api/v1/platforms/${e(slug)}`,
    document: (id: number) => `/api/v1/documents/${recordId('document', id)}`,
    documentVersions: (id: number) => `/api/v1/documents/${recordId('document', id)}/versions`,
    version: (id: number) => `/api/v1/versions/${recordId('version', id)}`,
    versionText: (id: number) => `/api/v1/versions/${recordId('version', id)}/text`,
    versionSnapshots: (id: number) => `/api/v1/versions/${recordId('version', id)}/snapshots`,
    snapshot: (id: number) => `/api/v1/snapshots/${recordId('snapshot', id)}`,
    snapshotRaw: (id: number) => `/api/v1/snapshots/${recordId('snapshot', id)}/raw`,
    versionEvidence: (id: number) => `/api/v1/versions/${recordId('version', id)}/evidence`,
    snapshotEvidence: (id: number) => `/api/v1/snapshots/${recordId('snapshot', id)}/evidence`,
    versionCitation: (id: number) => `/api/v1/versions/${recordId('version', id)}/citation`,
    log: (id: string) => `/api/v1/records/${encodeURIComponent(id)}/log`,
    capture: (id: number) => `/api/v1/captures/${recordId('capture', id)}`,
    diff: (from: number, to: number) => withQuery('/api/v1/diff', { from: recordId('version', from), to: recordId('version', to) }),
    search: () => '/api/v1/search',
    changes: () => '/api/v1/changes',
    status: () => '/api/v1/status',
    record: (id: string) => `/api/v1/records/${e(id)}`,
    provision: (id: number) => `/api/v1/provisions/${recordId('provision', id)}`,
    provisions: () => '/api/v1/provisions',
    clauseTypes: () => '/api/v1/clause-types',
    clauseType: (id: string) => `/api/v1/clause-types/${e(id)}`,
    platformAnalysis: (slug: string) => `/api/v1/platforms/${e(slug)}/analysis`,
    materialChanges: () => '/api/v1/material-changes',
  },
  withQuery,
};
