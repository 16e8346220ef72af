// Keeps text_search (migration 030) in step with texts: tokenises texts not yet indexed, a batch at a time,
// so a large import is indexed in the background without stalling page requests for long.
import type { Queryable } from '../../store/db.ts';

/** Text search configuration: most tracked documents are English; other languages still match word for word. */
export const SEARCH_CONFIG = 'english';

// A tsvector must stay under 1 MB. 100,000 characters is at most 400 kB of lexemes (4 bytes per character) plus
// 2 bytes per position for at most 50,000 words: always under the limit, whatever the text. Longer texts are
// searchable over their first 100,000 characters (legal documents rarely run longer).
export const INDEXED_CHARS = 100_000;

export async function indexPendingTexts(q: Queryable, batch = 25): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH pending AS (
       SELECT t.sha256 FROM texts t WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.sha256 = t.sha256) LIMIT $1
     ), ins AS (
       INSERT INTO text_search (sha256, tsv)
       SELECT t.sha256, to_tsvector('${SEARCH_CONFIG}', left(t.body, ${INDEXED_CHARS})) FROM texts t JOIN pending USING (sha256)
       ON CONFLICT (sha256) DO NOTHING RETURNING 1
     ) SELECT count(*)::int AS n FROM ins`,
    [batch],
  );
  return rows[0]?.n ?? 0;
}

export async function pendingTexts(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM texts t WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.sha256 = t.sha256)',
  );
  return rows[0]?.n ?? 0;
}

/** Indexes everything pending; returns how many texts were indexed. */
export async function indexAllTexts(q: Queryable, onBatch?: (n: number) => void): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await indexPendingTexts(q);
    if (!n) return total;
    total += n;
    onBatch?.(n);
  }
}

/**
 * Runs the indexer in the background: at start, then every `intervalMs`. Yields to the event loop between
 * batches so requests keep being served. `onIndexed` lets caches know that search results may have changed.
 */
export function startIndexer(q: Queryable, opts: { intervalMs?: number; onIndexed?: () => void; onError?: (err: Error) => void } = {}): { stop(): Promise<void>; idle(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    while (!stopped) {
      const n = await indexPendingTexts(q);
      if (!n) break;
      opts.onIndexed?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  const kick = () => {
    running = running.then(pass).catch((err) => opts.onError?.(err as Error));
    return running;
  };
  kick();
  const timer = setInterval(kick, opts.intervalMs ?? 30_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    idle: () => kick(),
  };
}
