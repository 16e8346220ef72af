// Helpers for the monitoring tests: documents recorded and analysed through the real pipeline (crafted
// snapshots replayed, as a tracker would record them), a real SMTP server on loopback whose messages are
// parsed with mailparser, and a webhook receiver on loopback that fails its first attempts.
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { listSnapshotFiles, replaySnapshots } from '../../src/jobs/replay.ts';
import { upsertDocument, upsertPlatform } from '../../src/record/registry.ts';
import type { Db } from '../../src/store/db.ts';
import { monitorConfig, type MonitorConfig } from '../../src/monitor/config.ts';

export const PARAGRAPHS = {
  ownership: 'You keep ownership of the content you upload.',
  training: 'We may use your content, prompts and conversations to train and improve our artificial intelligence models.',
  arbitration: 'Any dispute will be resolved by binding arbitration, and you waive your right to take part in a class action.',
  courts: 'Any dispute will be resolved by the courts of your place of residence.',
  contact: 'You can contact us at any time by writing to our support team.',
};

export function termsHtml(paragraphs: string[], title = 'Terms of Service'): string {
  return `<!doctype html><html><body><main><h1>${title}</h1>\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n</main></body></html>`;
}

export async function ensureDocument(db: Db, slug: string, name: string): Promise<number> {
  const pl = await upsertPlatform(db, { slug, name });
  const doc = await upsertDocument(db, pl.id, 'terms-of-service', 'Terms of Service');
  return doc.id;
}

/** Records (and analyses) one snapshot of a document through the replay pipeline; returns the version id, if any. */
export async function recordSnapshot(db: Db, documentId: number, html: string, at: Date): Promise<number | undefined> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-monitor-'));
  try {
    writeFileSync(path.join(dir, `${at.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.html`), html);
    const url = `https://example.com/doc-${documentId}`;
    const events = await replaySnapshots(db, { documentId, files: listSnapshotFiles(dir).files, url, rulesAt: () => ({ pages: [{ url, select: 'main' }] }), origin: 'replay' });
    return events[0]?.result.versionId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestSmtp {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** Connections whose DATA is held open without an answer (a stalled server), while > 0. */
  stallNext: number;
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  const state = { stallNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      if (state.stallNext > 0) {
        state.stallNext--;
        stream.resume();
        return; // never answers: the sender hangs until it is killed or times out
      }
      simpleParser(stream)
        .then((m) => {
          messages.push(m);
          for (const w of waiters.splice(0)) w();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get stallNext() {
      return state.stallNext;
    },
    set stallNext(n: number) {
      state.stallNext = n;
    },
    async waitFor(n, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > end) throw new Error(`expected ${n} messages, got ${messages.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestWebhookServer {
  url: string;
  /** Every request received, with its status answered. */
  requests: { headers: http.IncomingHttpHeaders; body: string; status: number }[];
  close(): Promise<void>;
}

/** A receiver that answers 503 to its first `failFirst` requests, then 204. */
export async function startWebhookServer(failFirst: number): Promise<TestWebhookServer> {
  const requests: TestWebhookServer['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const status = requests.length < failFirst ? 503 : 204;
      requests.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function testConfig(env: Record<string, string> = {}): MonitorConfig {
  // Fixture versions carry 2025 dates (replayed snapshots): no age limit, and no sign-in throttling between tests.
  return monitorConfig({ CLAUSEWATCH_PUBLIC_URL: 'https://cw.test', CLAUSEWATCH_ALERT_BACKOFF_MS: '0', CLAUSEWATCH_ALERT_MAX_ATTEMPTS: '3', CLAUSEWATCH_ALERT_MAX_AGE_DAYS: '0', CLAUSEWATCH_AUTH_PER_MINUTE: '1000', ...env });
}
