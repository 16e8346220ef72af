// Rendered pages kept on disk, per data generation: the second tier behind the in-memory response cache.
// A page nobody asked for since the server started is read from here (one file read, off the main thread)
// instead of being rendered, once the pre-renderer (prerender.ts) or an earlier request has rendered it for
// the data as it is now. Pages are only ever served for the generation they were rendered for, so the store
// never shows anything older than a rendering on request would.
//
// Layout: <root>/<generation dir>/<2 hex>/<sha-256 of the key>.page. The generation dir is named by a hash
// of the data generation AND of the code that renders pages, so an upgrade never serves old markup. A file
// is a 4-byte header length, a JSON header (key, status, type, etag, headers) and the gzipped body; it is
// written to a temporary name and renamed, so a reader sees a whole file or none.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFile, readFileSync, statSync } from 'node:fs';
import { access, mkdir, rename, rm, unlink, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CachedResponse } from './cache.ts';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A hash of everything that shapes a page (source and taxonomy files), computed once per process. */
let codeVersion: string | undefined;
export function renderCodeVersion(): string {
  if (codeVersion) return codeVersion;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|ya?ml|css|json)$/.test(name)) h.update(path.relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(path.join(root, 'src'));
  walk(path.join(root, 'taxonomy'));
  return (codeVersion = h.digest('hex').slice(0, 16));
}

// The callback API: for small files it costs half the CPU of fs/promises' readFile (34 against 62 µs here).
function read(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFile(file, (err, data) => (err ? reject(err) : resolve(data))));
}

/**
 * A stored page: sent as stored to clients that accept gzip (every browser), unzipped for each of the others
 * (not kept unzipped: the memory cache counts a stored page by its gzipped size).
 */
class StoredResponse implements CachedResponse {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly etag: string,
    readonly headers: Record<string, string> | undefined,
    readonly gzip: Buffer,
  ) {}
  get body(): Buffer {
    return gunzipSync(this.gzip);
  }
}

interface Header {
  key: string;
  status: number;
  type: string;
  etag: string;
  headers?: Record<string, string>;
}

export class PageStore {
  readonly stats = { hits: 0, misses: 0, writes: 0, errors: 0 };
  private writing = new Set<Promise<void>>();

  constructor(readonly dir: string, private opts: { onError?: (e: Error) => void } = {}) {}

  private generationDir(generation: string): string {
    return path.join(this.dir, sha256(`${renderCodeVersion()}\0${generation}`).slice(0, 20));
  }

  private fileOf(key: string, generation: string): string {
    const name = sha256(key);
    return path.join(this.generationDir(generation), name.slice(0, 2), `${name}.page`);
  }

  /** The page stored for this key and generation, or undefined (also for a damaged file, which is removed). */
  async get(key: string, generation: string): Promise<CachedResponse | undefined> {
    const file = this.fileOf(key, generation);
    let buf: Buffer;
    try {
      buf = await read(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    try {
      const n = buf.readUInt32BE(0);
      const header = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as Header;
      if (header.key !== key) throw new Error('the file holds another key');
      this.stats.hits++;
      return new StoredResponse(header.status, header.type, header.etag, header.headers, buf.subarray(4 + n));
    } catch (err) {
      this.stats.errors++;
      this.opts.onError?.(new Error(`page store: ${file} is unreadable (${(err as Error).message}); removed`));
      await unlink(file).catch(() => undefined);
      return undefined;
    }
  }

  /** Whether a page is stored for this key and generation (without reading it). */
  async has(key: string, generation: string): Promise<boolean> {
    return access(this.fileOf(key, generation)).then(
      () => true,
      () => false,
    );
  }

  /** Stores a successful response; failures are reported, never thrown (the store is only a cache). */
  put(key: string, generation: string, r: CachedResponse): Promise<void> {
    const p = this.write(key, generation, r)
      .then(() => void this.stats.writes++)
      .catch((err: Error) => {
        this.stats.errors++;
        this.opts.onError?.(new Error(`page store: cannot write ${key}: ${err.message}`));
      })
      .finally(() => this.writing.delete(p));
    this.writing.add(p);
    return p;
  }

  private async write(key: string, generation: string, r: CachedResponse): Promise<void> {
    const file = this.fileOf(key, generation);
    const header: Header = { key, status: r.status, type: r.type, etag: r.etag, headers: r.headers };
    const h = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(h.length);
    r.gzip ??= gzipSync(r.body, { level: 6 });
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, Buffer.concat([len, h, r.gzip]));
    await rename(tmp, file);
  }

  /** Resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing]);
  }

  /** Removes the pages of every other generation (they can never be served again). */
  async retainOnly(generation: string): Promise<void> {
    const keep = path.basename(this.generationDir(generation));
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (name !== keep) await rm(path.join(this.dir, name), { recursive: true, force: true });
  }
}
