// A response cache validated by the data's generation: rendered pages and JSON are reused until the
// database changes (a new capture, version, platform or document moves a sequence) or the entry ages out.
// Reads of the generation are shared: at most one query per `checkEveryMs`, however many requests.
import type { Queryable } from '../store/db.ts';
import { ANALYSIS_GENERATION } from './read/prevalence.ts';

export interface CachedResponse {
  status: number;
  type: string;
  body: Buffer;
  etag: string;
  headers?: Record<string, string>;
  /** The body gzipped, made once on the first request that accepts it. */
  gzip?: Buffer;
}

interface Entry {
  generation: string;
  storedAt: number;
  response: CachedResponse;
  /** What it was counted as: the body, or the gzipped bytes for a page read back from the page store. */
  size: number;
}

// Every write that changes what a page shows creates a row in one of these tables, and serial sequences
// only move forward (even when a transaction rolls back, which at worst costs a spurious miss). The analysis
// writes one version_analysis row per analysed version (keyed by version, no sequence) and recomputes
// platform_analysis in place: their count and latest computation time cover what the sequences miss.
// The database's own identity comes first: a database dropped and refilled to the same sequence values is
// another database (pages rendered for it are kept on disk, see page-store.ts).
const GENERATION_SQL = `SELECT concat_ws('.', (SELECT id FROM database_identity),
  (SELECT last_value FROM captures_id_seq), (SELECT last_value FROM versions_id_seq),
  (SELECT last_value FROM platforms_id_seq), (SELECT last_value FROM documents_id_seq), ${ANALYSIS_GENERATION}) AS g,
  ${ANALYSIS_GENERATION} AS a`;

/** The database's part of a generation, without the process's local changes: what the page store is keyed by. */
export function dataPart(generation: string): string {
  return generation.slice(0, generation.lastIndexOf('.'));
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  private local = 0;
  private dbGeneration = '';
  private dbAnalysis = '';
  private checkedAt = 0;
  private pending: Promise<string> | undefined;
  private rendering = new Map<string, Promise<CachedResponse>>();
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private q: Queryable,
    private opts: { maxBytes?: number; checkEveryMs?: number; maxAgeMs?: number; enabled?: boolean } = {},
  ) {}

  get enabled(): boolean {
    return this.opts.enabled !== false;
  }

  /** Something in this process changed what pages show without touching the sequences (e.g. the search index). */
  bump(): void {
    this.local++;
  }

  async generation(): Promise<string> {
    const now = Date.now();
    if (now - this.checkedAt < (this.opts.checkEveryMs ?? 1000) && this.dbGeneration) return `${this.dbGeneration}.${this.local}`;
    this.pending ??= this.q
      .query<{ g: string; a: string }>(GENERATION_SQL)
      .then((rows) => {
        this.dbGeneration = rows[0]?.g ?? '0';
        this.dbAnalysis = rows[0]?.a ?? '';
        this.checkedAt = Date.now();
        return this.dbGeneration;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return `${await this.pending}.${this.local}`;
  }

  /**
   * The generation and, read with it, the analysis part of it (what clause-type prevalence depends on):
   * a page rendered with a prevalence of another analysis generation must not be kept past this one.
   */
  async generations(): Promise<{ full: string; analysis: string }> {
    const full = await this.generation();
    return { full, analysis: this.dbAnalysis };
  }

  /** Runs `render` once for concurrent callers asking for the same key and generation. */
  once(key: string, generation: string, render: () => Promise<CachedResponse>): Promise<CachedResponse> {
    const k = `${generation}\u0000${key}`;
    let p = this.rendering.get(k);
    if (!p) {
      p = render().finally(() => this.rendering.delete(k));
      this.rendering.set(k, p);
    }
    return p;
  }

  get(key: string, generation: string): CachedResponse | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation !== generation || Date.now() - e.storedAt > (this.opts.maxAgeMs ?? 60_000)) {
      this.delete(key, e);
      return undefined;
    }
    // Re-insert: a Map iterates in insertion order, so the first key is always the least recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.response;
  }

  set(key: string, generation: string, response: CachedResponse): void {
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    const max = this.opts.maxBytes ?? 64 * 1024 * 1024;
    const size = response.gzip?.length ?? response.body.length;
    if (size > max / 8) return;
    this.entries.set(key, { generation, storedAt: Date.now(), response, size });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= max) break;
      this.delete(k, e);
    }
  }

  private delete(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.size;
  }
}
