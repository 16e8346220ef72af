// The main job end to end: `clausewatch run --once` fetches a changed page from a site on loopback, records and
// analyses the new version, matches it and starts sending the alert, and is killed (SIGKILL) while the SMTP
// server holds the message. After the restart (`alerts send`), the alert arrives exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cli, REPO_ROOT } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { createUser } from '../../src/monitor/accounts.ts';
import { createWatchlist } from '../../src/monitor/watchlists.ts';
import { sendDue } from '../../src/monitor/sender.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createFetcher } from '../../src/fetch/index.ts';
import { trackCatalog } from '../../src/jobs/track.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { PARAGRAPHS as P, startSmtp, termsHtml, testConfig } from './fixture.ts';

test('run --once killed between recording a change and sending its alert: sent once after restart', async () => {
  let page = termsHtml([P.ownership, P.courts, P.contact]);
  const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const smtp = await startSmtp();
  const pg = await createPostgresDatabase();
  const decl = mkdtempSync(path.join(os.tmpdir(), 'cw-decl-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-data-'));
  const db = await openDb({ url: pg.url });
  await migrate(db);
  try {
    const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/terms`;
    writeFileSync(path.join(decl, 'site.yaml'), ['name: Site', 'slug: site', 'homepage: https://site.example', 'jurisdictions: [US]', 'documents:', '  - type: terms-of-service', `    url: ${url}`, '    select: main'].join('\n') + '\n');
    const env = {
      DATABASE_URL: pg.url, CLAUSEWATCH_DECLARATIONS: decl, CLAUSEWATCH_DATA: data, CLAUSEWATCH_ALLOW_PRIVATE: '1', CLAUSEWATCH_POLITENESS_MS: '0', CLAUSEWATCH_RETRIES: '0',
      CLAUSEWATCH_SMTP_URL: smtp.url, CLAUSEWATCH_ALERT_LEASE_S: '2', CLAUSEWATCH_PUBLIC_URL: 'https://cw.test',
    };
    // The first version, recorded in this process by the same tracking code (one process spawn less).
    const fetcher = createFetcher({ allowPrivateAddresses: true, politenessDelayMs: 0, retries: 0 });
    const dataBefore = process.env.CLAUSEWATCH_DATA;
    process.env.CLAUSEWATCH_DATA = data; // the evidence log's key goes to the test's folder, not the checkout
    try {
      const events = await trackCatalog(db, fetcher, loadCatalog(decl));
      assert.equal(events[0]!.result.outcome, 'first');
    } finally {
      await fetcher.close();
      if (dataBefore === undefined) delete process.env.CLAUSEWATCH_DATA;
      else process.env.CLAUSEWATCH_DATA = dataBefore;
    }
    const cfg = testConfig();
    const user = await createUser(db, cfg, { email: 'watcher@example.org', password: 'a long enough password', confirmed: true });
    await createWatchlist(db, cfg, user, { name: 'Site', platforms: ['site'], minSeverity: 'high' });

    page = termsHtml([P.ownership, P.training, P.arbitration, P.contact]);
    smtp.stallNext = 1;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/clausewatch.js'), 'run', '--once', '--no-serve'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, signal) => resolve(signal)));
    for (let i = 0; i < 900 && smtp.stallNext > 0 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(smtp.stallNext, 0, `the job reached the SMTP data stage: ${stderr}`);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const state = await db.query<{ material: boolean; status: string; attempts: number }>(
      `SELECT va.material, d.status, d.attempts FROM alert_deliveries d JOIN alert_matches m ON m.id = d.match_id JOIN version_analysis va ON va.version_id = m.version_id`,
    );
    assert.deepEqual(state, [{ material: true, status: 'sending', attempts: 1 }], 'the change was recorded, analysed and matched; its alert was being sent');
    assert.equal(smtp.messages.length, 0);
    await new Promise((r) => setTimeout(r, 2100));
    const restarted = await cli(['alerts', 'send', '--json'], env);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(JSON.parse(restarted.stdout).send.sent, 1);
    const [mail] = await smtp.waitFor(1);
    assert.match(mail!.text ?? '', /Binding arbitration/);
    assert.equal((await sendDue(db, testConfig({ CLAUSEWATCH_SMTP_URL: smtp.url }))).sent, 0, 'a third run has nothing to send');
    assert.equal(smtp.messages.length, 1, 'exactly once');
  } finally {
    await db.close();
    await pg.drop();
    await smtp.close();
    site.close();
    rmSync(decl, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});
