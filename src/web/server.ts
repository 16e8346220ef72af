// The web app and API server (Fastify): security headers on every response, clear 400/404s as HTML or
// JSON, the response cache, the search indexer and the PDF printer. It only reads what tracking recorded.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Db } from '../store/db.ts';
import { ResponseCache } from './cache.ts';
import { HttpError, describeValidation } from './errors.ts';
import { PdfPrinter } from './pdf.ts';
import { startIndexer } from './read/search-index.ts';
import { PrevalenceCache } from './read/prevalence.ts';
import { PageStore } from './page-store.ts';
import { startPrerenderer } from './prerender.ts';
import { registerPages } from './routes/pages.ts';
import { registerAnalysisPages } from './routes/analysis.ts';
import { registerFiles, STYLESHEET_HASH } from './routes/files.ts';
import { registerEvidenceRoutes } from './routes/evidence.ts';
import { registerApi } from '../api/routes.ts';
import { registerMonitorApi } from '../api/monitor-routes.ts';
import { registerAccountPages } from './routes/account.ts';
import type { MonitorConfig } from '../monitor/config.ts';
import { openApiDocument } from '../api/openapi.ts';
import { setStylesheet } from './templates/layout.ts';
import { errorPage } from './templates/lists.ts';
import { paths } from './paths.ts';
import { respond, siteOrigin, JSON_TYPE, PRERENDER_HEADER, type WebContext } from './respond.ts';
import type { LogSigner } from '../evidence/config.ts';

export interface ServerOptions {
  db: Db;
  /** Reuse rendered responses until the data changes (default on). */
  cache?: boolean;
  /** How often (ms) the cache re-reads the data's generation; default 1000. */
  cacheCheckMs?: number;
  /** Index texts for search in the background (default on). */
  indexer?: boolean;
  /** PDF export through headless Chromium (default on; false to switch off). */
  pdf?: boolean | { executablePath?: string };
  /** Public origin used in feeds and verification commands; default: the request's Host. */
  publicUrl?: string;
  /** The evidence log's signing key: with it, evidence bundles can be downloaded (a checkpoint is signed when needed). */
  signer?: LogSigner;
  logger?: boolean;
  /** Accounts, watchlists and alerts (default: from the environment, see src/monitor/config.ts). */
  monitor?: MonitorConfig;
  /**
   * Which reverse proxies' X-Forwarded-For to believe, so per-client limits (sign-in throttling) see the client
   * rather than the proxy: a number of hops, or addresses/CIDRs separated by commas. Default:
   * CLAUSEWATCH_TRUST_PROXY, else none.
   */
  trustProxy?: string | number;
  /**
   * Rendered pages kept on disk in `dir` (page-store.ts), so a page nobody asked for recently is read rather
   * than rendered; with `prerender`, every provision, platform and clause-type page is rendered ahead once
   * the data has been still for `quietMs` (default 30 s) and no reader is waiting (prerender.ts).
   */
  pages?: { dir: string; prerender?: boolean | { quietMs?: number; checkEveryMs?: number } };
}

/** CLAUSEWATCH_TRUST_PROXY: "1" (hops) or "127.0.0.1,10.0.0.0/8"; unset or empty trusts no proxy. */
export function trustProxyOf(value: string | number | undefined): string | false | ((address: string, hop: number) => boolean) {
  const v = typeof value === 'number' ? String(value) : value?.trim();
  if (!v) return false;
  if (!/^\d+$/.test(v)) return v;
  const hops = Number(v);
  return (_address, hop) => hop < hops;
}

export const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebServer {
  app: FastifyInstance;
  ctx: WebContext;
  /** Every route, as "METHOD /path", for checks that each one is described. */
  routes: string[];
  /** Resolves when the search indexer has caught up (for tests and benchmarks). */
  indexed(): Promise<void>;
  /** When a reader's request last arrived (ms since the epoch), and the origin it used (http only). */
  readers: { lastAt: number; origin?: string };
  close(): Promise<void>;
}

