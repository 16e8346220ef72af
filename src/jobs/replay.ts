// Runs a folder of one document's stored snapshots (files named by ISO date) through the same recording
// path that live tracking uses, oldest first. Used by `clausewatch replay` and to load the bundled sample.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DocumentRules } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { recordPages, recordFailure, type CaptureOrigin, type CaptureResult, type CapturedPage } from '../record/capture.ts';
import { upsertRules } from '../record/registry.ts';
import { decodeText } from '../fetch/charset.ts';
import { extractPdfText } from '../fetch/pdf-text.ts';
import { analyseBatch } from '../analyse/store/hooks.ts';

// 2023-10-16T12-30-02Z_abcdef12.html, 2024-01-05.html, 2024-01-05T10:00:00Z.pdf, optionally .gz
const FILE = /^(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[-:](\d{2})(?:[-:](\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?:[-:]?\d{2})?)?)?[^/]*?\.(html?|pdf|txt|md)(\.gz)?$/i;

export interface SnapshotFile {
  file: string;
  date: Date;
}

export function listSnapshotFiles(folder: string): { files: SnapshotFile[]; ignored: string[] } {
  const files: SnapshotFile[] = [];
  const ignored: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const m = FILE.exec(name);
    if (!m) {
      ignored.push(name);
      continue;
    }
    const [, day, hh = '00', mm = '00', ss = '00', zone = 'Z'] = m;
    const tz = zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})-?(\d{2})?$/, (_, h: string, mi?: string) => `${h}:${mi ?? '00'}`);
    const date = new Date(`${day}T${hh}:${mm}:${ss}${tz}`);
    if (Number.isNaN(date.getTime())) ignored.push(name);
    else files.push({ file: path.join(folder, name), date });
  }
  files.sort((a, b) => a.date.getTime() - b.date.getTime() || a.file.localeCompare(b.file));
  return { files, ignored };
}

export async function readSnapshotFile(f: SnapshotFile, url: string): Promise<CapturedPage> {
  let body = readFileSync(f.file);
  if (f.file.endsWith('.gz')) body = gunzipSync(body);
  const ext = /\.(html?|pdf|txt|md)(\.gz)?$/i.exec(f.file)?.[1]?.toLowerCase();
  const mediaType = ext === 'pdf' ? 'application/pdf' : ext === 'txt' || ext === 'md' ? 'text/plain' : 'text/html';
  return {
    url,
    fetchedAt: f.date,
    mediaType,
    body,
    text: mediaType === 'application/pdf' ? await extractPdfText(body) : decodeText(body, undefined, mediaType === 'text/html').text,
    fetcher: 'http',
  };
}

export interface ReplayEvent {
  file: string;
  date: Date;
  result: CaptureResult;
}

export async function replaySnapshots(
  db: Db,
  opts: {
    documentId: number;
    files: SnapshotFile[];
    url: string;
    rulesAt: (date: Date) => DocumentRules;
    origin: CaptureOrigin;
    onEvent?: (e: ReplayEvent) => void;
    /** Analyse the new versions after the folder is recorded (default true; the sample analyses once at its end). */
    analyse?: boolean;
  },
): Promise<ReplayEvent[]> {
  const events: ReplayEvent[] = [];
  for (const f of opts.files) {
    const rules = opts.rulesAt(f.date);
    const rulesId = await upsertRules(db, opts.documentId, rules);
    const req = { documentId: opts.documentId, capturedAt: f.date, origin: opts.origin, originRef: path.basename(f.file), rulesId };
    let result: CaptureResult;
    try {
      result = await recordPages(db, req, [await readSnapshotFile(f, opts.url)], rules);
    } catch (err) {
      result = await recordFailure(db, req, { kind: 'unsupported-content', url: opts.url, detail: `${path.basename(f.file)}: ${(err as Error).message}` });
    }
    const e = { file: f.file, date: f.date, result };
    events.push(e);
    opts.onEvent?.(e);
  }
  // Clause analysis of the versions just recorded, in one drain (see src/analyse/store/hooks.ts).
  if (opts.analyse !== false) await analyseBatch(db, { documentIds: [opts.documentId] });
  return events;
}
