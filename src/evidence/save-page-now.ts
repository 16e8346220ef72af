// Optional: after a change, ask the Internet Archive's Save Page Now (SPN2 API) to capture the
// page, so that an independent archive holds it too, and record the capture it returns. Only with
// configured credentials (CLAUSEWATCH_SPN_ACCESS_KEY / CLAUSEWATCH_SPN_SECRET); the endpoint is
// configurable so tests talk to a stand-in on loopback.

import type { Db, Queryable } from '../store/db.ts';
import { parseWaybackTimestamp, waybackUrl } from './archive.ts';

export interface SpnOptions {
  endpoint: string;
  accessKey: string;
  secret: string;
  /** Between status polls. */
  pollMs?: number;
  /** How long to wait for all jobs of one run before recording them as pending. */
  maxWaitMs?: number;
}

export interface SpnResult {
  url: string;
  status: 'success' | 'pending' | 'error';
  jobId?: string;
  archiveUrl?: string;
  archivedAt?: Date;
  detail?: string;
}

function headers(o: SpnOptions): Record<string, string> {
  return { accept: 'application/json', authorization: `LOW ${o.accessKey}:${o.secret}` };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { status: 'error', message: `HTTP ${res.status}: not a JSON answer (${text.slice(0, 80)})` };
}

/** Submits one URL; returns the job, or why it was refused. */
export async function submitSpn(url: string, o: SpnOptions): Promise<SpnResult> {
  try {
    const res = await fetch(`${o.endpoint.replace(/\/+$/, '')}/save`, {
      method: 'POST',
      headers: { ...headers(o), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ url, skip_first_archive: '1' }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await json(res);
    if (typeof body.job_id === 'string' && body.job_id) return { url, status: 'pending', jobId: body.job_id };
    return { url, status: 'error', detail: String(body.message ?? body.status_ext ?? `HTTP ${res.status}`) };
  } catch (err) {
    return { url, status: 'error', detail: `Save Page Now unreachable: ${(err as Error).message}` };
  }
}

/** One status poll of a job. */
export async function pollSpn(job: SpnResult, o: SpnOptions): Promise<SpnResult> {
  if (!job.jobId) return job;
  try {
    const res = await fetch(`${o.endpoint.replace(/\/+$/, '')}/save/status/${encodeURIComponent(job.jobId)}`, { headers: headers(o), signal: AbortSignal.timeout(30_000) });
    const body = await json(res);
    if (body.status === 'success' && typeof body.timestamp === 'string') {
      const when = parseWaybackTimestamp(body.timestamp);
      const original = typeof body.original_url === 'string' ? body.original_url : job.url;
      if (!when) return { ...job, status: 'error', detail: `the archive answered an invalid timestamp "${body.timestamp.slice(0, 20)}"` };
      return { ...job, status: 'success', archivedAt: when, archiveUrl: waybackUrl(original, when), detail: undefined };
    }
    if (body.status === 'pending') return { ...job, status: 'pending' };
    return { ...job, status: 'error', detail: String(body.message ?? body.status_ext ?? 'the capture failed') };
  } catch (err) {
    return { ...job, status: 'pending', detail: `status unknown: ${(err as Error).message}` };
  }
}

/** Submits the URLs, then polls all jobs until they finish or the wait is over. */
export async function savePages(urls: readonly string[], o: SpnOptions): Promise<SpnResult[]> {
  let jobs = await Promise.all([...new Set(urls)].map((u) => submitSpn(u, o)));
  const deadline = Date.now() + (o.maxWaitMs ?? 120_000);
  while (jobs.some((j) => j.status === 'pending') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, o.pollMs ?? 5_000));
    jobs = await Promise.all(jobs.map((j) => (j.status === 'pending' ? pollSpn(j, o) : j)));
  }
  return jobs;
}

/**
 * Archives the pages behind the given captures (those that recorded a change) and records what the
 * archive answered, per snapshot. Pending jobs from earlier runs are polled once more first.
 */
export async function archiveCaptures(db: Db, captureIds: readonly number[], o: SpnOptions): Promise<SpnResult[]> {
  await resolvePending(db, o);
  if (captureIds.length === 0) return [];
  const snaps = await db.query<{ id: number; url: string }>(
    `SELECT id, coalesce(final_url, url) AS url FROM snapshots WHERE capture_id = ANY($1::int[]) AND url ~ '^https?://' ORDER BY id`,
    [captureIds],
  );
  if (snaps.length === 0) return [];
  const results = await savePages(snaps.map((s) => s.url), o);
  const byUrl = new Map(results.map((r) => [r.url, r]));
  for (const s of snaps) {
    const r = byUrl.get(s.url);
    if (r) await insertArchive(db, 'snapshot', Number(s.id), r);
  }
  return results;
}

async function insertArchive(q: Queryable, kind: string, recordId: number, r: SpnResult): Promise<void> {
  await q.query(
    'INSERT INTO evidence_archives (kind, record_id, url, job_id, status, archive_url, archived_at, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [kind, recordId, r.url, r.jobId ?? null, r.status, r.archiveUrl ?? null, r.archivedAt ?? null, r.detail ?? null],
  );
}

async function resolvePending(db: Db, o: SpnOptions): Promise<void> {
  const pending = await db.query<{ id: number; url: string; job_id: string }>(
    `SELECT id, url, job_id FROM evidence_archives WHERE status = 'pending' AND job_id IS NOT NULL AND requested_at > now() - interval '7 days' ORDER BY id LIMIT 100`,
  );
  for (const p of pending) {
    const r = await pollSpn({ url: p.url, status: 'pending', jobId: p.job_id }, o);
    if (r.status !== 'pending') {
      await db.query('UPDATE evidence_archives SET status = $2, archive_url = $3, archived_at = $4, detail = $5 WHERE id = $1', [p.id, r.status, r.archiveUrl ?? null, r.archivedAt ?? null, r.detail ?? null]);
    }
  }
}

/** The recorded archive capture of a snapshot, when Save Page Now made one. */
export async function archivedCapture(q: Queryable, snapshotId: number): Promise<{ archiveUrl: string; archivedAt: Date } | undefined> {
  const rows = await q.query<{ archive_url: string; archived_at: Date }>(
    `SELECT archive_url, archived_at FROM evidence_archives WHERE kind = 'snapshot' AND record_id = $1 AND status = 'success' AND archive_url IS NOT NULL ORDER BY id DESC LIMIT 1`,
    [snapshotId],
  );
  return rows[0] && { archiveUrl: rows[0].archive_url, archivedAt: rows[0].archived_at };
}
