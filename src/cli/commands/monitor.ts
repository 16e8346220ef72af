// Monitoring commands: match and send alerts, send the weekly digest, manage users (for scripts and admins).
import type { Command } from 'commander';
import { withDb, UsageError, FailuresFound } from '../context.ts';
import { printJson, table, isoDate } from '../format.ts';
import { ConfigError, monitorConfig, type MonitorConfig } from '../../monitor/config.ts';
import { matchAlerts } from '../../monitor/matcher.ts';
import { sendDue } from '../../monitor/sender.ts';
import { previousWeek, sendDigests, weekStart } from '../../monitor/digest.ts';
import { InputError, ROLES, createApiToken, createUser, listUsers, updateUser, userByEmail, type Role } from '../../monitor/accounts.ts';

function config(): MonitorConfig {
  try {
    return monitorConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

async function usage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
}

async function readStdin(): Promise<string> {
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return s.replace(/\r?\n$/, '');
}

export function registerMonitor(program: Command): void {
  const alerts = program.command('alerts').description('same-day alerts: match material changes against watchlists, send what is due');
  alerts
    .command('match')
    .description('match material changes not matched yet against every watchlist and queue their deliveries')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const cfg = config();
      await withDb(async (db) => {
        const m = await matchAlerts(db, cfg);
        if (opts.json) printJson(m);
        else process.stdout.write(`${m.versions} material changes matched: ${m.matches} watchlist matches, ${m.deliveries} deliveries queued\n`);
      });
    });
  alerts
    .command('send')
    .description('match, then send every due delivery (email and webhooks); retries follow an exponential backoff')
    .option('--no-match', 'only send what is already queued')
    .option('--json', 'print one JSON object')
    .action(async (opts: { match: boolean; json?: boolean }) => {
      const cfg = config();
      await withDb(async (db) => {
        const m = opts.match ? await matchAlerts(db, cfg) : undefined;
        const errors: string[] = [];
        const s = await sendDue(db, cfg, { onError: (e) => errors.push(e) });
        if (opts.json) printJson({ match: m, send: s, errors });
        else {
          if (m) process.stdout.write(`${m.matches} new matches, ${m.deliveries} deliveries queued\n`);
          process.stdout.write(`${s.sent} deliveries sent in ${s.messages} messages; ${s.retried} to retry, ${s.dead} dead, ${s.skipped} skipped\n`);
          for (const e of errors) process.stderr.write(`failed: ${e}\n`);
        }
        if (errors.length) throw new FailuresFound('');
      });
    });

  program
    .command('digest')
    .description('send the weekly digest email to every user with a watchlist (once per user and week)')
    .option('--week <date>', 'a date in the week to send (default: the last complete week)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { week?: string; json?: boolean }) => {
      const cfg = config();
      let week = previousWeek(new Date());
      if (opts.week) {
        const d = new Date(`${opts.week}${/^\d{4}-\d{2}-\d{2}$/.test(opts.week) ? 'T00:00:00Z' : ''}`);
        if (Number.isNaN(d.getTime())) throw new UsageError(`--week "${opts.week}" is not a date (YYYY-MM-DD)`);
        week = weekStart(d);
      }
      await withDb(async (db) => {
        await matchAlerts(db, cfg);
        const errors: string[] = [];
        const s = await sendDigests(db, cfg, { week, onError: (e) => errors.push(e) });
        if (opts.json) printJson({ week: week.toISOString().slice(0, 10), ...s, errors });
        else process.stdout.write(`week of ${week.toISOString().slice(0, 10)}: ${s.sent} digests sent (${s.empty} with no change), ${s.skipped} already sent, ${s.failed} failed\n`);
        for (const e of errors) process.stderr.write(`failed: ${e}\n`);
        if (errors.length) throw new FailuresFound('');
      });
    });

  const user = program.command('user').description('accounts: add, list, change role or plan, create API tokens');
  user
    .command('add')
    .description('create an account, its address counted as confirmed; the password is read from standard input')
    .argument('<email>')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'analyst')
    .option('--plan <plan>', 'a plan of CLAUSEWATCH_PLANS (default: the first)')
    .action(async (email: string, opts: { role: string; plan?: string }) => {
      const cfg = config();
      const password = await readStdin();
      await withDb(async (db) => {
        const u = await usage(() => createUser(db, cfg, { email, password, role: opts.role as Role, plan: opts.plan, confirmed: true }));
        process.stdout.write(`user ${u.id} ${u.email}: ${u.role}, plan ${u.plan}\n`);
      });
    });
  user
    .command('list')
    .description('every account')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withDb(async (db) => {
        const users = await listUsers(db);
        if (opts.json) printJson(users);
        else process.stdout.write(table(users.map((u) => [u.id, u.email, u.role, u.plan, u.watchlists, u.disabled ? 'disabled' : '', isoDate(u.createdAt)]), ['id', 'email', 'role', 'plan', 'watchlists', '', 'created']) + '\n');
      });
    });
  user
    .command('set')
    .description('change an account\'s role or plan, or disable it')
    .argument('<email>')
    .option('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--plan <plan>', 'a plan of CLAUSEWATCH_PLANS')
    .option('--disable', 'sign the user out and stop their alerts')
    .option('--enable', 'enable a disabled account')
    .action(async (email: string, opts: { role?: string; plan?: string; disable?: boolean; enable?: boolean }) => {
      const cfg = config();
      await withDb(async (db) => {
        const u = await usage(() => userByEmail(db, email));
        if (!u) throw new UsageError(`no account for ${email}`);
        await usage(() => updateUser(db, cfg, u.id, { role: opts.role as Role | undefined, plan: opts.plan, disabled: opts.disable ? true : opts.enable ? false : undefined }));
        process.stdout.write(`user ${u.id} ${u.email} updated\n`);
      });
    });
  user
    .command('token')
    .description('create an API token for an account (printed once)')
    .argument('<email>')
    .argument('<name>', 'what the token is for')
    .action(async (email: string, name: string) => {
      await withDb(async (db) => {
        const u = await usage(() => userByEmail(db, email));
        if (!u) throw new UsageError(`no account for ${email}`);
        const t = await usage(() => createApiToken(db, u.id, name));
        process.stdout.write(`${t.token}\n`);
      });
    });
}
