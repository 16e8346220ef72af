// Account pages, email confirmation and the one-click unsubscribe. Sessions are an opaque random token in an HttpOnly,
// SameSite=Lax cookie (Secure when served over HTTPS), stored hashed; every form is protected by a CSRF
// token (@fastify/csrf-protection, its secret in its own cookie). Pages are per user: never cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { WebContext } from '../respond.ts';
import { HTML, siteOrigin } from '../respond.ts';
import { HttpError, notFound } from '../errors.ts';
import { slugSchema } from '../params.ts';
import { monitorConfig, type MonitorConfig } from '../../monitor/config.ts';
import {
  CONFIRM_HOURS, InputError, authenticate, confirmTokenValid, createApiToken, createPasswordReset, createSession, emailConfirmed, endSession, listApiTokens, listUsers,
  resendEmailConfirmation, resetTokenValid, revokeApiToken, sessionUser, setPassword, signUp, tokenUser, updateUser, useEmailConfirmation, usePasswordReset,
  type Role, type SignUpResult, type User,
} from '../../monitor/accounts.ts';
import { addWebhook, clauseTaxonomy, createWatchlist, deleteChannel, deleteWatchlist, listChannels, listWatchlists, setChannelActive, unsubscribe } from '../../monitor/watchlists.ts';
import { alertHistory, deadLetters } from '../../monitor/history.ts';
import { retryDead } from '../../monitor/outbox.ts';
import { createMailer } from '../../monitor/mail.ts';
import { confirmMail, resetMail, signUpAttemptMail } from '../../monitor/account-mail.ts';
import type { RenderedMail } from '../../monitor/render.ts';
import { accountPaths as A } from '../../monitor/links.ts';
import { accountPage, adminPage, alertsPage, confirmPage, resetFormPage, resetRequestPage, signInPage, signUpPage, signUpSentPage, unsubscribePage, type Notice } from '../templates/account.ts';

export const SESSION_COOKIE = 'cw_session';
/** Forms are small; the global body limit (1 KiB) is for the read-only site. */
export const FORM_BODY_LIMIT = 16 * 1024;

