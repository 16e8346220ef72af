// Recording one tracking attempt of a document: the only place where snapshots become versions.
// Live tracking, replay, the bundled sample and imports all go through these functions, so they agree.
import { diffLines } from 'diff';
import type { DocumentRules, FetchProblem, SuspectReason } from '../domain/types.ts';
import type { Db, Queryable } from '../store/db.ts';
import { extractMarkdown, assessExtraction, SelectorError } from '../extract/index.ts';
import { putBlob } from './blobs.ts';
import { putText, getText } from './texts.ts';
import { sha256Hex } from './hash.ts';
import { normalisePlainText } from './plain-text.ts';
// Evidence log: every snapshot and version is appended as a leaf in the transaction that records it.
import { appendCaptureToLog } from '../evidence/db-log.ts';

export type CaptureOrigin = 'live' | 'replay' | 'sample' | 'ota-versions' | 'ota-snapshots' | 'reextraction';

export interface CapturedPage {
  url: string;
  finalUrl?: string;
  fetchedAt: Date;
  status?: number;
  mediaType: string;
  body: Buffer;
  /** Decoded text (HTML source, or the text a PDF yielded). */
  text: string;
  fetcher: string;
}

export interface CaptureRequest {
  documentId: number;
  capturedAt: Date;
  origin: CaptureOrigin;
  /** Stable reference of the source (an import commit, a replayed file): makes recording idempotent. */
  originRef?: string;
  rulesId?: number;
  /** Position to store in import_cursors, written in the same transaction as the capture. */
  cursor?: { source: string; position: number };
}

export type CaptureOutcome = 'first' | 'changed' | 'unchanged' | 'returned' | 'suspect' | 'failed' | 'reextraction' | 'duplicate';

export interface CaptureResult {
  outcome: CaptureOutcome;
  captureId?: number;
  versionId?: number;
  returnsToId?: number;
  textSha256?: string;
  linesAdded: number;
  linesRemoved: number;
  suspect?: SuspectReason;
  problem?: FetchProblem;
  /** True when the bytes equalled the previous capture's and nothing was re-extracted. */
  fastPath?: boolean;
}

/** Extracts the document text from its fetched pages with the given rules: pure, no I/O. */
export function extractDocument(pages: CapturedPage[], rules: DocumentRules): { markdown: string; html: string } | { problem: FetchProblem } {
  const parts: string[] = [];
  const htmls: string[] = [];
  pages.forEach((page, i) => {
    const decl = rules.pages[i] ?? rules.pages[rules.pages.length - 1];
    if (page.mediaType === 'text/html' || page.mediaType === 'application/xhtml+xml') {
      let out: { markdown: string; matched: boolean };
      try {
        out = extractMarkdown(page.text, { url: page.finalUrl ?? page.url, select: decl?.select, remove: decl?.remove, noise: rules.noise });
      } catch (err) {
        // Declarations are validated when loaded; a selector given on the command line may still be invalid.
        if (!(err instanceof SelectorError)) throw err;
        parts.push('\u0000no-match:' + page.url);
        return;
      }
      if (!out.matched) {
        parts.push('\u0000no-match:' + page.url);
        return;
      }
      parts.push(out.markdown);
      htmls.push(page.text);
    } else {
      parts.push(normalisePlainText(page.text));
    }
  });
  const missing = parts.find((p) => p.startsWith('\u0000no-match:'));
  if (missing) {
    const url = missing.slice('\u0000no-match:'.length);
    return { problem: { kind: 'selector-not-found', url, detail: `the declared selection matched nothing on ${url}` } };
  }
  return { markdown: parts.filter(Boolean).join('\n\n'), html: htmls.join('\n') };
}

/** Records pages fetched for one document: stores the bytes, extracts, decides, and writes in one transaction. */
export async function recordPages(db: Db, req: CaptureRequest, pages: CapturedPage[], rules: DocumentRules): Promise<CaptureResult> {
  if (await isDuplicate(db, req)) return { outcome: 'duplicate', linesAdded: 0, linesRemoved: 0 };
  const shas = pages.map((p) => sha256Hex(p.body));
  const fast = await unchangedFastPath(db, req, shas);
  if (fast) {
    return db.transaction(async (tx) => {
      const captureId = await insertCapture(tx, req, { outcome: fast.outcome, textSha: fast.textSha, versionId: fast.versionId, detail: fast.detail, url: pages[0]?.url });
      await insertSnapshots(tx, captureId, req, pages, shas);
      await appendCaptureToLog(tx, captureId);
      await advanceCursor(tx, req);
      return { outcome: fast.outcome, captureId, versionId: fast.versionId, textSha256: fast.textSha, linesAdded: 0, linesRemoved: 0, fastPath: true };
    });
  }
  const extracted = extractDocument(pages, rules);
  if ('problem' in extracted) return recordFailure(db, req, extracted.problem, pages);
  return recordText(db, req, extracted.markdown, { html: extracted.html, pages, shas });
}

