// Re-extraction: applies a document's current declaration to the bytes of its latest capture, without
// fetching. After a declaration is fixed (a selector that broke in a site rebuild, a new noise rule), this
// turns stored snapshots into text again, as Open Terms Archive's "technical upgrade" does.
import type { DocumentDeclaration } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { extractDocument, recordFailure, recordText, type CaptureResult, type CapturedPage } from '../record/capture.ts';
import { getBlob } from '../record/blobs.ts';
import { snapshotsOf } from '../record/queries.ts';
import { upsertRules } from '../record/registry.ts';
import { decodeText } from '../fetch/charset.ts';
import { extractPdfText } from '../fetch/pdf-text.ts';

export async function reextractDocument(db: Db, documentId: number, decl: DocumentDeclaration, now = new Date()): Promise<CaptureResult | undefined> {
  const last = (
    await db.query<{ id: number; captured_at: Date; outcome: string }>(
      `SELECT c.id, c.captured_at, c.outcome FROM captures c
       WHERE c.document_id = $1 AND EXISTS (SELECT 1 FROM snapshots s WHERE s.capture_id = c.id)
       ORDER BY c.captured_at DESC, c.id DESC LIMIT 1`,
      [documentId],
    )
  )[0];
  if (!last) return undefined;
  const pages: CapturedPage[] = [];
  for (const s of await snapshotsOf(db, { captureId: last.id })) {
    const body = (await getBlob(db, s.blob_sha256)) ?? Buffer.alloc(0);
    const text = s.media_type === 'application/pdf' ? await extractPdfText(body) : decodeText(body, undefined, s.media_type === 'text/html').text;
    pages.push({ url: s.url, finalUrl: s.final_url ?? undefined, fetchedAt: s.fetched_at, status: s.http_status ?? undefined, mediaType: s.media_type, body, text, fetcher: s.fetcher });
  }
  const rules = decl.current;
  const rulesId = await upsertRules(db, documentId, rules);
  // A capture that had failed never gave us its text: what re-extraction finds is what the source said then.
  // A capture that had succeeded was read with other rules: a different text now is a re-extraction.
  const recovered = last.outcome === 'failed' || last.outcome === 'suspect';
  const req = { documentId, capturedAt: recovered ? last.captured_at : now, origin: 'reextraction' as const, originRef: `capture-${last.id}-rules-${rulesId}`, rulesId };
  const extracted = extractDocument(pages, rules);
  if ('problem' in extracted) return recordFailure(db, req, extracted.problem);
  return recordText(db, req, extracted.markdown, { html: extracted.html, reextraction: !recovered });
}
