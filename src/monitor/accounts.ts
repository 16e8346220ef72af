// Accounts: users with an argon2id password and a role, browser sessions, API tokens for scripts and
// password resets. Every function takes the acting user's id where it reads user data, so a query can
// never return another user's rows.
import type { Db, Queryable } from '../store/db.ts';
import { MAX_PASSWORD, MIN_PASSWORD, dummyHash, hashPassword, newToken, sha256, verifyPassword } from './secrets.ts';
import type { MonitorConfig } from './config.ts';

export type Role = 'reader' | 'analyst' | 'admin';
export const ROLES: Role[] = ['reader', 'analyst', 'admin'];

export interface User {
  id: number;
  email: string;
  role: Role;
  plan: string;
  createdAt: Date;
}

/** A problem with what the user typed: shown to them as is. */
export class InputError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e)) throw new InputError(`"${email.slice(0, 80)}" is not an email address`, 'email');
  return e;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new InputError(`the password must have at least ${MIN_PASSWORD} characters`, 'password');
  if (password.length > MAX_PASSWORD) throw new InputError(`the password must have at most ${MAX_PASSWORD} characters`, 'password');
}

const userOf = (r: { id: number; email: string; role: Role; plan: string; created_at: Date }): User => ({ id: Number(r.id), email: r.email, role: r.role, plan: r.plan, createdAt: r.created_at });

/**
 * An account made by an admin (`clausewatch user add`, tests): `confirmed` says whether its address counts as
 * proven (the CLI says yes: the admin vouches for it). Fails when the address already has an account.
 */
export async function createUser(db: Db, cfg: MonitorConfig, input: { email: string; password: string; role?: Role; plan?: string; confirmed: boolean }): Promise<User> {
  const r = await insertUser(db, cfg, input);
  if (!r.user) throw new InputError(`an account already exists for ${r.email}`, 'email');
  return r.user;
}

export type SignUpResult = { created: true; user: User; confirmToken: string } | { created: false; existing: User };

/**
 * Self-service sign-up: the new account's address is unconfirmed (its email channel stays off) until the
 * emailed confirmation link is followed. When the address already has an account nothing changes and the
 * caller mails its owner instead; the page the caller shows must not tell the two apart.
 */
export async function signUp(db: Db, cfg: MonitorConfig, input: { email: string; password: string }): Promise<SignUpResult> {
  const r = await insertUser(db, cfg, { ...input, confirmed: false });
  if (r.user) return { created: true, user: r.user, confirmToken: await createEmailConfirmation(db, r.user.id) };
  const existing = await userByEmail(db, r.email);
  if (!existing) throw new Error(`sign-up of ${r.email}: the account that conflicted is gone`);
  return { created: false, existing };
}

async function insertUser(db: Db, cfg: MonitorConfig, input: { email: string; password: string; role?: Role; plan?: string; confirmed: boolean }): Promise<{ email: string; user?: User }> {
  const email = normaliseEmail(input.email);
  checkPassword(input.password);
  const plan = input.plan ?? cfg.defaultPlan;
  if (!cfg.plans.has(plan)) throw new InputError(`unknown plan "${plan}" (plans: ${[...cfg.plans.keys()].join(', ')})`, 'plan');
  const role = input.role ?? cfg.signupRole;
  if (!ROLES.includes(role)) throw new InputError(`unknown role "${role}" (roles: ${ROLES.join(', ')})`, 'role');
  // Hashed whether or not the address is taken, so both answers take about the same time.
  const hash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; email: string; role: Role; plan: string; created_at: Date }>(
      `INSERT INTO users (email, password_hash, role, plan, email_confirmed_at) VALUES ($1, $2, $3, $4, CASE WHEN $5::boolean THEN now() END)
       ON CONFLICT (email) DO NOTHING RETURNING id, email, role, plan, created_at`,
      [email, hash, role, plan, input.confirmed],
    );
    if (!rows[0]) return { email };
    const user = userOf(rows[0]);
    // Every account gets its email channel; it is active only once the address is confirmed, so nobody can
    // sign a stranger's address up for alerts and digests.
    await tx.query(`INSERT INTO channels (user_id, kind, target, unsubscribe_token, active) VALUES ($1, 'email', $2, $3, $4)`, [user.id, email, newToken('unsub'), input.confirmed]);
    return { email, user };
  });
}

/** The user whose email and password these are, or undefined (same time taken whether or not the email exists). */
export async function authenticate(q: Queryable, email: string, password: string): Promise<User | undefined> {
  let e: string;
  try {
    e = normaliseEmail(email);
  } catch {
    await verifyPassword(await dummyHash(), password);
    return undefined;
  }
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date; password_hash: string }>(
    'SELECT id, email, role, plan, created_at, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL',
    [e],
  );
  const ok = await verifyPassword(rows[0]?.password_hash ?? (await dummyHash()), password.slice(0, MAX_PASSWORD));
  return ok && rows[0] ? userOf(rows[0]) : undefined;
}

