// What every command needs: the database (migrated), the catalogue, and a consistent way to fail.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, defaultDataDir, type Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { loadCatalog } from '../catalog/index.ts';
import type { PlatformDeclaration } from '../domain/types.ts';
import { createFetcher, type PageFetcher } from '../fetch/index.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A failure the user caused (bad arguments, unknown record): exit code 2. */
export class UsageError extends Error {}
/** The command ran, and found failures to report: exit code 1. */
export class FailuresFound extends Error {}

export function declarationsDir(): string {
  return path.resolve(process.env.CLAUSEWATCH_DECLARATIONS ?? path.join(REPO_ROOT, 'declarations'));
}

export function dataDir(): string {
  return defaultDataDir();
}

/** Where imported git bundles are unpacked; reused across runs (and shared between test databases). */
export function cacheDir(): string {
  return path.resolve(process.env.CLAUSEWATCH_CACHE ?? dataDir());
}

export async function withDb<T>(fn: (db: Db) => Promise<T>, opts: { dataDir?: string } = {}): Promise<T> {
  const db = await openDb({ dataDir: opts.dataDir });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function catalog(dir = declarationsDir()): PlatformDeclaration[] {
  return loadCatalog(dir);
}

export function selectPlatforms(all: PlatformDeclaration[], wanted: string[]): PlatformDeclaration[] {
  if (!wanted.length) return all;
  const out: PlatformDeclaration[] = [];
  for (const w of wanted) {
    const p = all.find((x) => x.slug === w || x.name.toLowerCase() === w.toLowerCase());
    if (!p) throw new UsageError(`unknown platform "${w}": no declaration in ${declarationsDir()} (see \`clausewatch catalog list\`)`);
    out.push(p);
  }
  return out;
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}="${v}" is not a non-negative number`);
  return n;
}

/** The fetcher, configured from the environment (see the README's configuration table). */
export function fetcherFromEnv(): PageFetcher {
  return createFetcher({
    allowPrivateAddresses: process.env.CLAUSEWATCH_ALLOW_PRIVATE === '1',
    politenessDelayMs: envNumber('CLAUSEWATCH_POLITENESS_MS'),
    timeoutMs: envNumber('CLAUSEWATCH_TIMEOUT_MS'),
    retries: envNumber('CLAUSEWATCH_RETRIES'),
  });
}
