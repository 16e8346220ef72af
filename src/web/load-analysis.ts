// What the analysis-layer pages and their API twins need, gathered once so both show the same data.
import type { WebContext } from './respond.ts';
import { recordId } from '../domain/record-id.ts';
import { notFound } from './errors.ts';
import { documentDetail } from './read/documents.ts';
import { platformAnalysis, provisionById, provisionExcerpts, provisionHistory } from './read/provisions.ts';
import type { Prevalence } from './read/prevalence.ts';
import { citationsOf, provisionEvidenceInfo } from './evidence-view.ts';
import { waybackUrl } from './archive.ts';
import { paths } from './paths.ts';

/** The prevalence of clause types for the data as it is now (computed once per data generation). */
export async function prevalenceNow(ctx: WebContext): Promise<Prevalence> {
  return ctx.prevalence.get(await ctx.cache.generation());
}

/** How many other platforms are listed on a provision page ("see all" leads to the clause-type page). */
export const OTHERS_SHOWN = 12;

export async function loadProvision(ctx: WebContext, id: number, origin: string) {
  const q = ctx.db;
  const p = await provisionById(q, id);
  if (!p) throw notFound(`no provision ${recordId('provision', id)}`);
  const rid = recordId('provision', id);
  const identity = { id: p.document_id, key: p.document_key, name: p.document_name, type: p.document_type, platform_id: p.platform_id, platform_slug: p.platform_slug, platform_name: p.platform_name };
  const typeId = p.types[0]?.id ?? null;
  const [detail, history, platform, prevalence, citations] = await Promise.all([
    documentDetail(q, identity),
    provisionHistory(q, id),
    platformAnalysis(q, p.platform_id),
    prevalenceNow(ctx),
    citationsOf(q, rid),
  ]);
  const withType = typeId ? (prevalence.byType.get(typeId) ?? []) : [];
  const othersAll = withType.filter((c) => c.platformId !== p.platform_id);
  const found = withType.length + (typeId && !withType.some((c) => c.platformId === p.platform_id) ? 1 : 0);
  const shown = othersAll.slice(0, OTHERS_SHOWN);
  const excerpts = await provisionExcerpts(q, shown.map((o) => o.example.provisionId));
  const source = detail.record.source_urls[0];
  const archiveUrl = source ? waybackUrl(source, p.version_recorded_at) : undefined;
  const evidence = await provisionEvidenceInfo(q, rid, p.text_id, { bundlePath: paths.provisionEvidence(id), verifierKey: ctx.signer?.verifierKey, archiveUrl });
  return {
    p,
    tracking: detail.record,
    history,
    platform,
    prevalence: { typeId, found, of: Math.max(prevalence.analysedPlatforms, found), others: shown.map((o) => ({ ...o, excerpt: excerpts.get(o.example.provisionId) })), othersTotal: othersAll.length },
    evidence,
    citations,
    archiveUrl,
    origin,
  };
}
