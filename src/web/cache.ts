// A response cache validated by the data's generation: rendered pages and JSON are reused until the
// database changes (a new capture, version, platform or document moves a sequence) or the entry ages out.
// Reads of the generation are shared: at most one query per `checkEveryMs`, however many requests.
import type { Queryable } from '../store/db.ts';

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
}

// Every write that changes what a page shows creates a row in one of these tables, and serial sequences
// only move forward (even when a transaction rolls back, which at worst costs a spurious miss). The analysis
// writes one version_analysis row per analysed version (keyed by version, no sequence) and recomputes
// platform_analysis in place: their count and latest computation time cover what the sequences miss.
const GENERATION_SQL = `SELECT concat_ws('.',
  (SELECT last_value FROM captures_id_seq), (SELECT last_value FROM versions_id_seq),
  (SELECT last_value FROM platforms_id_seq), (SELECT last_value FROM documents_id_seq),
  (SELECT last_value FROM provision_texts_id_seq), (SELECT count(*) FROM version_analysis),
  (SELECT extract(epoch FROM max(computed_at)) FROM platform_analysis)) AS g`;

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  private local = 0;
  private dbGeneration = '';
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
      .query<{ g: string }>(GENERATION_SQL)
      .then((rows) => {
        this.dbGeneration = rows[0]?.g ?? '0';
        this.checkedAt = Date.now();
        return this.dbGeneration;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return `${await this.pending}.${this.local}`;
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
    if (response.body.length > max / 8) return;
    this.entries.set(key, { generation, storedAt: Date.now(), response });
    this.bytes += response.body.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= max) break;
      this.delete(k, e);
    }
  }

  private delete(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.response.body.length;
  }
}
