// What the web benchmarks share: the server under test in its own process (bench/web/server.ts), the
// autocannon load of 50 connections, and waiting for a backlog to drain between scenarios.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Starts bench/web/server.ts on `where` (a PGlite folder or a postgres:// URL) with the response cache on or off,
 * and optionally a page store (its folder, and the public URL the stored pages were rendered for).
 */
export function startServer(where: string, cache: 'on' | 'off', pages?: { dir: string; publicUrl: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const args = [path.join(root, 'bench/web/server.ts'), where, cache, ...(pages ? [pages.dir, pages.publicUrl] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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

/**
 * 50 connections for `seconds`, each request for a URL drawn at random (seeded, so runs are comparable).
 * Not autocannon's own cycling: every connection walks the list from the top, so all 50 ask for the same page
 * at once and the server answers them with one rendering, which no real audience does.
 */
export async function load(url: string, urls: string[], seconds: number, headers: Record<string, string> = {}): Promise<{ p50: number; p99: number; rps: number; bad: number; kb: number; max: number }> {
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const r = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: urls[Math.floor(next() * urls.length)]! }) }],
  });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, bad: r.non2xx + r.errors + r.timeouts, kb: r.requests.total ? r.throughput.total / r.requests.total / 1024 : 0, max: r.latency.max };
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