export async function buildServer(opts: ServerOptions): Promise<WebServer> {
  setStylesheet(paths.css(STYLESHEET_HASH));
  const app = Fastify({
    logger: opts.logger ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, verbose: true, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    bodyLimit: 1024,
    trustProxy: trustProxyOf(opts.trustProxy ?? process.env.CLAUSEWATCH_TRUST_PROXY),
  });
  const cache = new ResponseCache(opts.db, { enabled: opts.cache !== false, checkEveryMs: opts.cacheCheckMs });
  const ctx: WebContext = { db: opts.db, cache, prevalence: new PrevalenceCache(opts.db, { generation: async () => (await cache.generations()).analysis, onError: (e) => process.stderr.write(`prevalence: ${e.message}\n`) }), publicUrl: opts.publicUrl, signer: opts.signer };
  if (opts.pages) ctx.pages = new PageStore(opts.pages.dir, { onError: (e) => process.stderr.write(`${e.message}\n`) });
  const readers: WebServer['readers'] = { lastAt: 0 };
  app.addHook('onRequest', async (req) => {
    if (req.headers[PRERENDER_HEADER]) return;
    readers.lastAt = Date.now();
    if (req.protocol === 'http') readers.origin = siteOrigin(ctx, req);
  });
  if (opts.pdf !== false) {
    ctx.pdf = new PdfPrinter({
      executablePath: typeof opts.pdf === 'object' ? opts.pdf.executablePath : undefined,
      render: async (path, host) => {
        const res = await app.inject({ method: 'GET', url: path, headers: host ? { host } : {} });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
        return { status: res.statusCode, headers, body: res.rawPayload };
      },
    });
  }

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', CSP);
    if (req.url.startsWith('/api/') || req.url.startsWith('/feeds/')) reply.header('Access-Control-Allow-Origin', '*');
    return payload;
  });

  // HTML forms send empty fields (platform=&from=): an empty value means "no filter", not a bad one.
  app.addHook('preValidation', async (req) => {
    const q = req.query as Record<string, unknown> | undefined;
    if (q && typeof q === 'object') for (const k of Object.keys(q)) if (q[k] === '') delete q[k];
  });

  const isApi = (url: string) => url.startsWith('/api/');
  app.setErrorHandler((err: FastifyError & { validation?: unknown[]; validationContext?: string }, req, reply) => {
    let status = 500;
    let message = 'internal error';
    let where: string | undefined;
    let code = 'internal';
    if (err.validation) {
      const d = describeValidation(err.validation as Parameters<typeof describeValidation>[0], err.validationContext);
      status = 400;
      message = d.message;
      where = d.where;
      code = 'bad-parameter';
    } else if (err instanceof HttpError) {
      status = err.status;
      message = err.message;
      where = err.where;
      code = err.code;
    } else if (err.statusCode && err.statusCode < 500) {
      status = err.statusCode;
      message = err.message;
      code = err.code ?? 'bad-request';
    } else {
      req.log.error(err);
      if (!opts.logger) process.stderr.write(`web: ${req.method} ${req.url}: ${err.stack ?? err.message}\n`);
    }
    reply.code(status).header('Cache-Control', 'no-store');
    if (isApi(req.url) || req.url.startsWith('/feeds/')) return reply.type(JSON_TYPE).send(JSON.stringify({ error: { status, code, message, ...(where ? { where } : {}) } }));
    const title = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : status === 503 ? 'Unavailable' : 'Something went wrong';
    return reply.type('text/html; charset=utf-8').send(errorPage(status, title, message));
  });

  app.setNotFoundHandler((req, reply) => {
    const message = `nothing at ${req.url.split('?')[0]}`;
    reply.code(404).header('Cache-Control', 'no-store');
    if (isApi(req.url)) return reply.type(JSON_TYPE).send(JSON.stringify({ error: { status: 404, code: 'not-found', message } }));
    return reply.type('text/html; charset=utf-8').send(errorPage(404, 'Not found', message));
  });

  const routes: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.push(`${m} ${r.url}`);
  });
  registerPages(app, ctx);
  registerAnalysisPages(app, ctx);
  registerFiles(app, ctx);
  registerEvidenceRoutes(app, ctx);
  registerApi(app, ctx);
  registerAccountPages(app, ctx, opts.monitor);
  registerMonitorApi(app, ctx, opts.monitor);
  const openapi = JSON.stringify(openApiDocument());
  app.get(paths.api.openapi(), (req, reply) => respond(ctx, req, reply, async () => ({ type: JSON_TYPE, body: openapi }), { cache: false }));
  app.get('/robots.txt', (_req, reply) => reply.type('text/plain').send('User-agent: *\nDisallow: /api/\nDisallow: /snapshots/\n'));

  // Computed once before the first provision page asks for it (it aggregates every current provision).
  if (opts.indexer !== false) ctx.prevalence.get().catch((e: Error) => process.stderr.write(`prevalence: ${e.message}\n`));
  const indexer = opts.indexer === false ? undefined : startIndexer(opts.db, { onIndexed: () => cache.bump(), onError: (e) => process.stderr.write(`search index: ${e.message}\n`) });
  app.addHook('onClose', async () => {
    await indexer?.stop();
    await ctx.pdf?.close();
  });
  await app.ready();
  return {
    app,
    ctx,
    routes,
    indexed: async () => {
      if (indexer) await indexer.idle();
    },
    readers,
    close: () => app.close(),
  };
}

export interface ListenOptions extends ServerOptions {
  port?: number;
  host?: string;
}

/** Builds the server and listens; resolves with its URL once connections are accepted. */
export async function startServer(opts: ListenOptions): Promise<WebServer & { url: string }> {
  const server = await buildServer(opts);
  const address = await server.app.listen({ port: opts.port ?? 8080, host: opts.host ?? '127.0.0.1' });
  const ahead = opts.pages?.prerender;
  if (!ahead) return { ...server, url: address };
  const prerenderer = startPrerenderer(server, {
    // Pages name the origin they were read at (in citations and verification commands): render for the one readers use.
    origin: () => server.ctx.publicUrl ?? server.readers.origin ?? address,
    busy: () => Date.now() - server.readers.lastAt < 100,
    ...(typeof ahead === 'object' ? ahead : {}),
    onError: (e) => process.stderr.write(`pre-rendering: ${e.message}\n`),
  });
  return {
    ...server,
    url: address,
    close: async () => {
      await prerenderer.stop();
      await server.close();
    },
  };
}
