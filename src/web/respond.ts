// Sending a GET response: from the cache when the data has not changed, with an ETag, answering
// If-None-Match with 304. Every page, JSON document and feed goes through here.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../store/db.ts';
import { dataPart, type ResponseCache, type CachedResponse } from './cache.ts';
import type { PdfPrinter } from './pdf.ts';
import type { LogSigner } from '../evidence/config.ts';
import type { PrevalenceCache } from './read/prevalence.ts';
import type { PageStore } from './page-store.ts';

export interface WebContext {
  db: Db;
  cache: ResponseCache;
  /** Clause-type prevalence across platforms, computed once per data generation. */
  prevalence: PrevalenceCache;
  pdf?: PdfPrinter;
  /** The evidence log's signing key, when this server holds it: evidence bundles can then be downloaded. */
  signer?: LogSigner;
  /** Public origin (scheme://host[:port]) when configured; otherwise derived from the request's Host. */
  publicUrl?: string;
  /** Rendered pages on disk, behind the memory cache (routes opt in with `store`). */
  pages?: PageStore;
}

/** Marks the pre-renderer's own requests (prerender.ts): they fill the page store, not the memory cache. */
export const PRERENDER_HEADER = 'x-clausewatch-prerender';

export interface Produced {
  type: string;
  body: string | Buffer;
  status?: number;
  headers?: Record<string, string>;
}

const HOST = /^[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/** The origin shown in copy-paste commands and feeds. A malformed Host header falls back to loopback. */
export function siteOrigin(ctx: WebContext, req: FastifyRequest): string {
  if (ctx.publicUrl) return ctx.publicUrl.replace(/\/+$/, '');
  const host = req.headers.host;
  return `${req.protocol}://${host && HOST.test(host) ? host : '127.0.0.1'}`;
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

const COMPRESSIBLE = /^(text\/|application\/(json|atom\+xml|xml))/;

function acceptsGzip(req: FastifyRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/.test(ae) && !/\bgzip;\s*q=0(\.0*)?\b/.test(ae);
}

/**
 * Sends a response with its ETag, or 304. A cached (`compress`) response is gzipped once and the
 * compressed bytes reused, so compression costs nothing per request; it has its own ETag, as HTTP requires.
 */
export function send(req: FastifyRequest, reply: FastifyReply, r: CachedResponse, cacheControl = 'no-cache', compress = false): FastifyReply {
  // A page read back from the page store is already gzipped: its length is not looked at (that would unzip it).
  const gzip = compress && COMPRESSIBLE.test(r.type) && acceptsGzip(req) && (r.gzip !== undefined || r.body.length > 1024);
  const etag = gzip ? r.etag.replace(/"$/, '-gz"') : r.etag;
  reply.header('ETag', etag).header('Cache-Control', cacheControl);
  if (compress && COMPRESSIBLE.test(r.type)) reply.header('Vary', 'Accept-Encoding');
  for (const [k, v] of Object.entries(r.headers ?? {})) reply.header(k, v);
  if (r.status === 200 && matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
  if (gzip) {
    r.gzip ??= gzipSync(r.body, { level: 6 });
    return reply.code(r.status).type(r.type).header('Content-Encoding', 'gzip').send(r.gzip);
  }
  return reply.code(r.status).type(r.type).send(r.body);
}

/**
 * Produces (or reuses) a response for this request. Cached by the origin shown in it and the URL, and only
 * successful responses are cached.
 */
export async function respond(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  produce: () => Promise<Produced>,
  opts: { cache?: boolean; cacheControl?: string; store?: boolean } = {},
): Promise<FastifyReply> {
  const useCache = ctx.cache.enabled && opts.cache !== false;
  const key = `${siteOrigin(ctx, req)}${req.url}`;
  const { full: generation, analysis } = useCache ? await ctx.cache.generations() : { full: '', analysis: '' };
  if (useCache) {
    const hit = ctx.cache.get(key, generation);
    if (hit) {
      ctx.cache.stats.hits++;
      return send(req, reply, hit, opts.cacheControl, true);
    }
    ctx.cache.stats.misses++;
  }
  const build = async (): Promise<CachedResponse> => {
    const p = await produce();
    const body = typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body;
    return { status: p.status ?? 200, type: p.type, body, etag: etagOf(body), headers: p.headers };
  };
  if (!useCache) return send(req, reply, await build(), opts.cacheControl);
  const pages = opts.store ? ctx.pages : undefined;
  const dataGeneration = dataPart(generation);
  const stored = pages
    ? async () => {
        const s = await pages.get(key, dataGeneration);
        if (s) return s;
        const r = await build();
        // Kept on disk only when it was rendered with the clause-type prevalence of this very generation
        // (the memory cache may briefly hold a page rendered with the previous one; the store would keep it).
        if (r.status === 200 && ctx.prevalence.isFor(analysis)) void pages.put(key, dataGeneration, r);
        return r;
      }
    : build;
  // Concurrent misses for one page share one rendering instead of each querying the database.
  const r = await ctx.cache.once(key, generation, stored);
  if (r.status === 200 && !req.headers[PRERENDER_HEADER]) ctx.cache.set(key, generation, r);
  return send(req, reply, r, opts.cacheControl, r.status === 200);
}

export const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
