// Live tracking: fetch every page of every declared document and record what came of it.
// Documents run concurrently; the fetcher itself keeps one request at a time per host, politely spaced.
import type { FetchProblem, PlatformDeclaration, DocumentDeclaration, Fetcher as FetcherKind } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { recordFailure, recordPages, type CaptureResult, type CapturedPage } from '../record/capture.ts';
import { upsertDocument, upsertPlatform, upsertRules } from '../record/registry.ts';
import { getDocumentType } from '../catalog/document-types.ts';
import type { FetchOutcome } from '../domain/types.ts';
import { afterJob } from '../evidence/after-run.ts';
import { analyseCaptured } from '../analyse/store/hooks.ts';

export interface PageFetcher {
  fetchPage(url: string, opts?: { fetch?: FetcherKind; signal?: AbortSignal }): Promise<FetchOutcome>;
}

export interface TrackEvent {
  platform: string;
  document: string;
  result: CaptureResult;
}

export function documentName(doc: DocumentDeclaration): string {
  return doc.name ?? getDocumentType(doc.type)?.title ?? doc.type;
}

/** Makes the database's platforms and documents match the declarations (never deletes history). */
export async function syncCatalog(db: Db, catalog: PlatformDeclaration[]): Promise<Map<DocumentDeclaration, number>> {
  const ids = new Map<DocumentDeclaration, number>();
  await db.transaction(async (tx) => {
    for (const p of catalog) {
      const row = await upsertPlatform(tx, p);
      for (const d of p.documents) ids.set(d, (await upsertDocument(tx, row.id, d.type, documentName(d))).id);
    }
  });
  return ids;
}

export async function trackDocument(db: Db, fetcher: PageFetcher, documentId: number, doc: DocumentDeclaration, now = new Date()): Promise<CaptureResult> {
  const rules = doc.current;
  const rulesId = await upsertRules(db, documentId, rules);
  const req = { documentId, capturedAt: now, origin: 'live' as const, rulesId };
  const pages: CapturedPage[] = [];
  for (const page of rules.pages) {
    const out = await fetcher.fetchPage(page.url, { fetch: page.fetch });
    if (!out.ok) return recordFailure(db, req, out.problem, pages);
    const p = out.page;
    pages.push({ url: p.url, finalUrl: p.finalUrl, fetchedAt: p.fetchedAt, status: p.status, mediaType: p.mediaType, body: p.body, text: p.text, fetcher: p.fetcher });
  }
  let result: CaptureResult;
  try {
    result = await recordPages(db, { ...req, capturedAt: pages[0]?.fetchedAt ?? now }, pages, rules);
  } catch (err) {
    const problem: FetchProblem = { kind: 'unsupported-content', url: rules.pages[0]?.url ?? '', detail: `could not record: ${(err as Error).message}` };
    return recordFailure(db, req, problem);
  }
  // Clause analysis of a new version (an unchanged capture returns at once; failures never fail tracking).
  await analyseCaptured(db, result);
  return result;
}

export async function trackCatalog(
  db: Db,
  fetcher: PageFetcher,
  catalog: PlatformDeclaration[],
  opts: { concurrency?: number; onEvent?: (e: TrackEvent) => void } = {},
): Promise<TrackEvent[]> {
  const ids = await syncCatalog(db, catalog);
  const jobs = catalog.flatMap((p) => p.documents.map((d) => ({ p, d })));
  const events: TrackEvent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { p, d } = jobs[next++]!;
      const result = await trackDocument(db, fetcher, ids.get(d)!, d);
      const e = { platform: p.slug, document: documentName(d), result };
      events.push(e);
      opts.onEvent?.(e);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 6) }, worker));
  // Evidence: sign a checkpoint over what this run logged (and archive changed pages, if configured).
  await afterJob(db, { captures: events.map((e) => e.result) });
  return events;
}
