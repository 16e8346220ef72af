// Checkpoints after tracking runs, on a real database with a real HTTP server on loopback: each run
// signs a checkpoint covering what it logged (snapshots, versions and the provisions analysed in the
// run), the checkpoints are all kept, and the first and the last are provably consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { createFetcher } from '../../src/fetch/index.ts';
import { trackCatalog } from '../../src/jobs/track.ts';
import { listCheckpoints, proveConsistency } from '../../src/evidence/checkpoint-store.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { tempConfig } from './db-fixture.ts';

const config = tempConfig();
process.env.CLAUSEWATCH_LOG_KEY = config.keyPath;
process.env.CLAUSEWATCH_LOG_ORIGIN = config.origin;

const page = (n: number) => `<html><body><main><h1>Terms</h1>${Array.from({ length: 20 }, (_, i) => `<p>Clause ${i}: we may use your content to train our models for ${i + n} days.</p>`).join('')}</main></body></html>`;

// One driver: what differs between drivers (appends, checkpoints) runs on both in db-log.test.ts, and
// PGlite's start-up would double this file's time.
for (const driver of DRIVERS.filter((d) => d === 'postgres')) {
  test(`${driver}: each tracking run signs a checkpoint over what it logged, and the checkpoints are consistent`, async () => {
    let body = page(1);
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-after-run-'));
    const t = await openTestDb(driver);
    const fetcher = createFetcher({ allowPrivateAddresses: ['127.0.0.1'], politenessDelayMs: 0, retries: 0, timeoutMs: 5000 });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/terms`;
      writeFileSync(path.join(dir, 'acme.yaml'), `name: Acme\nslug: acme\nhomepage: https://acme.example\njurisdictions: [US]\ndocuments:\n  - type: terms-of-service\n    url: ${url}\n    select: main\n`);
      const catalog = loadCatalog(dir);
      const run = async () => {
        await trackCatalog(t.db, fetcher, catalog);
        return listCheckpoints(t.db);
      };
      const size = async () => Number((await t.db.query<{ size: number }>('SELECT size FROM evidence_log'))[0]!.size);

      const first = await run();
      assert.equal(first.length, 1, 'the first run signs a checkpoint');
      assert.equal(first[0]!.size, await size(), 'covering everything the run logged');
      const kinds = (await t.db.query<{ kind: string }>('SELECT DISTINCT kind FROM evidence_leaves ORDER BY kind')).map((r) => r.kind);
      assert.deepEqual(kinds, ['provision', 'snapshot', 'version'], 'snapshot, version and the provisions analysed in the run');

      // An unchanged page is still a new snapshot (a leaf): the run signs over it; a change, again.
      const second = await run();
      assert.equal(second.length, 2);
      assert.equal(second[1]!.size, first[0]!.size + 1, 'one more snapshot, no version');
      body = page(2);
      const third = await run();
      assert.equal(third.length, 3, 'a change signs a new one');
      assert.equal(third[2]!.size, await size());
      const c = await proveConsistency(t.db, third[0]!, third[2]!, loadSigner(config).publicKey);
      assert.equal(c.ok, true, JSON.stringify(c));
    } finally {
      await fetcher.close();
      server.close();
      await t.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
