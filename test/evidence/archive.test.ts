// Wayback links, and Save Page Now against a stand-in of the SPN2 API on loopback (never the
// internet): submissions with the configured credentials, polling, and the recorded capture that
// citations then use.

import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { parseWaybackTimestamp, waybackTimestamp, waybackUrl } from '../../src/evidence/archive.ts';
import { archiveCaptures, archivedCapture, savePages, submitSpn } from '../../src/evidence/save-page-now.ts';
import type { SpnOptions } from '../../src/evidence/save-page-now.ts';
import { citationSource, logEntryOf } from '../../src/evidence/record-sources.ts';
import { recordHistory } from './db-fixture.ts';

describe('Wayback Machine links', () => {
  it('use the 14-digit UTC timestamp and the URL as is', () => {
    const d = new Date('2024-03-05T07:08:09.999Z');
    assert.equal(waybackTimestamp(d), '20240305070809');
    assert.equal(waybackUrl('https://acme.test/privacy?lang=en#top', d), 'https://web.archive.org/web/20240305070809/https://acme.test/privacy?lang=en#top');
    assert.equal(parseWaybackTimestamp('20240305070809')?.toISOString(), '2024-03-05T07:08:09.000Z');
    assert.equal(parseWaybackTimestamp('2024')?.toISOString(), '2024-01-01T00:00:00.000Z');
    for (const bad of ['2024130101', '20240230', 'abc', '']) assert.equal(parseWaybackTimestamp(bad), undefined, bad);
    assert.throws(() => waybackUrl('ftp://acme.test/x', d), /http\(s\)/);
    assert.throws(() => waybackUrl('not a url', d));
  });
});

interface StandIn {
  endpoint: string;
  submitted: { url: string; auth: string | undefined; type: string | undefined }[];
  /** Polls a job needs before it succeeds; 'error' urls fail. */
  pollsBeforeSuccess: number;
  close(): Promise<void>;
}

async function standIn(): Promise<StandIn> {
  const jobs = new Map<string, { url: string; polls: number }>();
  const state: StandIn = { endpoint: '', submitted: [], pollsBeforeSuccess: 1, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (code: number, v: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (req.headers.authorization !== 'LOW key123:secret456') return json(401, { status: 'error', message: 'You need to be logged in' });
      if (req.method === 'POST' && req.url === '/save') {
        const url = new URLSearchParams(Buffer.concat(chunks).toString()).get('url') ?? '';
        state.submitted.push({ url, auth: req.headers.authorization, type: req.headers['content-type'] });
        if (url.includes('blocked')) return json(200, { status: 'error', status_ext: 'error:blocked-url', message: 'This URL is excluded.' });
        const id = `spn2-${jobs.size + 1}`;
        jobs.set(id, { url, polls: 0 });
        return json(200, { url, job_id: id });
      }
      const m = /^\/save\/status\/(.+)$/.exec(req.url ?? '');
      const job = m ? jobs.get(decodeURIComponent(m[1]!)) : undefined;
      if (req.method === 'GET' && job) {
        job.polls++;
        if (job.polls <= state.pollsBeforeSuccess) return json(200, { status: 'pending', job_id: m![1] });
        return json(200, { status: 'success', job_id: m![1], original_url: job.url, timestamp: '20240102030405', duration_sec: 6.2 });
      }
      json(404, { status: 'error', message: 'no such job' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}

describe('Save Page Now (stand-in on loopback)', () => {
  let spn: StandIn;
  let opts: SpnOptions;
  before(async () => {
    spn = await standIn();
    opts = { endpoint: spn.endpoint, accessKey: 'key123', secret: 'secret456', pollMs: 5, maxWaitMs: 5_000 };
  });
  after(() => spn.close());

  it('submits with the credentials, polls, and returns the Wayback capture', async () => {
    const [r] = await savePages(['https://acme.test/privacy'], opts);
    assert.equal(r?.status, 'success', JSON.stringify(r));
    assert.equal(r?.archiveUrl, 'https://web.archive.org/web/20240102030405/https://acme.test/privacy');
    assert.equal(r?.archivedAt?.toISOString(), '2024-01-02T03:04:05.000Z');
    assert.equal(spn.submitted[0]?.type, 'application/x-www-form-urlencoded');
  });

  it('reports refusals and bad credentials, and leaves slow jobs pending', async () => {
    const blocked = await submitSpn('https://blocked.test/', opts);
    assert.equal(blocked.status, 'error');
    assert.match(blocked.detail ?? '', /excluded/);
    const denied = await submitSpn('https://acme.test/', { ...opts, secret: 'wrong' });
    assert.equal(denied.status, 'error');
    assert.match(denied.detail ?? '', /logged in/);
    spn.pollsBeforeSuccess = 1_000;
    const [slow] = await savePages(['https://acme.test/slow'], { ...opts, maxWaitMs: 50 });
    assert.equal(slow?.status, 'pending');
    assert.match(slow?.jobId ?? '', /^spn2-/);
    spn.pollsBeforeSuccess = 1;
    const down = await submitSpn('https://acme.test/', { ...opts, endpoint: 'http://127.0.0.1:1' });
    assert.equal(down.status, 'error');
    assert.match(down.detail ?? '', /unreachable/);
  });
});

for (const driver of DRIVERS) {
  test(`${driver}: changed pages are archived, the capture is recorded, and citations and show use it`, async () => {
    const spn = await standIn();
    const t = await openTestDb(driver);
    try {
      const opts: SpnOptions = { endpoint: spn.endpoint, accessKey: 'key123', secret: 'secret456', pollMs: 5, maxWaitMs: 5_000 };
      const h = await recordHistory(t.db);
      const first = (await t.db.query<{ id: number; capture_id: number }>('SELECT id, capture_id FROM snapshots WHERE id = $1', [h.snapshots[0]]))[0]!;
      // Before archiving: the Wayback link for the fetch time.
      const before = await citationSource(t.db, `CW-V-${String(h.versions[0]).padStart(6, '0')}`);
      assert.equal(before.archiveUrl, 'https://web.archive.org/web/20240101120000/https://acme.test/privacy');
      const results = await archiveCaptures(t.db, [Number(first.capture_id)], opts);
      assert.equal(results.length, 1);
      const saved = await archivedCapture(t.db, Number(first.id));
      assert.equal(saved?.archiveUrl, 'https://web.archive.org/web/20240102030405/https://acme.test/privacy');
      const after = await citationSource(t.db, `CW-V-${String(h.versions[0]).padStart(6, '0')}`);
      assert.equal(after.archiveUrl, saved?.archiveUrl, 'the recorded capture is cited');
      const show = await logEntryOf(t.db, `CW-S-${String(first.id).padStart(6, '0')}`);
      assert.equal(show?.archiveUrl, saved?.archiveUrl);
      // A job still pending is resolved on the next run.
      spn.pollsBeforeSuccess = 1_000;
      await archiveCaptures(t.db, [Number(first.capture_id)], { ...opts, maxWaitMs: 20 });
      assert.equal((await t.db.query(`SELECT 1 FROM evidence_archives WHERE status = 'pending'`)).length, 1);
      spn.pollsBeforeSuccess = 0;
      await archiveCaptures(t.db, [], opts);
      assert.equal((await t.db.query(`SELECT 1 FROM evidence_archives WHERE status = 'pending'`)).length, 0);
    } finally {
      await t.drop();
      await spn.close();
    }
  });
}
