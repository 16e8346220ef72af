// The real `clausewatch` command: `serve` starts and stops cleanly, and the main job (`run`) serves the
// web app before it tracks, so the pages answer while a slow fetch is still in progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cli, REPO_ROOT } from '../helpers/cli.ts';

function start(args: string[], env: Record<string, string>): { child: ChildProcess; stderr: () => string; waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/clausewatch.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const waiters: { re: RegExp; resolve(m: RegExpExecArray): void }[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of [...waiters]) {
      const m = w.re.exec(err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    stderr: () => err,
    exit,
    waitFor(re, ms = 120_000) {
      const m = re.exec(err);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${err}`)), ms);
        waiters.push({ re, resolve: (x) => (clearTimeout(timer), resolve(x)) });
      });
    },
  };
}

const SERVING = /serving the web app on (http:\/\/127\.0\.0\.1:\d+)/;

test('serve: listens where told, shows the empty state, stops on SIGTERM; bad ports are usage errors', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-serve-'));
  try {
    const p = start(['serve', '--port', '0', '--host', '127.0.0.1', '--no-pdf'], { CLAUSEWATCH_DATA: data });
    const url = (await p.waitFor(SERVING))[1]!;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /Nothing has been recorded yet/);
    assert.match(body, /import-ota/);
    p.child.kill('SIGTERM');
    assert.equal(await p.exit, 0, p.stderr());
    const bad = await cli(['serve', '--port', 'eighty'], { CLAUSEWATCH_DATA: data });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port "eighty" is not a port number/);
    const envPort = await cli(['serve'], { CLAUSEWATCH_DATA: data, CLAUSEWATCH_PORT: '70000' });
    assert.equal(envPort.code, 2);
    assert.match(envPort.stderr, /"70000" is not a port number/);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('run: the web app answers while tracking is still fetching, and shows what was tracked afterwards', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let requested!: () => void;
  const fetchStarted = new Promise<void>((r) => (requested = r));
  const body = `<html><body><main><h1>Acme terms</h1>${Array.from({ length: 20 }, (_, i) => `<p>Clause ${i}: Acme keeps your data for ${i + 1} days.</p>`).join('')}</main></body></html>`;
  const site = http.createServer((_req, res) => {
    requested();
    void held.then(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const decl = mkdtempSync(path.join(os.tmpdir(), 'cw-decl-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'cw-data-'));
  // A platform the bundled sample does not cover: the sample is skipped and tracking starts at once.
  writeFileSync(
    path.join(decl, 'acme.yaml'),
    ['name: Acme', 'slug: acme', 'homepage: https://acme.example', 'jurisdictions: [US]', 'tags: []', 'documents:', '  - type: terms-of-service', `    url: ${origin}/terms`, '    select: main'].join('\n') + '\n',
  );
  const env = { CLAUSEWATCH_DECLARATIONS: decl, CLAUSEWATCH_DATA: data, CLAUSEWATCH_ALLOW_PRIVATE: '1', CLAUSEWATCH_POLITENESS_MS: '0', CLAUSEWATCH_RETRIES: '0', CLAUSEWATCH_TIMEOUT_MS: '60000' };
  const p = start(['run', '--port', '0', '--no-pdf'], env);
  try {
    const url = (await p.waitFor(SERVING))[1]!;
    await fetchStarted;
    // The fetch is in flight and held: the page must answer now.
    const during = await fetch(`${url}/platforms/acme`);
    assert.equal(during.status, 200, 'the platform page answers while tracking runs');
    assert.match(await during.text(), /<h1>Acme<\/h1>/);
    assert.ok(!/documents tracked/.test(p.stderr()), 'tracking has not finished yet');
    release();
    await p.waitFor(/staying up: next tracking run/);
    const afterRes = await fetch(`${url}/platforms/acme/terms-of-service`);
    assert.equal(afterRes.status, 200);
    assert.match(await afterRes.text(), /CW-V-000001/, 'the version recorded by tracking is shown');
    p.child.kill('SIGTERM');
    assert.equal(await p.exit, 0, p.stderr());
  } finally {
    release();
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    site.closeAllConnections();
    await new Promise<void>((r) => site.close(() => r()));
    rmSync(decl, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});
