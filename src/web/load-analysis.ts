// What the analysis-layer pages and their API twins need, gathered once so both show the same data.
import type { WebContext } from './respond.ts';
import { recordId } from '../domain/record-id.ts';
import { notFound } from './errors.ts';
import { documentDetail } from './read/documents.ts';
import { platformAnalysis, provisionExcerpts, provisionPageRows } from './read/provisions.ts';
import type { Prevalence } from './read/prevalence.ts';
import { provisionCitations, provisionEvidenceFrom, versionCitationSource } from './evidence-view.ts';
import { waybackUrl } from './archive.ts';
import { paths } from './paths.ts';

/** The prevalence of clause types for the data as it is now (computed once per data generation). */
export async function prevalenceNow(ctx: WebContext): Promise<Prevalence> {
  return ctx.prevalence.get();
}

/**
 * Facts shared by every provision of a document or platform (its tracking record, its analysis), kept per
 * data generation: a platform with 500 provisions reads them once, not once per provision page.
 */
const shared = new WeakMap<WebContext, { generation: string; values: Map<string, Promise<unknown>> }>();
export async function perGeneration<T>(ctx: WebContext, key: string, produce: () => Promise<T>): Promise<T> {
  const generation = await ctx.cache.generation();
  let m = shared.get(ctx);
  if (!m || m.generation !== generation) shared.set(ctx, (m = { generation, values: new Map() }));
  let p = m.values.get(key) as Promise<T> | undefined;
  if (!p) {
    if (m.values.size >= 4096) m.values.delete(m.values.keys().next().value!);
    p = produce();
    m.values.set(key, p);
    p.catch(() => m!.values.delete(key));
  }
  return p;
}

/** How many other platforms are listed on a provision page ("see all" leads to the clause-type page). */
export const OTHERS_SHOWN = 12;

export async function loadProvision(ctx: WebContext, id: number, origin: string) {
  const q = ctx.db;
  // The provision's own rows (and its evidence leaf and the latest checkpoint) in one round trip.
  const own = await provisionPageRows(q, id);
  if (!own) throw notFound(`no provision ${recordId('provision', id)}`);
  const { p, history } = own;
  const rid = recordId('provision', id);
  const identity = { id: p.document_id, key: p.document_key, name: p.document_name, type: p.document_type, platform_id: p.platform_id, platform_slug: p.platform_slug, platform_name: p.platform_name };
  const typeId = p.types[0]?.id ?? null;
  const [detail, platform, prevalence, citeVersion] = await Promise.all([
    perGeneration(ctx, `document:${p.document_id}`, () => documentDetail(q, identity)),
    perGeneration(ctx, `platform:${p.platform_id}`, () => platformAnalysis(q, p.platform_id)),
    prevalenceNow(ctx),
    perGeneration(ctx, `cite:${p.version_id}`, () => versionCitationSource(q, recordId('version', p.version_id))),
  ]);
  const citations = provisionCitations(citeVersion, { record: rid, sha256: p.text_sha256, section: p.section, body: p.body });
  const withType = typeId ? (prevalence.byType.get(typeId) ?? []) : [];
  const othersAll = withType.filter((c) => c.platformId !== p.platform_id);
  const found = withType.length + (typeId && !withType.some((c) => c.platformId === p.platform_id) ? 1 : 0);
  const shown = othersAll.slice(0, OTHERS_SHOWN);
  // The first OTHERS_SHOWN + 1 examples of a type cover every page of that type, whichever platform it is on.
  const candidates = withType.slice(0, OTHERS_SHOWN + 1).map((o) => o.example.provisionId);
  const excerpts = await perGeneration(ctx, `excerpts:${typeId}:${prevalence.builtAt.getTime()}`, () => provisionExcerpts(q, candidates));
  const source = detail.record.source_urls[0];
  const archiveUrl = source ? waybackUrl(source, p.version_recorded_at) : undefined;
  const evidence = await provisionEvidenceFrom(q, rid, own.leaf, own.checkpoint, { bundlePath: paths.provisionEvidence(id), verifierKey: ctx.signer?.verifierKey, archiveUrl });
  return {
    p,
    tracking: detail.record,
    documentLastChanged: detail.versions[detail.versions.length - 1]?.recorded_at ?? null,
    history,
    platform,
    prevalence: { typeId, found, of: Math.max(prevalence.analysedPlatforms, found), others: shown.map((o) => ({ ...o, excerpt: excerpts.get(o.example.provisionId) })), othersTotal: othersAll.length },
    evidence,
    citations,
    archiveUrl,
    origin,
  };
}

