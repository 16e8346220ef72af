// kill -9 in the middle of an import: the database holds no half-written capture and the import resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { cli, CORPUS, OTA_CACHE, REPO_ROOT } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { openDb, type Db } from '../../src/store/db.ts';

const PGA = path.join(CORPUS, 'ota/pga-versions.bundle');

/** Starts an import and SIGKILLs it once `ready` says enough has been written. */
async function importAndKill(env: Record<string, string>, ready: (stderr: string) => Promise<boolean> | boolean): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/clausewatch.js'), 'import-ota', PGA], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', CLAUSEWATCH_CACHE: OTA_CACHE, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await ready(stderr)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(child.exitCode, null, `the import was still running when killed: ${stderr.slice(-500)}`);
  child.kill('SIGKILL');
  await closed;
}

async function assertConsistent(db: Db): Promise<number> {
  const orphanVersions = await db.query('SELECT v.id FROM versions v LEFT JOIN captures c ON c.version_id = v.id AND c.origin_ref = v.origin_ref WHERE c.id IS NULL');
  assert.deepEqual(orphanVersions, [], 'every version was written together with its capture');
  const textless = await db.query('SELECT v.id FROM versions v LEFT JOIN texts t ON t.sha256 = v.text_sha256 WHERE t.sha256 IS NULL');
  assert.deepEqual(textless, [], 'every version has its text');
  const cursor = (await db.query<{ position: number }>('SELECT position FROM import_cursors'))[0];
  const commits = (await db.query<{ n: number }>('SELECT count(DISTINCT origin_ref)::int AS n FROM captures'))[0]!.n;
  assert.ok(cursor && cursor.position >= commits, `cursor ${cursor?.position} covers the ${commits} commits recorded`);
  return commits;
}

test('postgres: kill -9 during import-ota leaves a consistent database, and the import resumes', async () => {
  const pg = await createPostgresDatabase();
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-crash-'));
  const env = { DATABASE_URL: pg.url, CLAUSEWATCH_DATA: data };
  const probe = await openDb({ url: pg.url });
  try {
    await importAndKill(env, async () => {
      try {
        const rows = await probe.query<{ n: number }>('SELECT count(*)::int AS n FROM captures');
        return rows[0]!.n >= 150;
      } catch {
        return false; // tables not migrated yet
      }
    });
    const before = await assertConsistent(probe);
    const r = await cli(['import-ota', PGA, '--limit', '100', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.resumedAt >= before, `resumed at ${out.resumedAt}, after the ${before} commits already recorded`);
    assert.equal(out.outcomes.duplicate, 0, 'nothing is recorded twice');
    await assertConsistent(probe);
    assert.equal((await cli(['verify'], env)).code, 0, 'all hashes match after the crash');
  } finally {
    await probe.close();
    await pg.drop();
    rmSync(data, { recursive: true, force: true });
  }
});

test('pglite: kill -9 during import-ota leaves a consistent database, and the import resumes', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-crash-'));
  const env = { CLAUSEWATCH_DATA: data, DATABASE_URL: '' };
  try {
    // The non-interactive progress line appears every few seconds while commits are being recorded.
    await importAndKill(env, (stderr) => [...stderr.matchAll(/importing: (\d+)\//g)].some((m) => Number(m[1]) >= 300));
    const db = await openDb({ url: '', dataDir: data });
    let before: number;
    try {
      before = await assertConsistent(db);
    } finally {
      await db.close();
    }
    const r = await cli(['import-ota', PGA, '--limit', '100', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.resumedAt >= before, `resumed at ${out.resumedAt}`);
    assert.equal(out.outcomes.duplicate, 0, 'nothing is recorded twice');
    assert.equal((await cli(['verify'], env)).code, 0, 'all hashes match after the crash');
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