export async function userById(q: Queryable, id: number): Promise<User | undefined> {
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date }>('SELECT id, email, role, plan, created_at FROM users WHERE id = $1 AND disabled_at IS NULL', [id]);
  return rows[0] ? userOf(rows[0]) : undefined;
}

export async function userByEmail(q: Queryable, email: string): Promise<User | undefined> {
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date }>('SELECT id, email, role, plan, created_at FROM users WHERE email = $1', [normaliseEmail(email)]);
  return rows[0] ? userOf(rows[0]) : undefined;
}

export async function listUsers(q: Queryable): Promise<(User & { watchlists: number; disabled: boolean })[]> {
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date; watchlists: number; disabled: boolean }>(
    `SELECT u.id, u.email, u.role, u.plan, u.created_at, u.disabled_at IS NOT NULL AS disabled,
       (SELECT count(*)::int FROM watchlists w WHERE w.user_id = u.id AND w.deleted_at IS NULL) AS watchlists
     FROM users u ORDER BY u.id`,
  );
  return rows.map((r) => ({ ...userOf(r), watchlists: Number(r.watchlists), disabled: r.disabled }));
}

export async function updateUser(q: Queryable, cfg: MonitorConfig, id: number, change: { role?: Role; plan?: string; disabled?: boolean }): Promise<void> {
  if (change.role && !ROLES.includes(change.role)) throw new InputError(`unknown role "${change.role}" (roles: ${ROLES.join(', ')})`, 'role');
  if (change.plan && !cfg.plans.has(change.plan)) throw new InputError(`unknown plan "${change.plan}" (plans: ${[...cfg.plans.keys()].join(', ')})`, 'plan');
  await q.query(
    `UPDATE users SET role = COALESCE($2, role), plan = COALESCE($3, plan),
       disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END
     WHERE id = $1`,
    [id, change.role ?? null, change.plan ?? null, change.disabled ?? null],
  );
  if (change.disabled) {
    await q.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    await q.query(`UPDATE alert_deliveries SET status = 'skipped', last_error = 'account disabled' WHERE user_id = $1 AND status = 'pending'`, [id]);
  }
}

export async function setPassword(db: Db, userId: number, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, hash]);
    // A new password signs out every browser (the reason to reset may be a stolen session).
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  });
}

// --- sessions

export async function createSession(q: Queryable, cfg: MonitorConfig, userId: number): Promise<string> {
  const token = newToken('cws');
  await q.query(`INSERT INTO sessions (user_id, token_sha256, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`, [userId, sha256(token), cfg.sessionDays]);
  return token;
}

