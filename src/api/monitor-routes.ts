// The monitoring API under /api/v1/me (the caller's own account, watchlists, channels, alerts, tokens),
// authenticated by an API token (`Authorization: Bearer cwt_…`), and the per-watchlist Atom feed. One table
// registers the routes and describes them in the OpenAPI document. Responses are per user: never cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JSON_TYPE, siteOrigin, type WebContext } from '../web/respond.ts';
import { notFound, badRequest } from '../web/errors.ts';
import { bearerUser } from '../web/routes/account.ts';
import { monitorConfig, type MonitorConfig } from '../monitor/config.ts';
import { InputError, listApiTokens, revokeApiToken, type User } from '../monitor/accounts.ts';
import { addWebhook, createWatchlist, deleteChannel, deleteWatchlist, getWatchlist, listChannels, listWatchlists } from '../monitor/watchlists.ts';
import { alertHistory, deadLetters, feedOf } from '../monitor/history.ts';
import { retryDead } from '../monitor/outbox.ts';
import { watchlistFeed } from '../monitor/feed.ts';
import { accountPaths } from '../monitor/links.ts';

type Schema = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = FastifyRequest & { params: Record<string, any>; query: Record<string, any>; body: any };

export interface MonitorRoute {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  operationId: string;
  summary: string;
  params?: Record<string, Schema>;
  query?: Record<string, Schema>;
  body?: Schema;
  ok: { status: number; type: string; schema?: Schema; description: string };
  errors: number[];
  /** False for the feed, whose secret link is the credential. */
  auth: boolean;
  handler: (c: { ctx: WebContext; cfg: MonitorConfig; req: Req; reply: FastifyReply; user: User }) => Promise<unknown>;
}

const str = { type: 'string' };
const int = { type: 'integer' };
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>): Schema => ({ type: 'object', properties, required: Object.keys(properties) });
const idParam = { id: { type: 'integer', minimum: 1, description: 'numeric id, as listed' } };

const MeSchema = obj({ id: int, email: str, role: { enum: ['reader', 'analyst', 'admin'] }, plan: obj({ name: str, platforms: int }) });
const WatchlistSchema = obj({
  id: int, name: str, platforms: arr(obj({ id: int, slug: str, name: str })), clause_types: arr(str), categories: arr(str),
  min_severity: { enum: ['any', 'low', 'medium', 'high'] }, mode: { enum: ['immediate', 'daily'] }, created_at: dateTime, matches: int, feed_url: str,
});
const ChannelSchema = obj({ id: int, kind: { enum: ['email', 'webhook'] }, target: str, active: { type: 'boolean' }, created_at: dateTime, dead_letters: int });
const DeliverySchema = obj({ id: int, channel: obj({ id: int, kind: str, target: str }), status: { enum: ['pending', 'sending', 'sent', 'dead', 'skipped'] }, attempts: int, due_at: dateTime, sent_at: nullable(dateTime), last_error: nullable(str) });
const AlertSchema = obj({
  id: int, watchlist: obj({ id: int, name: str }), platform: obj({ slug: str, name: str }), document: obj({ key: str, name: str }), version: str, severity: str,
  clause_types: arr(str), summary: str, detected_at: dateTime, recorded_at: dateTime, diff: str, deliveries: arr(DeliverySchema),
});
const TokenSchema = obj({ id: int, name: str, prefix: str, created_at: dateTime, last_used_at: nullable(dateTime) });

const watchlistJson = (w: Awaited<ReturnType<typeof listWatchlists>>[number], origin: string) => ({
  id: w.id, name: w.name, platforms: w.platforms, clause_types: w.clauseTypes, categories: w.categories, min_severity: w.minSeverity, mode: w.mode,
  created_at: w.createdAt.toISOString(), matches: w.matches, feed_url: `${origin}${accountPaths.feed(w.feedToken)}`,
});
const deliveryJson = (d: Awaited<ReturnType<typeof deadLetters>>[number] | Awaited<ReturnType<typeof alertHistory>>[number]['deliveries'][number]) => ({
  id: d.id, channel: d.channel, status: d.status, attempts: d.attempts, due_at: d.dueAt.toISOString(), sent_at: d.sentAt?.toISOString() ?? null, last_error: d.lastError,
});

