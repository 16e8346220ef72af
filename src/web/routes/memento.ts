// Memento (RFC 7089) for documents: the versions of a document are its mementos, the page it is
// fetched from is the original resource. A TimeMap lists them (application/link-format); a TimeGate
// redirects to the version in force at the date asked for in Accept-Datetime. Version pages carry
// Memento-Datetime and Link headers, document pages the links to their TimeGate and TimeMap, so a
// Memento client can move from any of them to the others. The logic is src/evidence/memento.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../store/db.ts';
import { documentMementos, originalUrl } from '../../evidence/record-sources.ts';
import { mementoHeaders, timeGate, timeMap } from '../../evidence/memento.ts';
import type { Memento } from '../../evidence/memento.ts';
import { documentById, documentBySlug } from '../read/documents.ts';
import type { DocumentIdentity } from '../read/documents.ts';
import { keySchema, slugSchema } from '../params.ts';
import { paths } from '../paths.ts';
import { respond, siteOrigin, type WebContext } from '../respond.ts';
import { notFound } from '../errors.ts';
import { errorPage } from '../templates/lists.ts';

export const LINK_FORMAT = 'application/link-format';

export const mementoPaths = {
  timemap: (slug: string, key: string) => `${paths.document(slug, key)}/timemap`,
  timegate: (slug: string, key: string) => `${paths.document(slug, key)}/timegate`,
};

export interface DocumentMementos {
  document: DocumentIdentity;
  /** Absolute URIs. */
  original: string;
  timemap: string;
  timegate: string;
  mementos: (Memento & { record: string })[];
}

/** A document's Memento resources, with absolute URIs on this site (origin = scheme://host). */
export async function mementosOf(q: Queryable, doc: DocumentIdentity, origin: string): Promise<DocumentMementos> {
  const m = await documentMementos(q, doc.id, (rid) => rid);
  return {
    document: doc,
    // Imported histories may not know the page's address: the document page stands in for it.
    original: m.original ?? `${origin}${paths.document(doc.platform_slug, doc.key)}`,
    timemap: `${origin}${mementoPaths.timemap(doc.platform_slug, doc.key)}`,
    timegate: `${origin}${mementoPaths.timegate(doc.platform_slug, doc.key)}`,
    mementos: m.mementos.map((x) => ({ record: x.uri, uri: `${origin}/versions/${x.uri}`, datetime: x.datetime })),
  };
}

async function documentOr404(ctx: WebContext, slug: string, key: string): Promise<DocumentIdentity> {
  const doc = await documentBySlug(ctx.db, slug, key);
  if (!doc) throw notFound(`no document "${key}" of platform "${slug}"`);
  return doc;
}

/** Link headers for version and document pages: facts that never change once recorded, kept per data generation. */
class LinkCache {
  private generation = '';
  private readonly map = new Map<string, Record<string, string> | null>();
  constructor(private readonly ctx: WebContext) {}
  async get(key: string, make: () => Promise<Record<string, string> | null>): Promise<Record<string, string> | null> {
    if (this.ctx.cache.enabled) {
      const g = await this.ctx.cache.generation();
      if (g !== this.generation) {
        this.map.clear();
        this.generation = g;
      }
      const hit = this.map.get(key);
      if (hit !== undefined) return hit;
    }
    const made = await make();
    if (this.map.size > 10_000) this.map.clear();
    if (this.ctx.cache.enabled) this.map.set(key, made);
    return made;
  }
}

export function registerMemento(app: FastifyInstance, ctx: WebContext): void {
  const docParams = { type: 'object', properties: { slug: slugSchema, key: keySchema }, required: ['slug', 'key'] } as const;
  type DocReq = FastifyRequest<{ Params: { slug: string; key: string } }>;

  app.get('/platforms/:slug/:key/timemap', { schema: { params: docParams } }, (req: DocReq, reply) =>
    respond(ctx, req, reply, async () => {
      const m = await mementosOf(ctx.db, await documentOr404(ctx, req.params.slug, req.params.key), siteOrigin(ctx, req));
      return { type: LINK_FORMAT, body: timeMap({ original: m.original, self: m.timemap, timegate: m.timegate, mementos: m.mementos }) };
    }),
  );

  // The answer depends on Accept-Datetime (Vary), so it is never cached here.
  app.get('/platforms/:slug/:key/timegate', { schema: { params: docParams } }, async (req: DocReq, reply: FastifyReply) => {
    const m = await mementosOf(ctx.db, await documentOr404(ctx, req.params.slug, req.params.key), siteOrigin(ctx, req));
    const header = req.headers['accept-datetime'];
    const answer = timeGate({ original: m.original, timemap: m.timemap, mementos: m.mementos, acceptDatetime: Array.isArray(header) ? header[0] : header });
    reply.headers(answer.headers).header('Cache-Control', 'no-store');
    if (answer.status === 302) return reply.code(302).send();
    const title = answer.status === 400 ? 'Bad request' : 'Not found';
    return reply.code(answer.status).type('text/html; charset=utf-8').send(errorPage(answer.status, title, answer.reason ?? title));
  });

  const links = new LinkCache(ctx);
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return payload;
    if (reply.statusCode !== 200 && reply.statusCode !== 304) return payload;
    const route = req.routeOptions.url;
    const params = req.params as Record<string, string>;
    const origin = siteOrigin(ctx, req);
    let headers: Record<string, string> | null = null;
    if (route === '/versions/:version') {
      headers = await links.get(`${origin} ${params.version}`, () => versionLinks(ctx, params.version!, origin));
    } else if (route === '/platforms/:slug/:key') {
      headers = await links.get(`${origin} ${params.slug}/${params.key}`, async () => {
        const doc = await documentBySlug(ctx.db, params.slug!, params.key!);
        if (!doc) return null;
        // The same links a memento carries (escaped by the evidence layer), without a Memento-Datetime.
        const { link } = mementoHeaders({ datetime: new Date(0), ...(await documentLinks(ctx, doc, origin)) });
        return { link: link! };
      });
    }
    if (headers) reply.headers(headers);
    return payload;
  });
}

/** Memento-Datetime and the links back to the original, the TimeGate and the TimeMap, for a version page. */
async function versionLinks(ctx: WebContext, text: string, origin: string): Promise<Record<string, string> | null> {
  const m = /^CW-V-(\d{1,12})$/i.exec(text);
  if (!m) return null;
  const row = (await ctx.db.query<{ recorded_at: Date; document_id: number }>('SELECT recorded_at, document_id FROM versions WHERE id = $1', [Number(m[1])]))[0];
  if (!row) return null;
  const doc = await documentById(ctx.db, Number(row.document_id));
  if (!doc) return null;
  return mementoHeaders({ datetime: row.recorded_at, ...(await documentLinks(ctx, doc, origin)) });
}

async function documentLinks(ctx: WebContext, doc: DocumentIdentity, origin: string): Promise<{ original: string; timegate: string; timemap: string }> {
  return {
    original: (await originalUrl(ctx.db, doc.id)) ?? `${origin}${paths.document(doc.platform_slug, doc.key)}`,
    timegate: `${origin}${mementoPaths.timegate(doc.platform_slug, doc.key)}`,
    timemap: `${origin}${mementoPaths.timemap(doc.platform_slug, doc.key)}`,
  };
}
