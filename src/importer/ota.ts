// Import of Open Terms Archive datasets: a versions repository (Markdown, one commit per version) or a
// snapshots repository (raw pages, re-extracted here with our extractor and the declarations given).
// Resumable: a cursor advances in the same transaction as each capture, and every capture is keyed by its
// commit, so running the import again (after a kill, or on a newer dataset) records nothing twice.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { DocumentRules, PlatformDeclaration, DocumentDeclaration } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { sha256Hex } from '../record/hash.ts';
import { recordPages, recordText, type CaptureOutcome, type CapturedPage } from '../record/capture.ts';
import { upsertDocument, upsertPlatform, upsertRules, slugify } from '../record/registry.ts';
import { cleanImportedMarkdown } from './clean-markdown.ts';
import { otaTypeToDocumentType } from '../catalog/document-types.ts';
import { rulesAt } from '../catalog/index.ts';
import { decodeText } from '../fetch/charset.ts';
import { BlobReader, countCommits, git, streamCommits, type Commit } from './git.ts';
import { afterJob } from '../evidence/after-run.ts';
import { analyseBatch } from '../analyse/store/hooks.ts';
import type { AnalyseRunSummary } from '../analyse/store/pending.ts';

export type OtaKind = 'versions' | 'snapshots';

export interface ImportOptions {
  /** A git bundle file or a git repository folder. */
  source: string;
  ref?: string;
  /** Where bundles are unpacked (reused across runs). */
  cacheDir: string;
  catalog: PlatformDeclaration[];
  onProgress?: (done: number, total: number, note: string) => void;
  /** Stop after this many commits (for tests of resumption). */
  limit?: number;
}

export interface ImportSummary {
  kind: OtaKind;
  source: string;
  commits: number;
  resumedAt: number;
  captures: number;
  outcomes: Record<CaptureOutcome, number>;
  skippedPaths: number;
  documents: number;
  seconds: number;
  versionsPerSecond: number;
  peakRssMB: number;
  warnings: string[];
  /** Clause analysis of the pending versions, run after the import (absent when CLAUSEWATCH_ANALYSE=0). */
  analysis?: AnalyseRunSummary;
}