export const MONITOR_ROUTES: MonitorRoute[] = [
  {
    method: 'GET', url: '/api/v1/me', operationId: 'me', summary: 'The account the token belongs to', auth: true, errors: [401],
    ok: { status: 200, type: 'application/json', schema: MeSchema, description: 'the account' },
    handler: async ({ cfg, user }) => ({ id: user.id, email: user.email, role: user.role, plan: cfg.plans.get(user.plan) ?? { name: user.plan, platforms: 0 } }),
  },
  {
    method: 'GET', url: '/api/v1/me/watchlists', operationId: 'listWatchlists', summary: 'Your watchlists', auth: true, errors: [401],
    ok: { status: 200, type: 'application/json', schema: obj({ watchlists: arr(WatchlistSchema) }), description: 'your watchlists' },
    handler: async ({ ctx, req, user }) => ({ watchlists: (await listWatchlists(ctx.db, user.id)).map((w) => watchlistJson(w, siteOrigin(ctx, req))) }),
  },
  {
    method: 'POST', url: '/api/v1/me/watchlists', operationId: 'createWatchlist', summary: 'Create a watchlist (the plan limits the platforms monitored)', auth: true, errors: [400, 401],
    body: {
      type: 'object', additionalProperties: false, required: ['name', 'platforms'],
      properties: {
        name: { type: 'string', maxLength: 100 }, platforms: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 1000 },
        clause_types: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 200 }, categories: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 50 },
        min_severity: { enum: ['any', 'low', 'medium', 'high'] }, mode: { enum: ['immediate', 'daily'] },
      },
    },
    ok: { status: 201, type: 'application/json', schema: WatchlistSchema, description: 'the new watchlist' },
    handler: async ({ ctx, cfg, req, reply, user }) => {
      const b = req.body;
      const { id } = await createWatchlist(ctx.db, cfg, user, { name: b.name, platforms: b.platforms, clauseTypes: b.clause_types, categories: b.categories, minSeverity: b.min_severity, mode: b.mode });
      reply.code(201);
      return watchlistJson((await getWatchlist(ctx.db, user.id, id))!, siteOrigin(ctx, req));
    },
  },
  {
    method: 'GET', url: '/api/v1/me/watchlists/:id', operationId: 'getWatchlist', summary: 'One of your watchlists', auth: true, errors: [401, 404], params: idParam,
    ok: { status: 200, type: 'application/json', schema: WatchlistSchema, description: 'the watchlist' },
    handler: async ({ ctx, req, user }) => {
      const w = await getWatchlist(ctx.db, user.id, req.params.id);
      if (!w) throw notFound(`you have no watchlist ${req.params.id}`);
      return watchlistJson(w, siteOrigin(ctx, req));
    },
  },
  {
    method: 'DELETE', url: '/api/v1/me/watchlists/:id', operationId: 'deleteWatchlist', summary: 'Delete one of your watchlists', auth: true, errors: [401, 404], params: idParam,
    ok: { status: 200, type: 'application/json', schema: obj({ deleted: int }), description: 'deleted' },
    handler: async ({ ctx, req, user }) => {
      if (!(await deleteWatchlist(ctx.db, user.id, req.params.id))) throw notFound(`you have no watchlist ${req.params.id}`);
      return { deleted: req.params.id };
    },
  },
  {
    method: 'GET', url: '/api/v1/me/channels', operationId: 'listChannels', summary: 'Where your alerts go (your email, your webhooks)', auth: true, errors: [401],
    ok: { status: 200, type: 'application/json', schema: obj({ channels: arr(ChannelSchema) }), description: 'your channels' },
    handler: async ({ ctx, user }) => ({ channels: (await listChannels(ctx.db, user.id)).map((c) => ({ id: c.id, kind: c.kind, target: c.target, active: c.active, created_at: c.createdAt.toISOString(), dead_letters: c.dead })) }),
  },
  {
    method: 'POST', url: '/api/v1/me/channels', operationId: 'addWebhook', summary: 'Add a webhook; the answer holds its signing secret, shown once', auth: true, errors: [400, 401],
    body: { type: 'object', additionalProperties: false, required: ['url'], properties: { url: { type: 'string', maxLength: 500 } } },
    ok: { status: 201, type: 'application/json', schema: obj({ id: int, secret: str }), description: 'the webhook and its secret' },
    handler: async ({ ctx, req, reply, user }) => {
      const r = await addWebhook(ctx.db, user, req.body.url);
      reply.code(201);
      return r;
    },
  },
  {
    method: 'DELETE', url: '/api/v1/me/channels/:id', operationId: 'deleteWebhook', summary: 'Remove one of your webhooks', auth: true, errors: [401, 404], params: idParam,
    ok: { status: 200, type: 'application/json', schema: obj({ deleted: int }), description: 'removed' },
    handler: async ({ ctx, req, user }) => {
      if (!(await deleteChannel(ctx.db, user.id, req.params.id))) throw notFound(`you have no webhook ${req.params.id}`);
      return { deleted: req.params.id };
    },
  },
  {
    method: 'GET', url: '/api/v1/me/alerts', operationId: 'listAlerts', summary: 'Your alert history with each delivery\u2019s status, newest first', auth: true, errors: [400, 401],
    query: { before: { type: 'integer', minimum: 1, description: 'alert id to page before (next_before of the previous page)' }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
    ok: { status: 200, type: 'application/json', schema: obj({ alerts: arr(AlertSchema), next_before: nullable(int) }), description: 'alerts' },
    handler: async ({ ctx, req, user }) => {
      const limit = req.query.limit ?? 50;
      const alerts = await alertHistory(ctx.db, user.id, { before: req.query.before, limit });
      const origin = siteOrigin(ctx, req);
      return {
        alerts: alerts.map((a) => ({
          id: a.id, watchlist: a.watchlist, platform: a.platform, document: a.document, version: a.version, severity: a.severity, clause_types: a.types, summary: a.summary,
          detected_at: a.detectedAt.toISOString(), recorded_at: a.recordedAt.toISOString(),
          diff: a.previousVersionId ? `${origin}/platforms/${encodeURIComponent(a.platform.slug)}/${encodeURIComponent(a.document.key)}/diff?from=CW-V-${String(a.previousVersionId).padStart(6, '0')}&to=${a.version}` : `${origin}/versions/${a.version}`,
          deliveries: a.deliveries.map(deliveryJson),
        })),
        next_before: alerts.length === limit ? alerts.at(-1)!.id : null,
      };
    },
  },
  {
    method: 'GET', url: '/api/v1/me/dead-letters', operationId: 'listDeadLetters', summary: 'Deliveries that failed every attempt', auth: true, errors: [401],
    ok: { status: 200, type: 'application/json', schema: obj({ dead_letters: arr(DeliverySchema) }), description: 'dead letters' },
    handler: async ({ ctx, user }) => ({ dead_letters: (await deadLetters(ctx.db, user.id)).map(deliveryJson) }),
  },
  {
    method: 'POST', url: '/api/v1/me/deliveries/:id/retry', operationId: 'retryDelivery', summary: 'Queue a dead delivery again', auth: true, errors: [401, 404], params: idParam,
    ok: { status: 200, type: 'application/json', schema: obj({ queued: int }), description: 'queued' },
    handler: async ({ ctx, req, user }) => {
      if (!(await retryDead(ctx.db, user.id, req.params.id))) throw notFound(`you have no dead delivery ${req.params.id}`);
      return { queued: req.params.id };
    },
  },
  {
    method: 'GET', url: '/api/v1/me/tokens', operationId: 'listTokens', summary: 'Your API tokens (never the secrets)', auth: true, errors: [401],
    ok: { status: 200, type: 'application/json', schema: obj({ tokens: arr(TokenSchema) }), description: 'tokens' },
    handler: async ({ ctx, user }) => ({ tokens: (await listApiTokens(ctx.db, user.id)).map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, created_at: t.createdAt.toISOString(), last_used_at: t.lastUsedAt?.toISOString() ?? null })) }),
  },
  {
    method: 'DELETE', url: '/api/v1/me/tokens/:id', operationId: 'revokeToken', summary: 'Revoke one of your API tokens', auth: true, errors: [401, 404], params: idParam,
    ok: { status: 200, type: 'application/json', schema: obj({ revoked: int }), description: 'revoked' },
    handler: async ({ ctx, req, user }) => {
      if (!(await revokeApiToken(ctx.db, user.id, req.params.id))) throw notFound(`you have no token ${req.params.id}`);
      return { revoked: req.params.id };
    },
  },
  {
    method: 'GET', url: '/feeds/watchlists/:token(^cwf_[A-Za-z0-9_-]{20,60}).atom', operationId: 'feedWatchlist', summary: 'Atom feed of one watchlist\u2019s alerts (its secret link is the credential)', auth: false, errors: [404],
    params: { token: { type: 'string', pattern: '^cwf_[A-Za-z0-9_-]{20,60}$', description: 'the feed token shown on the account page' } },
    ok: { status: 200, type: 'application/atom+xml', description: 'the 50 latest alerts of the watchlist' },
    handler: async ({ ctx, req, reply }) => {
      const f = await feedOf(ctx.db, req.params.token);
      if (!f) throw notFound('no watchlist has this feed link');
      reply.type('application/atom+xml; charset=utf-8');
      return watchlistFeed({ origin: siteOrigin(ctx, req), selfPath: accountPaths.feed(req.params.token), name: f.watchlist.name, alerts: f.alerts, updated: f.alerts[0]?.detectedAt ?? f.watchlist.createdAt });
    },
  },
];

