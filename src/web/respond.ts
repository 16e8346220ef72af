// Sending a GET response: from the cache when the data has not changed, with an ETag, answering
// If-None-Match with 304. Every page, JSON document and feed goes through here.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../store/db.ts';
import type { ResponseCache, CachedResponse } from './cache.ts';
import type { PdfPrinter } from './pdf.ts';

export interface WebContext {
  db: Db;
  cache: ResponseCache;
  pdf?: PdfPrinter;
  /** Public origin (scheme://host[:port]) when configured; otherwise derived from the request's Host. */
  publicUrl?: string;
}

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

export function send(req: FastifyRequest, reply: FastifyReply, r: CachedResponse, cacheControl = 'no-cache'): FastifyReply {
  reply.header('ETag', r.etag).header('Cache-Control', cacheControl);
  for (const [k, v] of Object.entries(r.headers ?? {})) reply.header(k, v);
  if (r.status === 200 && matchesEtag(req.headers['if-none-match'], r.etag)) return reply.code(304).send();
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
  opts: { cache?: boolean; cacheControl?: string } = {},
): Promise<FastifyReply> {
  const useCache = ctx.cache.enabled && opts.cache !== false;
  const key = `${siteOrigin(ctx, req)}${req.url}`;
  const generation = useCache ? await ctx.cache.generation() : '';
  if (useCache) {
    const hit = ctx.cache.get(key, generation);
    if (hit) {
      ctx.cache.stats.hits++;
      return send(req, reply, hit, opts.cacheControl);
    }
    ctx.cache.stats.misses++;
  }
  const p = await produce();
  const body = typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body;
  const r: CachedResponse = { status: p.status ?? 200, type: p.type, body, etag: etagOf(body), headers: p.headers };
  if (useCache && r.status === 200) ctx.cache.set(key, generation, r);
  return send(req, reply, r, opts.cacheControl);
}

export const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