const TECHNICAL = /^(Apply technical or declaration upgrade on|Refilter)\b/;
const DOC_PATH = /^([^/]+)\/([^/]+?)(?: #([^/]+))?\.(md|html|pdf)$/;

export function classifySubject(subject: string): 'reextraction' | 'record' {
  return TECHNICAL.test(subject) ? 'reextraction' : 'record';
}

export async function importOta(db: Db, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const repo = resolveRepository(opts.source, opts.cacheDir);
  const ref = opts.ref ?? pickRef(repo);
  const kind = detectKind(repo, ref);
  const root = git(repo, ['rev-list', '--max-parents=0', ref]).trim().split('\n').pop()!;
  const cursorSource = `ota-${kind}:${root}`;
  const origin = kind === 'versions' ? 'ota-versions' : 'ota-snapshots';
  const total = countCommits(repo, ref);
  const startAt = Number((await db.query<{ position: number }>('SELECT position FROM import_cursors WHERE source = $1', [cursorSource]))[0]?.position ?? 0);

  const outcomes = { first: 0, changed: 0, unchanged: 0, returned: 0, suspect: 0, failed: 0, reextraction: 0, duplicate: 0 } as Record<CaptureOutcome, number>;
  const summary: ImportSummary = {
    kind, source: opts.source, commits: 0, resumedAt: startAt, captures: 0, outcomes, skippedPaths: 0, documents: 0,
    seconds: 0, versionsPerSecond: 0, peakRssMB: 0, warnings: [],
  };
  const docs = new DocumentResolver(db, opts.catalog, summary.warnings, kind === 'snapshots');
  const blobs = new BlobReader(repo);
  const pages = new PageTracker(repo, ref, blobs);
  let position = 0;
  try {
    for await (const commit of streamCommits(repo, ref)) {
      position++;
      if (position <= startAt) continue;
      if (opts.limit !== undefined && summary.commits >= opts.limit) break;
      summary.commits++;
      const byDoc = groupChanges(commit, summary);
      for (const [docKey, changed] of byDoc) {
        const [service, typeName] = docKey.split('\u0000') as [string, string];
        const doc = await docs.resolve(service, typeName);
        const req = {
          documentId: doc.id,
          capturedAt: commit.date,
          origin: origin as 'ota-versions' | 'ota-snapshots',
          originRef: commit.sha,
          cursor: { source: cursorSource, position },
        };
        let outcome: CaptureOutcome;
        if (kind === 'versions') {
          const bytes = await blobs.read(commit.sha, changed[0]!.path);
          if (!bytes) continue;
          const text = cleanImportedMarkdown(bytes.toString('utf8'));
          outcome = (await recordText(db, req, text, { reextraction: classifySubject(commit.subject) === 'reextraction' })).outcome;
        } else {
          const captured = await pages.update(commit, service, typeName, changed.map((c) => c.path));
          const rules = doc.declaration ? rulesAt(doc.declaration, commit.date) : genericRules(captured);
          const rulesId = await upsertRules(db, doc.id, rules);
          outcome = (await recordPages(db, { ...req, rulesId }, captured, rules)).outcome;
        }
        outcomes[outcome]++;
        summary.captures++;
      }
      opts.onProgress?.(position, total, commit.subject);
    }
  } finally {
    blobs.close();
  }
  summary.documents = docs.count;
  summary.seconds = (Date.now() - started) / 1000;
  const recorded = outcomes.first + outcomes.changed + outcomes.returned + outcomes.reextraction;
  summary.versionsPerSecond = summary.seconds > 0 ? recorded / summary.seconds : 0;
  summary.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  // Clause analysis after the import, in one drain (seconds above are the import's own).
  summary.analysis = await analyseBatch(db);
  // Evidence: one checkpoint over what the import logged.
  await afterJob(db, { warn: (line) => summary.warnings.push(line) });
  return summary;
}

function groupChanges(commit: Commit, summary: ImportSummary): Map<string, { path: string; page: string }[]> {
  const byDoc = new Map<string, { path: string; page: string }[]>();
  for (const ch of commit.changes) {
    const m = DOC_PATH.exec(ch.path);
    if (!m || ch.status.startsWith('D') || m[1]!.startsWith('.')) {
      summary.skippedPaths++;
      continue;
    }
    const key = `${m[1]}\u0000${m[2]}`;
    const list = byDoc.get(key) ?? [];
    list.push({ path: ch.path, page: m[3] ?? '' });
    byDoc.set(key, list);
  }
  return byDoc;
}

/** Maps OTA service and terms-type names to our platforms and documents, creating them when new. */
class DocumentResolver {
  private cache = new Map<string, { id: number; declaration?: DocumentDeclaration }>();
  constructor(private db: Db, private catalog: PlatformDeclaration[], private warnings: string[], private needsRules: boolean) {}

  get count(): number {
    return this.cache.size;
  }

  async resolve(service: string, typeName: string): Promise<{ id: number; declaration?: DocumentDeclaration }> {
    const key = `${service}\u0000${typeName}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const decl = this.catalog.find((p) => p.name.toLowerCase() === service.toLowerCase() || p.slug === slugify(service));
    const { type } = otaTypeToDocumentType(typeName);
    const platform = await upsertPlatform(this.db, decl ?? { slug: slugify(service), name: service });
    const docDecl = decl?.documents.find((d) => d.type === type && (!d.name || d.name.toLowerCase() === typeName.toLowerCase()))
      ?? decl?.documents.find((d) => d.type === type);
    const name = docDecl?.name ?? typeName;
    const row = await upsertDocument(this.db, platform.id, type, name);
    const out = { id: row.id, declaration: docDecl };
    if (!docDecl && this.needsRules) this.warnings.push(`no declaration for ${service} / ${typeName}: a snapshot import extracts the whole page`);
    this.cache.set(key, out);
    return out;
  }
}

/** Keeps the latest bytes of every page of multi-page documents, so each capture has all of them. */
class PageTracker {
  private pageSets = new Map<string, string[]>();
  constructor(private repo: string, private ref: string, private blobs: BlobReader) {}

  async update(commit: Commit, service: string, typeName: string, changedPaths: string[]): Promise<CapturedPage[]> {
    const key = `${service}\u0000${typeName}`;
    let paths = this.pageSets.get(key);
    if (!paths || changedPaths.some((p) => !paths!.includes(p))) {
      paths = this.listPages(commit.sha, service, typeName);
      this.pageSets.set(key, paths);
    }
    const location = /^X-source-document-location:\s*(\S+)/im.exec(commit.body)?.[1];
    const fetcher = /^X-fetcher:\s*(\S+)/im.exec(commit.body)?.[1] === 'fullDom' ? 'browser' : 'http';
    const out: CapturedPage[] = [];
    for (const p of paths) {
      const body = await this.blobs.read(commit.sha, p);
      if (!body) continue;
      const isPdf = p.endsWith('.pdf');
      out.push({
        url: (paths.length === 1 && location) || `ota:${p}`,
        fetchedAt: commit.date,
        mediaType: isPdf ? 'application/pdf' : 'text/html',
        body,
        text: isPdf ? '' : decodeText(body, undefined, true).text,
        fetcher,
      });
    }
    return out;
  }

  private listPages(commit: string, service: string, typeName: string): string[] {
    const names = git(this.repo, ['ls-tree', '--name-only', commit, `${service}/`]).split('\n').filter(Boolean);
    return names
      .filter((n) => {
        const m = DOC_PATH.exec(n);
        return m && m[1] === service && m[2] === typeName;
      })
      .sort((a, b) => (a.includes(' #') ? 1 : 0) - (b.includes(' #') ? 1 : 0) || a.localeCompare(b));
  }
}

function genericRules(pages: CapturedPage[]): DocumentRules {
  return { pages: pages.map((p) => ({ url: p.url, select: 'body' })) };
}

function resolveRepository(source: string, cacheDir: string): string {
  if (!existsSync(source)) throw new Error(`import-ota: ${source} does not exist`);
  const st = statSync(source);
  if (st.isDirectory()) {
    try {
      execFileSync('git', ['-C', source, 'rev-parse', '--git-dir'], { stdio: 'ignore' });
    } catch {
      throw new Error(`import-ota: ${source} is not a git repository`);
    }
    return source;
  }
  const abs = path.resolve(source);
  const id = sha256Hex(`${abs}\u0000${st.size}\u0000${st.mtimeMs}`).slice(0, 12);
  const target = path.join(cacheDir, 'ota', `${path.basename(abs).replace(/[^A-Za-z0-9._-]/g, '_')}-${id}.git`);
  if (existsSync(target)) return target;
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    execFileSync('git', ['clone', '--quiet', '--mirror', abs, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`import-ota: ${source} is neither a git repository nor a git bundle (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`);
  }
  try {
    renameSync(tmp, target); // atomic: a killed clone never leaves a half repository behind
  } catch (err) {
    // Another process unpacked the same bundle meanwhile: use theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(target)) throw err;
  }
  return target;
}

function pickRef(repo: string): string {
  try {
    git(repo, ['rev-parse', '--verify', '--quiet', 'refs/heads/main']);
    return 'refs/heads/main';
  } catch {
    return 'HEAD';
  }
}

function detectKind(repo: string, ref: string): OtaKind {
  const files = git(repo, ['ls-tree', '-r', '--name-only', ref]).split('\n');
  let md = 0;
  let html = 0;
  for (const f of files) {
    if (!DOC_PATH.test(f)) continue;
    if (f.endsWith('.md')) md++;
    else html++;
  }
  if (!md && !html) throw new Error(`import-ota: ${repo} holds no <Service>/<Terms type>.md|.html files: not an Open Terms Archive dataset`);
  return md >= html ? 'versions' : 'snapshots';
}