/** Records a document text (extracted here, or taken as-is from an imported dataset). */
export async function recordText(
  db: Db,
  req: CaptureRequest,
  markdown: string,
  opts: { html?: string; pages?: CapturedPage[]; shas?: string[]; reextraction?: boolean } = {},
): Promise<CaptureResult> {
  const textSha = sha256Hex(markdown);
  return db.transaction(async (tx) => {
    if (await isDuplicate(tx, req)) return { outcome: 'duplicate', linesAdded: 0, linesRemoved: 0 } as CaptureResult;
    // Serialise writers of one document so two trackers never both record the same change.
    await tx.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [req.documentId]);
    const current = await currentVersion(tx, req.documentId);
    let result: CaptureResult;
    if (current && current.text_sha256 === textSha) {
      result = { outcome: 'unchanged', versionId: current.id, textSha256: textSha, linesAdded: 0, linesRemoved: 0 };
    } else {
      const previousText = current ? ((await getText(tx, current.text_sha256)) ?? '') : undefined;
      const earlier = await tx.query<{ id: number }>(
        `SELECT id FROM versions WHERE document_id = $1 AND text_sha256 = $2 ORDER BY recorded_at, id LIMIT 1`,
        [req.documentId, textSha],
      );
      const suspect = earlier.length ? null : assessExtraction(markdown, opts.html ?? '', previousText);
      if (suspect) {
        await putText(tx, textSha, markdown);
        result = { outcome: 'suspect', textSha256: textSha, suspect, linesAdded: 0, linesRemoved: 0 };
      } else {
        const { added, removed } = countLineChanges(previousText ?? '', markdown);
        const kind = !current ? 'first' : opts.reextraction ? 'reextraction' : earlier.length ? 'return' : 'change';
        await putText(tx, textSha, markdown);
        const rows = await tx.query<{ id: number }>(
          `INSERT INTO versions (document_id, recorded_at, text_sha256, kind, previous_id, returns_to_id, lines_added, lines_removed, origin, origin_ref)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [req.documentId, req.capturedAt, textSha, kind, current?.id ?? null, earlier[0]?.id ?? null, added, removed, req.origin, req.originRef ?? null],
        );
        const outcome: CaptureOutcome = kind === 'first' ? 'first' : kind === 'reextraction' ? 'reextraction' : kind === 'return' ? 'returned' : 'changed';
        result = { outcome, versionId: rows[0]!.id, returnsToId: earlier[0]?.id, textSha256: textSha, linesAdded: added, linesRemoved: removed };
      }
    }
    const captureId = await insertCapture(tx, req, {
      outcome: result.outcome as Exclude<CaptureOutcome, 'duplicate'>,
      textSha,
      versionId: result.versionId,
      problemKind: result.suspect ? `suspect:${result.suspect.kind}` : undefined,
      detail: result.suspect?.detail,
      url: opts.pages?.[0]?.url,
    });
    if (opts.pages) await insertSnapshots(tx, captureId, req, opts.pages, opts.shas ?? opts.pages.map((p) => sha256Hex(p.body)));
    await appendCaptureToLog(tx, captureId);
    await advanceCursor(tx, req);
    return { ...result, captureId };
  });
}

/** Records a failed attempt: a fetch problem never becomes a version, but any bytes fetched are kept. */
export async function recordFailure(db: Db, req: CaptureRequest, problem: FetchProblem, pages: CapturedPage[] = []): Promise<CaptureResult> {
  return db.transaction(async (tx) => {
    if (await isDuplicate(tx, req)) return { outcome: 'duplicate', linesAdded: 0, linesRemoved: 0 } as CaptureResult;
    const captureId = await insertCapture(tx, req, {
      outcome: 'failed',
      problemKind: problem.kind,
      detail: problem.detail,
      httpStatus: problem.httpStatus,
      url: problem.url,
    });
    if (pages.length) await insertSnapshots(tx, captureId, req, pages, pages.map((p) => sha256Hex(p.body)));
    await appendCaptureToLog(tx, captureId);
    await advanceCursor(tx, req);
    return { outcome: 'failed', captureId, problem, linesAdded: 0, linesRemoved: 0 };
  });
}

export function countLineChanges(before: string, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}

export async function currentVersion(q: Queryable, documentId: number): Promise<{ id: number; text_sha256: string } | undefined> {
  const rows = await q.query<{ id: number; text_sha256: string }>(
    'SELECT id, text_sha256 FROM versions WHERE document_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1',
    [documentId],
  );
  return rows[0];
}

async function isDuplicate(q: Queryable, req: CaptureRequest): Promise<boolean> {
  if (!req.originRef) return false;
  const rows = await q.query('SELECT 1 FROM captures WHERE document_id = $1 AND origin = $2 AND origin_ref = $3', [
    req.documentId,
    req.origin,
    req.originRef,
  ]);
  return rows.length > 0;
}

// An unchanged fetch costs a hash comparison: same bytes and same rules as the last capture that was
// extracted means the same text, so extraction and analysis are skipped.
async function unchangedFastPath(
  q: Queryable,
  req: CaptureRequest,
  shas: string[],
): Promise<{ outcome: 'unchanged' | 'suspect'; versionId?: number; textSha?: string; detail?: string } | undefined> {
  const last = await q.query<{ id: number; outcome: string; version_id: number | null; text_sha256: string | null; rules_id: number | null; detail: string | null }>(
    `SELECT id, outcome, version_id, text_sha256, rules_id, detail FROM captures
     WHERE document_id = $1 AND outcome <> 'failed' ORDER BY captured_at DESC, id DESC LIMIT 1`,
    [req.documentId],
  );
  const prev = last[0];
  if (!prev || (prev.rules_id ?? null) !== (req.rulesId ?? null)) return undefined;
  const prevShas = await q.query<{ blob_sha256: string }>('SELECT blob_sha256 FROM snapshots WHERE capture_id = $1 ORDER BY page_index', [prev.id]);
  if (prevShas.length !== shas.length || prevShas.some((r, i) => r.blob_sha256 !== shas[i])) return undefined;
  if (prev.outcome === 'suspect') return { outcome: 'suspect', textSha: prev.text_sha256 ?? undefined, detail: prev.detail ?? undefined };
  const current = await currentVersion(q, req.documentId);
  if (!current || current.id !== prev.version_id) return undefined;
  return { outcome: 'unchanged', versionId: current.id, textSha: current.text_sha256 };
}

async function insertCapture(
  q: Queryable,
  req: CaptureRequest,
  c: { outcome: Exclude<CaptureOutcome, 'duplicate'>; textSha?: string; versionId?: number; problemKind?: string; detail?: string; httpStatus?: number; url?: string },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO captures (document_id, captured_at, origin, origin_ref, outcome, text_sha256, version_id, rules_id, problem_kind, detail, http_status, url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      req.documentId,
      req.capturedAt,
      req.origin,
      req.originRef ?? null,
      c.outcome,
      c.textSha ?? null,
      c.versionId ?? null,
      req.rulesId ?? null,
      c.problemKind ?? null,
      c.detail ?? null,
      c.httpStatus ?? null,
      c.url ?? null,
    ],
  );
  return rows[0]!.id;
}

async function insertSnapshots(q: Queryable, captureId: number, req: CaptureRequest, pages: CapturedPage[], shas: string[]): Promise<void> {
  for (const [i, page] of pages.entries()) {
    const sha = await putBlob(q, page.body, shas[i]);
    await q.query(
      `INSERT INTO snapshots (capture_id, document_id, page_index, url, final_url, fetched_at, blob_sha256, media_type, http_status, fetcher)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [captureId, req.documentId, i, page.url, page.finalUrl ?? null, page.fetchedAt, sha, page.mediaType, page.status ?? null, page.fetcher],
    );
  }
}

async function advanceCursor(q: Queryable, req: CaptureRequest): Promise<void> {
  if (!req.cursor) return;
  await q.query(
    `INSERT INTO import_cursors (source, position, last_ref, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (source) DO UPDATE SET position = GREATEST(import_cursors.position, EXCLUDED.position), last_ref = EXCLUDED.last_ref, updated_at = now()`,
    [req.cursor.source, req.cursor.position, req.originRef ?? null],
  );
}
