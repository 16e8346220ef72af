// Rendering pages ahead of readers: after the data has changed and then stayed still for a while, every
// provision record, platform and clause-type page is rendered once, through its own route, into the page
// store (page-store.ts). A reader then gets any of them from disk instead of waiting for a rendering, which
// is what keeps a page nobody asked for recently as fast as a popular one. It runs only while the server has
// no readers to answer, one page at a time, and starts over when the data changes under it.
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../store/db.ts';
import { dataPart } from './cache.ts';
import { paths } from './paths.ts';
import { PRERENDER_HEADER, type WebContext } from './respond.ts';

/** The pages worth rendering ahead, most read first: platforms, clause types, then every provision. */
export async function prerenderUrls(q: Queryable, typeIds: Iterable<string>): Promise<string[]> {
  const platforms = await q.query<{ slug: string }>(
    'SELECT slug FROM platforms p WHERE EXISTS (SELECT 1 FROM documents d JOIN versions v ON v.document_id = d.id WHERE d.platform_id = p.id) ORDER BY slug',
  );
  const provisions = await q.query<{ id: number }>('SELECT id FROM provisions ORDER BY id');
  return [...platforms.map((r) => paths.platform(r.slug)), ...[...typeIds].sort().map((t) => paths.clauseType(t)), ...provisions.map((r) => paths.provision(Number(r.id)))];
}

export interface PrerenderResult {
  /** Every page is stored for this generation (false: stopped, or the data changed during the pass). */
  complete: boolean;
  rendered: number;
  /** Already stored for this generation. */
  present: number;
  /** Pages that did not render (their status is reported through onError). */
  failed: number;
  ms: number;
}

export interface PrerenderOptions {
  /** Called between pages: true ends the pass. */
  shouldStop?: () => boolean;
  /** Resolves when the server may spend time on the next page. */
  whenIdle?: () => Promise<void>;
  onProgress?: (done: number, total: number) => void;
  onError?: (e: Error) => void;
}

/**
 * One pass over every page for `origin` (scheme://host[:port], as readers reach the server). Pages are keyed
 * by the origin they show, which is the server's public URL when it has one, else the request's own (http).
 */
export async function prerenderPages(server: { app: FastifyInstance; ctx: WebContext }, origin: string, opts: PrerenderOptions = {}): Promise<PrerenderResult> {
  const { app, ctx } = server;
  const pages = ctx.pages;
  if (!pages) throw new Error('the server has no page store to render into');
  const started = performance.now();
  const result: PrerenderResult = { complete: false, rendered: 0, present: 0, failed: 0, ms: 0 };
  const shown = ctx.publicUrl?.replace(/\/+$/, '') ?? origin;
  if (shown !== origin) throw new Error(`pages of this server show ${shown}; cannot render them for ${origin}`);
  if (!ctx.publicUrl && !origin.startsWith('http://')) throw new Error(`rendering pages for ${origin} needs it as the server's public URL (CLAUSEWATCH_PUBLIC_URL)`);
  const host = new URL(origin).host;
  const prevalence = await ctx.prevalence.settled();
  const generation = dataPart((await ctx.cache.generations()).full);
  await pages.retainOnly(generation);
  const urls = await prerenderUrls(ctx.db, prevalence.byType.keys());
  let i = 0;
  for (; i < urls.length; i++) {
    if (opts.shouldStop?.()) break;
    if (i % 100 === 0) {
      await pages.flush();
      opts.onProgress?.(i, urls.length);
      if (dataPart((await ctx.cache.generations()).full) !== generation) break;
    }
    const url = urls[i]!;
    if (await pages.has(`${origin}${url}`, generation)) {
      result.present++;
      continue;
    }
    await opts.whenIdle?.();
    const res = await app.inject({ method: 'GET', url, headers: { host, [PRERENDER_HEADER]: '1' } });
    if (res.statusCode === 200) result.rendered++;
    else {
      result.failed++;
      opts.onError?.(new Error(`pre-rendering ${url}: HTTP ${res.statusCode}`));
    }
  }
  await pages.flush();
  result.complete = i === urls.length && dataPart((await ctx.cache.generations()).full) === generation;
  opts.onProgress?.(urls.length, urls.length);
  result.ms = performance.now() - started;
  return result;
}

export interface Prerenderer {
  stop(): Promise<void>;
}

/**
 * Pre-renders in the background: `quietMs` after the data last changed, for the origin readers use, while
 * nobody is being answered (`busy`). Once a pass completes, nothing more happens until the data changes.
 */
export function startPrerenderer(
  server: { app: FastifyInstance; ctx: WebContext },
  opts: { origin: () => string | undefined; busy: () => boolean; quietMs?: number; checkEveryMs?: number; onError?: (e: Error) => void },
): Prerenderer {
  let stopped = false;
  let seen = '';
  let changedAt = Date.now();
  let doneFor = '';
  let running: Promise<void> | undefined;
  const whenIdle = async () => {
    while (opts.busy() && !stopped) await new Promise((r) => setTimeout(r, 20));
  };
  const tick = async () => {
    const generation = dataPart((await server.ctx.cache.generations()).full);
    if (generation !== seen) {
      seen = generation;
      changedAt = Date.now();
    }
    const origin = opts.origin();
    const job = `${generation} ${origin}`;
    if (!origin || job === doneFor || Date.now() - changedAt < (opts.quietMs ?? 30_000) || opts.busy()) return;
    const r = await prerenderPages(server, origin, { shouldStop: () => stopped, whenIdle, onError: opts.onError });
    if (r.complete) doneFor = job;
  };
  const timer = setInterval(() => {
    running ??= tick()
      .catch((e: Error) => opts.onError?.(e))
      .finally(() => (running = undefined));
  }, opts.checkEveryMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
