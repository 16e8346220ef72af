import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createFetcher } from '../../src/fetch/index.ts';
import { HostGate } from '../../src/fetch/host-gate.ts';
import { FAST, serve, type TestServer } from './servers.ts';

interface Visit {
  start: number;
  end: number;
}

/** A server that takes `workMs` per request and records when each one ran and how many overlapped. */
async function recordingServer(host: string, workMs: number) {
  const visits: Visit[] = [];
  let active = 0;
  let maxActive = 0;
  const server: TestServer = await serve((_req: http.IncomingMessage, res: http.ServerResponse) => {
    const visit = { start: Date.now(), end: 0 };
    active++;
    maxActive = Math.max(maxActive, active);
    setTimeout(() => {
      active--;
      visit.end = Date.now();
      visits.push(visit);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${host}</p>`);
    }, workMs);
  }, host);
  return { server, visits, maxActive: () => maxActive };
}

describe('per-host queue and politeness', () => {
  let a: Awaited<ReturnType<typeof recordingServer>>;
  let b: Awaited<ReturnType<typeof recordingServer>>;
  before(async () => {
    a = await recordingServer('127.0.0.1', 150);
    b = await recordingServer('127.0.0.2', 150);
  });
  after(async () => {
    await a.server.close();
    await b.server.close();
  });

  test('requests to one host are serialised and spaced by the politeness delay', async () => {
    const fetcher = createFetcher({ ...FAST, politenessDelayMs: 250 });
    try {
      const outs = await Promise.all([fetcher.fetchPage(a.server.url('/1')), fetcher.fetchPage(a.server.url('/2')), fetcher.fetchPage(a.server.url('/3'))]);
      assert.ok(outs.every((o) => o.ok));
      assert.equal(a.maxActive(), 1, 'never two requests at once');
      const sorted = [...a.visits].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i++) {
        const gap = sorted[i]!.start - sorted[i - 1]!.end;
        assert.ok(gap >= 240, `gap ${gap} ms between request ${i} and ${i + 1}`);
      }
    } finally {
      await fetcher.close();
    }
  });

  test('different hosts run concurrently', async () => {
    const fetcher = createFetcher({ ...FAST, politenessDelayMs: 1000 });
    try {
      const t0 = Date.now();
      const outs = await Promise.all([fetcher.fetchPage(a.server.url('/x')), fetcher.fetchPage(b.server.url('/y'))]);
      const took = Date.now() - t0;
      assert.ok(outs.every((o) => o.ok));
      // Serialised they would take 150 + 1000 (politeness) + 150 ms; the margin absorbs a loaded CI machine.
      assert.ok(took < 700, `two 150 ms requests on two hosts took ${took} ms`);
      const [va, vb] = [a.visits.at(-1)!, b.visits.at(-1)!];
      assert.ok(va.start < vb.end && vb.start < va.end, 'the two requests overlapped');
    } finally {
      await fetcher.close();
    }
  });

  test('a waiter that gives up keeps the queue in order', async () => {
    const gate = new HostGate(0);
    const order: string[] = [];
    const first = await gate.acquire('h');
    const ac = new AbortController();
    const quitter = gate.acquire('h', ac.signal);
    const third = gate.acquire('h').then((release) => {
      order.push('third');
      return release;
    });
    ac.abort();
    await assert.rejects(quitter);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, [], 'third waits for first even though the one between them left');
    first();
    (await third)();
    assert.deepEqual(order, ['third']);
  });
});