import { badRequest } from './errors.ts';
import { jsonRows } from './read/json-rows.ts';
import { jurisdictionsInUse, type AnalysisFilters } from './read/analysis-lists.ts';
import { documentTypesInUse } from './read/changes.ts';
import { loadTaxonomy } from '../analyse/taxonomy.ts';
import type { StoredAiTraining } from '../analyse/store/platform.ts';

/** Checks the clause filters name real taxonomy entries (400 naming the parameter otherwise). */
export function checkAnalysisFilters(f: AnalysisFilters): void {
  const tax = loadTaxonomy();
  if (f.clause_type && !tax.byId.has(f.clause_type)) throw badRequest(`query parameter "clause_type" is not a clause type: "${f.clause_type}" (see /clause-types)`, 'query parameter clause_type');
  if (f.category && !tax.categories.some((c) => c.id === f.category)) throw badRequest(`query parameter "category" is not a clause category: "${f.category}" (one of ${tax.categories.map((c) => c.id).join(', ')})`, 'query parameter category');
}

export async function analysisChoices(ctx: WebContext) {
  const [platforms, types, jurisdictions] = await Promise.all([
    ctx.db.query<{ slug: string; name: string }>('SELECT slug, name FROM platforms p WHERE EXISTS (SELECT 1 FROM documents d WHERE d.platform_id = p.id) ORDER BY lower(name), id'),
    documentTypesInUse(ctx.db),
    jurisdictionsInUse(ctx.db),
  ]);
  return { platforms, types, jurisdictions };
}

const CLAUSE_PAGE_MAX = 500;

/** A clause type's platforms (each with its clearest provision), and for AI types each platform's training default. */
export async function loadClauseType(ctx: WebContext, typeId: string) {
  const t = loadTaxonomy().byId.get(typeId);
  if (!t) throw notFound(`no clause type "${typeId}" (see /clause-types)`);
  const prevalence = await prevalenceNow(ctx);
  const all = prevalence.byType.get(typeId) ?? [];
  const shown = all.slice(0, CLAUSE_PAGE_MAX);
  const excerpts = await provisionExcerpts(ctx.db, shown.map((p) => p.example.provisionId));
  let aiDefaults: Map<number, string> | undefined;
  if (t.category === 'ai' && shown.length) {
    const rows = await jsonRows<{ platform_id: number; ai: StoredAiTraining | null }>(ctx.db, 'SELECT platform_id, ai_training AS ai FROM platform_analysis WHERE platform_id = ANY($1::int[])', [shown.map((p) => p.platformId)]);
    aiDefaults = new Map(rows.map((r) => [Number(r.platform_id), aiSummary(r.ai)]));
  }
  return { typeId, platforms: shown.map((p) => ({ ...p, excerpt: excerpts.get(p.example.provisionId) })), total: all.length, of: Math.max(prevalence.analysedPlatforms, all.length), aiDefaults };
}

/** "trains by default: Free, Pro; not: Team" from stored AI-training facts. */
export function aiSummary(ai: StoredAiTraining | null): string {
  if (!ai?.plans.length) return '';
  const on = ai.plans.filter((p) => p.default === 'on').map((p) => p.plan);
  const off = ai.plans.filter((p) => p.default === 'off' || p.default === 'never').map((p) => p.plan);
  const parts = [];
  if (on.length) parts.push(`trains by default: ${on.join(', ')}`);
  if (off.length) parts.push(`does not: ${off.join(', ')}`);
  return parts.join('; ') || 'training not stated';
}
