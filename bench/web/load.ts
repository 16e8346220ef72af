// What the web benchmarks share: the server under test in its own process (bench/web/server.ts), the
// autocannon load of 50 connections, and waiting for a backlog to drain between scenarios.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts bench/web/server.ts on `where` (a PGlite folder or a postgres:// URL) with the response cache on or off. */
export function startServer(where: string, cache: 'on' | 'off'): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/web/server.ts'), where, cache], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^(http:\/\/\S+)\n/m.exec(out);
      if (m) resolve({ url: m[1]!, stop: () => new Promise((r) => (child.on('close', () => r()), child.kill('SIGTERM'))) });
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** 50 connections for `seconds`, cycling through `urls`. */
export async function load(url: string, urls: string[], seconds: number, headers: Record<string, string> = {}): Promise<{ p50: number; p99: number; rps: number; bad: number; kb: number }> {
  const r = await autocannon({ url, connections: 50, duration: seconds, headers, requests: urls.map((p) => ({ method: 'GET', path: p })) });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, bad: r.non2xx + r.errors + r.timeouts, kb: r.requests.total ? r.throughput.total / r.requests.total / 1024 : 0 };
}

/** Waits until requests that reach the database are answered promptly again (a backlog would spill into the next scenario). */
export async function drain(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await fetch(`${url}/api/v1/records/CW-PL-000001`).then((r) => r.arrayBuffer()).catch(() => undefined);
    if (performance.now() - t0 < 200) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
