// Monitoring configuration from the environment (README, "Configuration"). Bad values are refused with
// the variable's name, at start-up, rather than surfacing later as a silent non-delivery.

export interface Plan {
  name: string;
  /** How many distinct platforms the user's watchlists may name together. */
  platforms: number;
}

export interface MonitorConfig {
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  plans: Map<string, Plan>;
  defaultPlan: string;
  signupRole: 'reader' | 'analyst';
  signupOpen: boolean;
  /** Default delivery mode of a new watchlist. */
  alertMode: 'immediate' | 'daily';
  /** UTC hour at which daily batches are due. */
  dailyHour: number;
  leaseSeconds: number;
  maxAttempts: number;
  backoffMs: number;
  webhookTimeoutMs: number;
  sessionDays: number;
  /** Channels served at once by one sender. */
  concurrency: number;
  /** Sign-in, sign-up and reset attempts per minute per client address. */
  authPerMinute: number;
  /** Alerts only for versions recorded at most this many days before their analysis (0: no limit), so importing history does not alert. */
  maxAgeDays: number;
}

export class ConfigError extends Error {}

export const DEFAULT_PLANS = 'free:1,monitor:25';

export function parsePlans(text: string, name = 'CLAUSEWATCH_PLANS'): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z][a-z0-9-]{0,30}):(\d{1,6})$/.exec(part);
    if (!m) throw new ConfigError(`${name}: "${part}" is not plan:platforms (e.g. ${DEFAULT_PLANS})`);
    plans.set(m[1]!, { name: m[1]!, platforms: Number(m[2]) });
  }
  if (!plans.size) throw new ConfigError(`${name} names no plan (e.g. ${DEFAULT_PLANS})`);
  return plans;
}

function num(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name}="${v}" is not a number ≥ ${min}`);
  return n;
}

export function monitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  const plans = parsePlans(env.CLAUSEWATCH_PLANS || DEFAULT_PLANS);
  const defaultPlan = env.CLAUSEWATCH_DEFAULT_PLAN || [...plans.keys()][0]!;
  if (!plans.has(defaultPlan)) throw new ConfigError(`CLAUSEWATCH_DEFAULT_PLAN="${defaultPlan}" is not a plan of CLAUSEWATCH_PLANS`);
  const alertMode = env.CLAUSEWATCH_ALERT_MODE || 'immediate';
  if (alertMode !== 'immediate' && alertMode !== 'daily') throw new ConfigError(`CLAUSEWATCH_ALERT_MODE="${alertMode}" is neither immediate nor daily`);
  const signupRole = env.CLAUSEWATCH_SIGNUP_ROLE || 'analyst';
  if (signupRole !== 'reader' && signupRole !== 'analyst') throw new ConfigError(`CLAUSEWATCH_SIGNUP_ROLE="${signupRole}" is neither reader nor analyst`);
  const publicUrl = (env.CLAUSEWATCH_PUBLIC_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+$/.test(publicUrl)) throw new ConfigError(`CLAUSEWATCH_PUBLIC_URL="${publicUrl}" is not an origin like https://clausewatch.example`);
  const smtpUrl = env.CLAUSEWATCH_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError(`CLAUSEWATCH_SMTP_URL must start with smtp:// or smtps://`);
  return {
    smtpUrl,
    mailFrom: env.CLAUSEWATCH_MAIL_FROM || 'Clausewatch <alerts@clausewatch.invalid>',
    publicUrl,
    plans,
    defaultPlan,
    signupRole,
    signupOpen: env.CLAUSEWATCH_SIGNUP !== 'closed',
    alertMode,
    dailyHour: num(env, 'CLAUSEWATCH_ALERT_DAILY_HOUR', 17),
    leaseSeconds: num(env, 'CLAUSEWATCH_ALERT_LEASE_S', 300, 1),
    maxAttempts: num(env, 'CLAUSEWATCH_ALERT_MAX_ATTEMPTS', 6, 1),
    backoffMs: num(env, 'CLAUSEWATCH_ALERT_BACKOFF_MS', 60_000),
    webhookTimeoutMs: num(env, 'CLAUSEWATCH_WEBHOOK_TIMEOUT_MS', 10_000, 100),
    sessionDays: num(env, 'CLAUSEWATCH_SESSION_DAYS', 30, 1),
    concurrency: num(env, 'CLAUSEWATCH_ALERT_CONCURRENCY', 4, 1),
    authPerMinute: num(env, 'CLAUSEWATCH_AUTH_PER_MINUTE', 10, 1),
    maxAgeDays: num(env, 'CLAUSEWATCH_ALERT_MAX_AGE_DAYS', 14),
  };
}
