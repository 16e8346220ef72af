// PDF export: headless Chromium prints one of our own pages. Chromium never touches the network: every
// request it makes is answered in-process by the web app (render), anything else is aborted, and scripts
// are disabled. One browser is started on first use and reused; prints are queued a few at a time.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { HttpError } from './errors.ts';

export const CHROMIUM = process.env.CLAUSEWATCH_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'];
// A private name: requests to it are served by the app itself, so the page's URLs resolve as on the site.
const INTERNAL = 'http://clausewatch.internal';

export interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PdfPrinterOptions {
  /** Answers a GET for a path of this site (the app's in-process request handler). */
  render: (path: string, host: string | undefined) => Promise<Rendered>;
  executablePath?: string;
  concurrency?: number;
  maxQueue?: number;
  timeoutMs?: number;
}

export class PdfPrinter {
  private browser: Promise<Browser> | undefined;
  private active = 0;
  private queue: (() => void)[] = [];

  constructor(private opts: PdfPrinterOptions) {}

  get available(): boolean {
    return existsSync(this.opts.executablePath ?? CHROMIUM);
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const executablePath = this.opts.executablePath ?? CHROMIUM;
      this.browser = import('playwright-core')
        .then(({ chromium }) => chromium.launch({ executablePath, headless: true, args: ARGS, timeout: 60_000 }))
        .then((b) => {
          b.on('disconnected', () => (this.browser = undefined));
          return b;
        })
        .catch((err: Error) => {
          this.browser = undefined;
          throw new HttpError(503, `PDF export needs Chromium at ${executablePath} (apt-get install chromium): ${err.message.split('\n')[0]}`);
        });
    }
    return this.browser;
  }

  private async slot(): Promise<() => void> {
    const max = this.opts.concurrency ?? 2;
    if (this.active >= max) {
      if (this.queue.length >= (this.opts.maxQueue ?? 16)) throw new HttpError(503, 'too many PDF exports at once: try again in a moment');
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.active++;
    return () => {
      this.active--;
      this.queue.shift()?.();
    };
  }

  /** Prints the page at `path` (e.g. /versions/CW-V-000001) as an A4 PDF. */
  async print(path: string, opts: { host?: string; title: string }): Promise<Buffer> {
    if (!this.available) throw new HttpError(503, `PDF export needs Chromium at ${this.opts.executablePath ?? CHROMIUM} (apt-get install chromium)`);
    const release = await this.slot();
    try {
      const browser = await this.launch();
      const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
      try {
        await context.route('**/*', async (route) => {
          const url = new URL(route.request().url());
          if (url.origin !== INTERNAL || route.request().method() !== 'GET') return route.abort('blockedbyclient');
          const r = await this.opts.render(url.pathname + url.search, opts.host);
          await route.fulfill({ status: r.status, headers: r.headers, body: r.body });
        });
        const page = await context.newPage();
        const timeout = this.opts.timeoutMs ?? 60_000;
        const res = await page.goto(INTERNAL + path, { waitUntil: 'load', timeout });
        if (!res || res.status() !== 200) throw new HttpError(res?.status() ?? 500, `could not render ${path} for printing`);
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
          displayHeaderFooter: true,
          headerTemplate: `<div style="font-size:7px;width:100%;padding:0 14mm;color:#555;font-family:sans-serif">${escapeForTemplate(opts.title)}</div>`,
          footerTemplate:
            '<div style="font-size:7px;width:100%;padding:0 14mm;color:#555;font-family:sans-serif;display:flex;justify-content:space-between">' +
            '<span>Clausewatch · printed <span class="date"></span></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>',
        });
      } finally {
        await context.close().catch(() => {});
      }
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => {});
  }
}

function escapeForTemplate(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
