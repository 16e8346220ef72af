import type { Command } from 'commander';
import { withDb, UsageError } from '../context.ts';
import { buildServer } from '../../web/server.ts';
import { prerenderPages } from '../../web/prerender.ts';
import { progress } from '../progress.ts';
import { printJson } from '../format.ts';
import { pageStoreDir } from './serve.ts';

interface Options {
  origin?: string;
  json?: boolean;
}

/** The origin readers use: --origin, else CLAUSEWATCH_PUBLIC_URL, else where `serve` listens by default. */
function originOf(opts: Options): string {
  const text = opts.origin ?? process.env.CLAUSEWATCH_PUBLIC_URL ?? `http://${process.env.CLAUSEWATCH_HOST || '127.0.0.1'}:${process.env.CLAUSEWATCH_PORT || '8080'}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`--origin "${text}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--origin "${text}" must be an http(s) URL`);
  return u.origin;
}

export function registerRenderPages(program: Command): void {
  program
    .command('render-pages')
    .description('render every provision, platform and clause-type page into the page store now (the server also does it by itself when idle)')
    .option('--origin <url>', 'the address readers use (env CLAUSEWATCH_PUBLIC_URL; default http://127.0.0.1:8080)')
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      const origin = originOf(opts);
      const dir = pageStoreDir();
      if (!dir) throw new UsageError('the page store is switched off (CLAUSEWATCH_PAGES=off)');
      await withDb(async (db) => {
        const server = await buildServer({ db, indexer: false, pdf: false, pages: { dir }, publicUrl: origin });
        const bar = progress('rendering pages', opts.json);
        try {
          const r = await prerenderPages(server, origin, { onProgress: (done, total) => bar.update(done, total), onError: (e) => process.stderr.write(`${e.message}\n`) });
          bar.stop();
          const summary = { origin, dir, ...r, ms: Math.round(r.ms) };
          if (opts.json) printJson(summary);
          else process.stdout.write(`${r.rendered} pages rendered, ${r.present} already stored, ${r.failed} failed, in ${(r.ms / 1000).toFixed(1)} s (${dir})${r.complete ? '' : '; the data changed meanwhile: run it again'}\n`);
        } finally {
          await server.close();
        }
      });
    });
}
