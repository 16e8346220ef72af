// Files rather than pages: the stylesheet, raw snapshot downloads and PDF exports.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { respond, matchesEtag, etagOf, type WebContext } from '../respond.ts';
import { HttpError, notFound } from '../errors.ts';
import { idOf, keySchema, recordIdSchema, slugSchema } from '../params.ts';
import { snapshotById } from '../read/versions.ts';
import { documentBySlug } from '../read/documents.ts';
import { getVersion } from '../../record/queries.ts';
import { getBlob } from '../../record/blobs.ts';
import { recordId } from '../../domain/record-id.ts';
import { paths } from '../paths.ts';
import { exportEvidence, ExportError } from '../../evidence/export.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export const STYLESHEET = readFileSync(new URL('../static/style.css', import.meta.url));
export const STYLESHEET_HASH = etagOf(STYLESHEET).slice(1, 11);

const EXTENSIONS: Record<string, string> = { 'text/html': 'html', 'application/pdf': 'pdf', 'text/plain': 'txt', 'application/xhtml+xml': 'xhtml', 'text/markdown': 'md' };

/** Sends a stored snapshot's bytes as a download; never rendered by the browser on our origin. */
export async function sendSnapshot(ctx: WebContext, snapshot: string, req: FastifyRequest, reply: FastifyReply, where: string): Promise<FastifyReply> {
  const id = idOf(snapshot, 'snapshot', where);
  const s = await snapshotById(ctx.db, id);
  if (!s) throw notFound(`no snapshot ${recordId('snapshot', id)}`);
  const etag = `"${s.blob_sha256}"`;
  reply
    .header('ETag', etag)
    .header('Cache-Control', IMMUTABLE)
    .header('Content-Disposition', `attachment; filename="${recordId('snapshot', id)}.${EXTENSIONS[s.media_type] ?? 'bin'}"`)
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('X-Clausewatch-SHA256', s.blob_sha256);
  if (matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
  const bytes = await getBlob(ctx.db, s.blob_sha256);
  if (!bytes) throw new HttpError(500, `the bytes of ${recordId('snapshot', id)} are missing from the store`);
  return reply.type(s.media_type).send(bytes);
}

/**
 * Sends the evidence bundle of a version or snapshot (src/evidence/export.ts). Signing a checkpoint may be
 * needed first, so it needs the log key, and it is never cached.
 */
export async function sendEvidenceBundle(ctx: WebContext, kind: 'version' | 'snapshot' | 'provision', text: string, reply: FastifyReply, where: string): Promise<FastifyReply> {
  const id = idOf(text, kind, where);
  const rid = recordId(kind, id);
  if (!ctx.signer) throw new HttpError(503, `this server does not hold the evidence log's key: run \`clausewatch export-evidence ${rid}\` where the key is`);
  let result;
  try {
    result = await exportEvidence(ctx.db, rid, ctx.signer);
  } catch (err) {
    if (err instanceof ExportError) throw new HttpError(/^no record/.test(err.message) ? 404 : 409, err.message);
    throw err;
  }
  if (result.signedNow) ctx.cache.bump();
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="${rid}.evidence.json"`)
    .type('application/json; charset=utf-8')
    .send(`${JSON.stringify(result.bundle, null, 2)}\n`);
}

export function registerFiles(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Params: { version: string } }>(
    '/versions/:version/evidence',
    { schema: { params: { type: 'object', properties: { version: recordIdSchema('version') }, required: ['version'] } } },
    (req, reply) => sendEvidenceBundle(ctx, 'version', req.params.version, reply, 'path segment version'),
  );
  app.get<{ Params: { snapshot: string } }>(
    '/snapshots/:snapshot/evidence',
    { schema: { params: { type: 'object', properties: { snapshot: recordIdSchema('snapshot') }, required: ['snapshot'] } } },
    (req, reply) => sendEvidenceBundle(ctx, 'snapshot', req.params.snapshot, reply, 'path segment snapshot'),
  );

  const css = (_req: FastifyRequest, reply: FastifyReply) =>
    reply.header('Cache-Control', IMMUTABLE).header('ETag', `"${STYLESHEET_HASH}"`).type('text/css; charset=utf-8').send(STYLESHEET);
  app.get(paths.css(STYLESHEET_HASH), css);
  app.get('/static/style.css', (req, reply) => css(req, reply).header('Cache-Control', 'no-cache'));

  const snapshotParams = { type: 'object', properties: { snapshot: recordIdSchema('snapshot') }, required: ['snapshot'] } as const;
  app.get<{ Params: { snapshot: string } }>('/snapshots/:snapshot/raw', { schema: { params: snapshotParams } }, (req, reply) => sendSnapshot(ctx, req.params.snapshot, req, reply, 'path segment snapshot'));

  const pdf = async (req: FastifyRequest, reply: FastifyReply, pagePath: string, title: string, filename: string) => {
    if (!ctx.pdf) throw new HttpError(503, 'PDF export is switched off on this server');
    const printer = ctx.pdf;
    return respond(ctx, req, reply, async () => ({
      type: 'application/pdf',
      body: await printer.print(pagePath, { host: req.headers.host, title }),
      headers: { 'Content-Disposition': `attachment; filename="${filename}"` },
    }));
  };

  app.get<{ Params: { slug: string; key: string } }>(
    '/platforms/:slug/:key/pdf',
    { schema: { params: { type: 'object', properties: { slug: slugSchema, key: keySchema }, required: ['slug', 'key'] } } },
    async (req, reply) => {
      const doc = await documentBySlug(ctx.db, req.params.slug, req.params.key);
      if (!doc) throw notFound(`no document "${req.params.key}" of platform "${req.params.slug}"`);
      return pdf(req, reply, paths.document(doc.platform_slug, doc.key), `${doc.platform_name} — ${doc.name} (${recordId('document', doc.id)})`, `${doc.platform_slug}-${doc.key}.pdf`);
    },
  );

  app.get<{ Params: { version: string } }>(
    '/versions/:version/pdf',
    { schema: { params: { type: 'object', properties: { version: recordIdSchema('version') }, required: ['version'] } } },
    async (req, reply) => {
      const id = idOf(req.params.version, 'version', 'path segment version');
      const v = await getVersion(ctx.db, id);
      if (!v) throw notFound(`no version ${recordId('version', id)}`);
      return pdf(req, reply, paths.version(id), `Version ${recordId('version', id)}`, `${recordId('version', id)}.pdf`);
    },
  );
}