export function registerMonitorApi(app: FastifyInstance, ctx: WebContext, cfg: MonitorConfig = monitorConfig()): void {
  for (const r of MONITOR_ROUTES) {
    const schema: Schema = {};
    if (r.params) schema.params = { type: 'object', properties: r.params, required: Object.keys(r.params) };
    schema.querystring = { type: 'object', properties: r.query ?? {}, additionalProperties: false };
    if (r.body) schema.body = r.body;
    app.route({
      method: r.method,
      url: r.url,
      schema,
      bodyLimit: r.body ? 64 * 1024 : undefined,
      handler: async (req, reply) => {
        const user = r.auth ? await bearerUser(ctx, req) : (undefined as unknown as User);
        reply.header('Cache-Control', 'no-store');
        try {
          const out = await r.handler({ ctx, cfg, req: req as Req, reply, user });
          if (typeof out === 'string') return reply.send(out);
          return reply.type(JSON_TYPE).send(JSON.stringify(out));
        } catch (err) {
          if (err instanceof InputError) throw badRequest(err.message, err.field ? `body field ${err.field}` : 'body');
          throw err;
        }
      },
    });
  }
}

/** OpenAPI operations of these routes, merged into /api/openapi.json by src/api/openapi.ts. */
export function monitorOpenApiPaths(openApiPath: (url: string) => string): Record<string, Record<string, Schema>> {
  const out: Record<string, Record<string, Schema>> = {};
  const ERR: Record<number, string> = { 400: 'invalid input: the message says what and where', 401: 'no valid API token', 404: 'not found among your own records' };
  for (const r of MONITOR_ROUTES) {
    const parameters: Schema[] = [];
    for (const [name, s] of Object.entries(r.params ?? {})) {
      const { description, ...schema } = s as Schema & { description?: string };
      parameters.push({ name, in: 'path', required: true, description, schema });
    }
    for (const [name, s] of Object.entries(r.query ?? {})) {
      const { description, ...schema } = s as Schema & { description?: string };
      parameters.push({ name, in: 'query', required: false, description, schema });
    }
    const responses: Schema = { [r.ok.status]: { description: r.ok.description, content: { [r.ok.type]: { schema: r.ok.schema ?? { type: 'string', contentMediaType: r.ok.type } } } } };
    for (const code of r.errors) responses[code] = { description: ERR[code] ?? 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const p = openApiPath(r.url);
    out[p] ??= {};
    out[p]![r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.url.startsWith('/feeds/') ? 'feeds' : 'account'],
      ...(r.auth ? { security: [{ apiToken: [] }] } : {}),
      parameters,
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses,
    };
  }
  return out;
}