type Form = Record<string, string | string[] | undefined>;
const field = (b: Form | undefined, k: string) => {
  const v = b?.[k];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const list = (b: Form | undefined, k: string) => {
  const v = b?.[k];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

function secureRequest(ctx: WebContext, cfg: MonitorConfig, req: FastifyRequest): boolean {
  return req.protocol === 'https' || (ctx.publicUrl ?? cfg.publicUrl).startsWith('https:');
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').header('Vary', 'Cookie');
}

export async function currentUser(ctx: WebContext, req: FastifyRequest): Promise<(User & { sessionId: number }) | undefined> {
  return sessionUser(ctx.db, req.cookies?.[SESSION_COOKIE]);
}

/** The user an API request authenticates as with `Authorization: Bearer <token>`; 401 otherwise. */
export async function bearerUser(ctx: WebContext, req: FastifyRequest): Promise<User> {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S{1,100})$/i.exec(h) : null;
  const user = m ? await tokenUser(ctx.db, m[1]) : undefined;
  if (!user) throw new HttpError(401, m ? 'the API token is invalid or revoked' : 'send an API token as "Authorization: Bearer <token>" (create one on /account)', 'header Authorization', 'unauthorized');
  return user;
}

export function registerAccountPages(app: FastifyInstance, ctx: WebContext, cfg: MonitorConfig = monitorConfig()): void {
  app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
    await scope.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'cw_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: false },
      getToken: (req) => field(req.body as Form, '_csrf'),
    });
    // Password guessing and mail bombing: sign-in, sign-up and reset requests are limited per client address.
    await scope.register(rateLimit, { global: false, max: cfg.authPerMinute, timeWindow: 60_000 });
    const opts = { bodyLimit: FORM_BODY_LIMIT, preHandler: scope.csrfProtection };
    const limited = { ...opts, config: { rateLimit: { max: cfg.authPerMinute, timeWindow: 60_000 } } };
    const send = (reply: FastifyReply, body: string, status = 200) => noStore(reply).code(status).type(HTML).send(body);
    const token = (reply: FastifyReply) => reply.generateCsrf({ path: '/', httpOnly: true, sameSite: 'lax', secure: secureRequest(ctx, cfg, reply.request) });

    const startSession = async (req: FastifyRequest, reply: FastifyReply, user: User) => {
      const t = await createSession(ctx.db, cfg, user.id);
      reply.setCookie(SESSION_COOKIE, t, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureRequest(ctx, cfg, req), maxAge: cfg.sessionDays * 86400 });
    };
    const requireUser = async (req: FastifyRequest, reply: FastifyReply) => {
      const u = await currentUser(ctx, req);
      if (!u) {
        noStore(reply).redirect(A.signIn(), 303);
        return undefined;
      }
      return u;
    };

    /** Account mails (reset, confirmation, sign-up notes) are sent at once; a failure is logged, never shown (the page must not differ). */
    const mailAccount = async (req: FastifyRequest, to: string, userId: number, what: string, mail: RenderedMail) => {
      const mailer = createMailer(cfg);
      try {
        await mailer.send({ to, ...mail });
      } catch (err) {
        req.log.error(err);
        process.stderr.write(`${what} mail to user ${userId} failed: ${(err as Error).message}\n`);
      } finally {
        mailer.close();
      }
    };

    const renderAccount = async (req: FastifyRequest, reply: FastifyReply, user: User, notice?: Notice, status = 200, preselect?: string) => {
      const tax = clauseTaxonomy();
      const [watchlists, channels, tokens, platforms, confirmed] = await Promise.all([
        listWatchlists(ctx.db, user.id),
        listChannels(ctx.db, user.id),
        listApiTokens(ctx.db, user.id),
        ctx.db.query<{ slug: string; name: string }>('SELECT slug, name FROM platforms ORDER BY name'),
        emailConfirmed(ctx.db, user.id),
      ]);
      const plan = cfg.plans.get(user.plan) ?? cfg.plans.get(cfg.defaultPlan)!;
      return send(reply, accountPage({
        user, emailConfirmed: confirmed, plan, csrf: token(reply), watchlists, channels, tokens, platforms, origin: siteOrigin(ctx, req), notice, preselect,
        clauseTypes: tax.types.map((t) => ({ id: t.id, title: t.title })), categories: tax.categories,
      }), status);
    };
    /** Runs a form action for the signed-in user; an InputError is shown on the account page. */
    const action = (fn: (user: User & { sessionId: number }, body: Form, req: FastifyRequest, reply: FastifyReply) => Promise<Notice | FastifyReply>) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const user = await requireUser(req, reply);
        if (!user) return reply;
        try {
          const r = await fn(user, req.body as Form, req, reply);
          if (r && 'kind' in r) return renderAccount(req, reply, user, r);
          return r;
        } catch (err) {
          if (err instanceof InputError) return renderAccount(req, reply, user, { kind: 'error', text: err.message }, 400);
          throw err;
        }
      };
    const idParam = (req: FastifyRequest) => {
      const id = Number((req.params as { id: string }).id);
      if (!Number.isSafeInteger(id) || id < 1) throw notFound('no such item');
      return id;
    };

    scope.get(A.signIn(), async (_req, reply) => send(reply, signInPage({ csrf: token(reply) })));
    scope.post(A.signIn(), limited, async (req, reply) => {
      const b = req.body as Form;
      const user = await authenticate(ctx.db, field(b, 'email'), field(b, 'password'));
      if (!user) return send(reply, signInPage({ csrf: token(reply), email: field(b, 'email').slice(0, 254), notice: { kind: 'error', text: 'Wrong email or password.' } }), 401);
      await startSession(req, reply, user);
      return noStore(reply).redirect(A.account(), 303);
    });
    scope.get(A.signUp(), async (_req, reply) => send(reply, signUpPage({ csrf: token(reply), open: cfg.signupOpen })));
    scope.post(A.signUp(), limited, async (req, reply) => {
      if (!cfg.signupOpen) return send(reply, signUpPage({ csrf: '', open: false }), 403);
      const b = req.body as Form;
      let r: SignUpResult;
      try {
        r = await signUp(ctx.db, cfg, { email: field(b, 'email'), password: field(b, 'password') });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return send(reply, signUpPage({ csrf: token(reply), open: true, email: field(b, 'email').slice(0, 254), notice: { kind: 'error', text: err.message } }), 400);
      }
      // The same page either way, and no session: signing in a new account only would tell a script which
      // addresses already have one. The owner of an existing account learns of the attempt by mail.
      if (r.created) await mailAccount(req, r.user.email, r.user.id, 'confirmation', confirmMail(cfg, r.confirmToken, CONFIRM_HOURS));
      else await mailAccount(req, r.existing.email, r.existing.id, 'sign-up attempt', signUpAttemptMail(cfg));
      return send(reply, signUpSentPage());
    });
    scope.post(A.signOut(), opts, async (req, reply) => {
      await endSession(ctx.db, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return noStore(reply).redirect(A.signIn(), 303);
    });

    scope.get(A.reset(), async (_req, reply) => send(reply, resetRequestPage({ csrf: token(reply) })));
    scope.post(A.reset(), limited, async (req, reply) => {
      const email = field(req.body as Form, 'email');
      const r = await createPasswordReset(ctx.db, email);
      if (r) await mailAccount(req, r.user.email, r.user.id, 'password reset', resetMail(cfg, r.token));
      // The same answer whether or not the account exists: the form must not reveal who has an account.
      return send(reply, resetRequestPage({ csrf: token(reply), notice: { kind: 'ok', text: 'If an account exists for that email, a link to reset its password is on its way.' } }));
    });
    const tokenParam = { type: 'object', properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{10,80}$' } }, required: ['token'] } as const;
    scope.get<{ Params: { token: string } }>('/account/reset/:token', { schema: { params: tokenParam } }, async (req, reply) =>
      send(reply, resetFormPage({ csrf: token(reply), token: req.params.token, valid: await resetTokenValid(ctx.db, req.params.token) })),
    );
    scope.post<{ Params: { token: string } }>('/account/reset/:token', { ...limited, schema: { params: tokenParam } }, async (req, reply) => {
      try {
        const user = await usePasswordReset(ctx.db, req.params.token, field(req.body as Form, 'password'));
        if (!user) return send(reply, resetFormPage({ csrf: token(reply), token: req.params.token, valid: false }), 400);
        await startSession(req, reply, user);
        return noStore(reply).redirect(A.account(), 303);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return send(reply, resetFormPage({ csrf: token(reply), token: req.params.token, valid: true, notice: { kind: 'error', text: err.message } }), 400);
      }
    });

    // Email confirmation: the link's token is the credential (like one-click unsubscribe), so the POST needs
    // no session or CSRF token; GET only shows the button, so a mail scanner fetching links confirms nothing.
    const confirmParams = { type: 'object', properties: { token: { type: 'string', pattern: '^cwc_[A-Za-z0-9_-]{20,60}$' } }, required: ['token'] } as const;
    scope.get<{ Params: { token: string } }>('/account/confirm/:token', { schema: { params: confirmParams } }, async (req, reply) => {
      const valid = await confirmTokenValid(ctx.db, req.params.token);
      return send(reply, confirmPage({ token: req.params.token, valid }), valid ? 200 : 404);
    });
    scope.post<{ Params: { token: string } }>('/account/confirm/:token', { bodyLimit: FORM_BODY_LIMIT, config: limited.config, schema: { params: confirmParams } }, async (req, reply) => {
      const email = await useEmailConfirmation(ctx.db, req.params.token);
      if (!email) return send(reply, confirmPage({ token: req.params.token, valid: false }), 404);
      return send(reply, confirmPage({ token: req.params.token, valid: true, done: email }));
    });
    scope.post(A.confirmResend(), limited, action(async (user, _b, req) => {
      const r = await resendEmailConfirmation(ctx.db, user.id);
      if (r === 'confirmed') return { kind: 'ok', text: 'Your address is already confirmed.' };
      if (r === 'too-many') throw new InputError('several links were sent in the last hour: use one of them, or try again later', 'confirm');
      await mailAccount(req, user.email, user.id, 'confirmation', confirmMail(cfg, r.token, CONFIRM_HOURS));
      return { kind: 'ok', text: `A new confirmation link is on its way to ${user.email}.` };
    }));

    scope.get(A.account(), async (req, reply) => {
      const user = await requireUser(req, reply);
      return user ? renderAccount(req, reply, user) : reply;
    });
    // The platform pages' "monitor" button: the account page with that platform chosen in the new-watchlist form.
    scope.get<{ Querystring: { platform?: string } }>('/account/watchlists/new', { schema: { querystring: { type: 'object', properties: { platform: slugSchema }, additionalProperties: false } } }, async (req, reply) => {
      const user = await requireUser(req, reply);
      return user ? renderAccount(req, reply, user, undefined, 200, req.query.platform) : reply;
    });
    scope.post(A.watchlists(), opts, action(async (user, b) => {
      await createWatchlist(ctx.db, cfg, user, { name: field(b, 'name'), platforms: list(b, 'platforms'), clauseTypes: list(b, 'clauseTypes'), categories: list(b, 'categories'), minSeverity: field(b, 'minSeverity'), mode: field(b, 'mode') });
      return { kind: 'ok', text: 'Watchlist created: material changes recorded from now on are matched against it.' };
    }));
    scope.post('/account/watchlists/:id/delete', opts, action(async (user, _b, req) => {
      if (!(await deleteWatchlist(ctx.db, user.id, idParam(req)))) throw notFound('no such watchlist of yours');
      return { kind: 'ok', text: 'Watchlist deleted.' };
    }));
    scope.post(A.channels(), opts, action(async (user, b) => {
      const r = await addWebhook(ctx.db, user, field(b, 'url'));
      return { kind: 'ok', text: 'Webhook added. Its signing secret (shown once, keep it to verify our signature):', secret: r.secret };
    }));
    scope.post('/account/channels/:id/toggle', opts, action(async (user, _b, req) => {
      const id = idParam(req);
      const ch = (await listChannels(ctx.db, user.id)).find((c) => c.id === id);
      if (!ch) throw notFound('no such channel of yours');
      await setChannelActive(ctx.db, user.id, id, !ch.active);
      return { kind: 'ok', text: `${ch.kind} ${ch.target} switched ${ch.active ? 'off' : 'on'}.` };
    }));
    scope.post('/account/channels/:id/delete', opts, action(async (user, _b, req) => {
      if (!(await deleteChannel(ctx.db, user.id, idParam(req)))) throw notFound('no such webhook of yours');
      return { kind: 'ok', text: 'Webhook removed.' };
    }));
    scope.post(A.password(), limited, action(async (user, b, req, reply) => {
      if (!(await authenticate(ctx.db, user.email, field(b, 'current')))) throw new InputError('the current password is wrong', 'current');
      await setPassword(ctx.db, user.id, field(b, 'password'));
      await startSession(req, reply, user); // every session ended with the old password; this browser gets a new one
      return { kind: 'ok', text: 'Password changed. Other browsers were signed out.' };
    }));
    scope.post(A.tokens(), opts, action(async (user, b) => {
      const t = await createApiToken(ctx.db, user.id, field(b, 'name'));
      return { kind: 'ok', text: `API token "${t.info.name}" created. Copy it now: it is not shown again.`, secret: t.token };
    }));
    scope.post('/account/tokens/:id/revoke', opts, action(async (user, _b, req) => {
      if (!(await revokeApiToken(ctx.db, user.id, idParam(req)))) throw notFound('no such token of yours');
      return { kind: 'ok', text: 'Token revoked.' };
    }));

    const alertsQuery = { type: 'object', properties: { before: { type: 'integer', minimum: 1 } }, additionalProperties: false } as const;
    scope.get<{ Querystring: { before?: number } }>(A.alerts(), { schema: { querystring: alertsQuery } }, async (req, reply) => {
      const user = await requireUser(req, reply);
      if (!user) return reply;
      const alerts = await alertHistory(ctx.db, user.id, { before: req.query.before, limit: 50 });
      return send(reply, alertsPage({ csrf: token(reply), alerts, dead: await deadLetters(ctx.db, user.id), next: alerts.length === 50 ? alerts.at(-1)!.id : undefined }));
    });
    scope.post('/account/deliveries/:id/retry', opts, async (req, reply) => {
      const user = await requireUser(req, reply);
      if (!user) return reply;
      if (!(await retryDead(ctx.db, user.id, idParam(req)))) throw notFound('no such dead delivery of yours');
      const alerts = await alertHistory(ctx.db, user.id, { limit: 50 });
      return send(reply, alertsPage({ csrf: token(reply), alerts, dead: await deadLetters(ctx.db, user.id), notice: { kind: 'ok', text: 'The delivery is queued again.' } }));
    });

    const requireAdmin = async (req: FastifyRequest, reply: FastifyReply) => {
      const user = await requireUser(req, reply);
      if (user && user.role !== 'admin') throw new HttpError(403, 'only admins can see the users', undefined, 'forbidden');
      return user;
    };
    scope.get(A.admin(), async (req, reply) => {
      const user = await requireAdmin(req, reply);
      if (!user) return reply;
      return send(reply, adminPage({ csrf: token(reply), users: await listUsers(ctx.db), plans: [...cfg.plans.keys()] }));
    });
    scope.post('/account/admin/users/:id', opts, async (req, reply) => {
      const user = await requireAdmin(req, reply);
      if (!user) return reply;
      const b = req.body as Form;
      let notice: Notice = { kind: 'ok', text: 'User updated.' };
      try {
        await updateUser(ctx.db, cfg, idParam(req), { role: field(b, 'role') as Role, plan: field(b, 'plan') });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        notice = { kind: 'error', text: err.message };
      }
      return send(reply, adminPage({ csrf: token(reply), users: await listUsers(ctx.db), plans: [...cfg.plans.keys()], notice }), notice.kind === 'error' ? 400 : 200);
    });

    // One-click unsubscribe (RFC 8058): mail clients POST here without cookies; the token is the credential.
    const unsubParams = { type: 'object', properties: { token: { type: 'string', pattern: '^unsub_[A-Za-z0-9_-]{20,60}$' } }, required: ['token'] } as const;
    scope.get<{ Params: { token: string } }>('/unsubscribe/:token', { schema: { params: unsubParams } }, async (req, reply) => {
      const ok = (await ctx.db.query('SELECT 1 FROM channels WHERE unsubscribe_token = $1', [req.params.token])).length > 0;
      return send(reply, unsubscribePage({ token: req.params.token, valid: ok }), ok ? 200 : 404);
    });
    scope.post<{ Params: { token: string } }>('/unsubscribe/:token', { bodyLimit: FORM_BODY_LIMIT, schema: { params: unsubParams } }, async (req, reply) => {
      const target = await unsubscribe(ctx.db, req.params.token);
      if (!target) return send(reply, unsubscribePage({ token: req.params.token, valid: false }), 404);
      return send(reply, unsubscribePage({ token: req.params.token, valid: true, done: target }));
    });
  });
}