export async function sessionUser(q: Queryable, token: string | undefined): Promise<(User & { sessionId: number }) | undefined> {
  if (!token || token.length > 100) return undefined;
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date; session_id: number }>(
    `SELECT u.id, u.email, u.role, u.plan, u.created_at, s.id AS session_id FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_sha256 = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [sha256(token)],
  );
  return rows[0] ? { ...userOf(rows[0]), sessionId: Number(rows[0].session_id) } : undefined;
}

export async function endSession(q: Queryable, token: string | undefined): Promise<void> {
  if (token) await q.query('DELETE FROM sessions WHERE token_sha256 = $1', [sha256(token)]);
}

// --- API tokens

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function createApiToken(q: Queryable, userId: number, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
  const n = name.trim();
  if (!n || n.length > 80) throw new InputError('a token needs a name of 1 to 80 characters', 'name');
  const token = newToken('cwt');
  const rows = await q.query<{ id: number; created_at: Date }>(
    'INSERT INTO api_tokens (user_id, name, prefix, token_sha256) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [userId, n, token.slice(0, 10), sha256(token)],
  );
  return { token, info: { id: Number(rows[0]!.id), name: n, prefix: token.slice(0, 10), createdAt: rows[0]!.created_at, lastUsedAt: null } };
}

export async function listApiTokens(q: Queryable, userId: number): Promise<ApiTokenInfo[]> {
  const rows = await q.query<{ id: number; name: string; prefix: string; created_at: Date; last_used_at: Date | null }>(
    'SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id',
    [userId],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Revokes the user's own token; false when no such token of theirs exists. */
export async function revokeApiToken(q: Queryable, userId: number, tokenId: number): Promise<boolean> {
  const rows = await q.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id', [tokenId, userId]);
  return rows.length > 0;
}

export async function tokenUser(q: Queryable, token: string | undefined): Promise<User | undefined> {
  if (!token || token.length > 100) return undefined;
  const rows = await q.query<{ id: number; email: string; role: Role; plan: string; created_at: Date }>(
    `UPDATE api_tokens t SET last_used_at = now() FROM users u
     WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.disabled_at IS NULL
     RETURNING u.id, u.email, u.role, u.plan, u.created_at`,
    [sha256(token)],
  );
  return rows[0] ? userOf(rows[0]) : undefined;
}

// --- password resets

const RESET_MINUTES = 60;

/** A reset token for the account of this email, or undefined when there is none (the caller says the same either way). */
export async function createPasswordReset(q: Queryable, email: string): Promise<{ token: string; user: User } | undefined> {
  let user: User | undefined;
  try {
    user = await userByEmail(q, email);
  } catch {
    return undefined;
  }
  if (!user) return undefined;
  // A disabled account gets no reset link (the caller answers the same as for an unknown address).
  if ((await q.query('SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NULL', [user.id])).length === 0) return undefined;
  const token = newToken('cwr');
  await q.query(`INSERT INTO password_resets (user_id, token_sha256, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`, [user.id, sha256(token), RESET_MINUTES]);
  return { token, user };
}

export async function resetTokenValid(q: Queryable, token: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM password_resets WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > now()', [sha256(token)]);
  return rows.length > 0;
}

/** Sets the new password if the token is valid and unused; the token is spent either way it succeeds. */
export async function usePasswordReset(db: Db, token: string, password: string): Promise<User | undefined> {
  checkPassword(password);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ user_id: number }>(
      `UPDATE password_resets r SET used_at = now() FROM users u
        WHERE r.token_sha256 = $1 AND r.used_at IS NULL AND r.expires_at > now() AND u.id = r.user_id AND u.disabled_at IS NULL
        RETURNING r.user_id`,
      [sha256(token)],
    );
    if (!rows[0]) return undefined;
    const userId = Number(rows[0].user_id);
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, hash]);
    // The link reached the address: that proves it as well as a confirmation link does.
    await markEmailConfirmed(tx, userId);
    // One reset spends every other link sent to this account.
    await tx.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    return userById(tx, userId);
  });
}

// --- email confirmation

export const CONFIRM_HOURS = 48;
/** Links mailed to one account per hour (sign-up plus resends): the form is also rate-limited per client. */
const CONFIRM_PER_HOUR = 5;

/** A new confirmation link's token (stored as its SHA-256 only); older unused links stay valid until they expire. */
export async function createEmailConfirmation(q: Queryable, userId: number): Promise<string> {
  const token = newToken('cwc');
  await q.query(`INSERT INTO email_confirmations (user_id, token_sha256, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`, [userId, sha256(token), CONFIRM_HOURS]);
  return token;
}

/** A new link for an unconfirmed account, or why not: already confirmed, or too many links sent this hour. */
export async function resendEmailConfirmation(q: Queryable, userId: number): Promise<{ token: string } | 'confirmed' | 'too-many'> {
  if (await emailConfirmed(q, userId)) return 'confirmed';
  const recent = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_confirmations WHERE user_id = $1 AND created_at > now() - interval '1 hour'`, [userId]);
  if (Number(recent[0]!.n) >= CONFIRM_PER_HOUR) return 'too-many';
  return { token: await createEmailConfirmation(q, userId) };
}

export async function emailConfirmed(q: Queryable, userId: number): Promise<boolean> {
  const rows = await q.query<{ confirmed: boolean }>('SELECT email_confirmed_at IS NOT NULL AS confirmed FROM users WHERE id = $1', [userId]);
  return rows[0]?.confirmed === true;
}

export async function confirmTokenValid(q: Queryable, token: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM email_confirmations WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > now()', [sha256(token)]);
  return rows.length > 0;
}

/** Confirms the address the link was sent to, if the link is valid and unused; the confirmed address, or undefined. */
export async function useEmailConfirmation(db: Db, token: string): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ user_id: number; email: string }>(
      `UPDATE email_confirmations c SET used_at = now() FROM users u
        WHERE c.token_sha256 = $1 AND c.used_at IS NULL AND c.expires_at > now() AND u.id = c.user_id AND u.disabled_at IS NULL
        RETURNING c.user_id, u.email`,
      [sha256(token)],
    );
    if (!rows[0]) return undefined;
    await markEmailConfirmed(tx, Number(rows[0].user_id));
    return rows[0].email;
  });
}

/** Marks the address proven and switches its email channel on, the first time only (a later proof does not undo an unsubscribe). */
async function markEmailConfirmed(q: Queryable, userId: number): Promise<void> {
  const first = await q.query('UPDATE users SET email_confirmed_at = now() WHERE id = $1 AND email_confirmed_at IS NULL RETURNING id', [userId]);
  if (!first.length) return;
  await q.query(`UPDATE channels SET active = true WHERE user_id = $1 AND kind = 'email' AND deleted_at IS NULL`, [userId]);
  // Every other confirmation link of this account is spent.
  await q.query('UPDATE email_confirmations SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
}
