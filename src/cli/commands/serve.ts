import type { Command } from 'commander';
import path from 'node:path';
import { withDb, UsageError, dataDir } from '../context.ts';
import { startServer, type WebServer } from '../../web/server.ts';
import type { Db } from '../../store/db.ts';
import { evidenceConfig, loadPublicKey, loadSigner, type LogSigner } from '../../evidence/config.ts';

export interface ServeOptions {
  port: string;
  host: string;
  pdf?: boolean;
}

export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n > 65535) throw new UsageError(`--port "${text}" is not a port number (0–65535)`);
  return n;
}

/** The log key when one exists (the server never creates one: that is the tracking job's business). */
function existingSigner(): LogSigner | undefined {
  try {
    const config = evidenceConfig();
    return 'missing' in loadPublicKey(config) ? undefined : loadSigner(config);
  } catch (err) {
    process.stderr.write(`evidence bundles not served: ${(err as Error).message}\n`);
    return undefined;
  }
}

/**
 * Where rendered pages are kept (CLAUSEWATCH_PAGES: a folder, or "off"); default: pages/ in the data folder.
 * With a PostgreSQL server, processes sharing one folder share the pages.
 */
export function pageStoreDir(): string | undefined {
  const v = process.env.CLAUSEWATCH_PAGES?.trim();
  if (v === 'off') return undefined;
  return path.resolve(v || path.join(dataDir(), 'pages'));
}

/** Starts the web app and API on an open database; logs where it listens. */
export async function serveOn(db: Db, opts: ServeOptions): Promise<WebServer & { url: string }> {
  const port = parsePort(opts.port);
  if (!opts.host.trim()) throw new UsageError('--host must not be empty');
  let server: WebServer & { url: string };
  const pageStore = pageStoreDir();
  try {
    server = await startServer({
      db,
      port,
      host: opts.host,
      pdf: opts.pdf === false ? false : undefined,
      publicUrl: process.env.CLAUSEWATCH_PUBLIC_URL || undefined,
      signer: existingSigner(),
      pages: pageStore ? { dir: pageStore, prerender: true } : undefined,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${opts.host} is already in use (choose another with --port or CLAUSEWATCH_PORT)`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw new UsageError(`cannot listen on host "${opts.host}": ${e.message}`);
    throw err;
  }
  process.stderr.write(`serving the web app on ${server.url} (API: ${server.url}/api/v1, OpenAPI: ${server.url}/api/openapi.json)\n`);
  return server;
}

/** Resolves on SIGINT or SIGTERM, so the caller can close the server and the database cleanly. */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export function serveOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'port to listen on (env CLAUSEWATCH_PORT)', process.env.CLAUSEWATCH_PORT || '8080')
    .option('--host <host>', 'address to listen on (env CLAUSEWATCH_HOST)', process.env.CLAUSEWATCH_HOST || '127.0.0.1')
    .option('--no-pdf', 'switch off PDF export (which needs Chromium)');
}

export function registerServe(program: Command): void {
  serveOptions(program.command('serve').description('serve the web app and the JSON API (read-only) over the database')).action(async (opts: ServeOptions) => {
    parsePort(opts.port); // a usage error before the database is opened
    await withDb(async (db) => {
      const server = await serveOn(db, opts);
      const sig = await untilStopped();
      process.stderr.write(`${sig}: stopping the server\n`);
      await server.close();
    });
  });
}
