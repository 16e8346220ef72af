// Content-addressed storage of raw snapshot bytes: one row per SHA-256, brotli-compressed.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Queryable } from '../store/db.ts';
import { sha256Hex } from './hash.ts';

// Quality 4 compresses HTML about 8x at a fraction of quality 11's cost; snapshots are written often.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

export async function putBlob(q: Queryable, bytes: Buffer, sha256 = sha256Hex(bytes)): Promise<string> {
  const exists = await q.query('SELECT 1 FROM blobs WHERE sha256 = $1', [sha256]);
  if (!exists.length) {
    await q.query(
      `INSERT INTO blobs (sha256, size, encoding, data) VALUES ($1, $2, 'br', $3) ON CONFLICT (sha256) DO NOTHING`,
      [sha256, bytes.length, brotliCompressSync(bytes, BROTLI)],
    );
  }
  return sha256;
}

export async function getBlob(q: Queryable, sha256: string): Promise<Buffer | undefined> {
  const rows = await q.query<{ encoding: string; data: Buffer }>('SELECT encoding, data FROM blobs WHERE sha256 = $1', [sha256]);
  const row = rows[0];
  if (!row) return undefined;
  return decodeBlob(row.encoding, row.data);
}

export function decodeBlob(encoding: string, data: Buffer): Buffer {
  if (encoding === 'br') return brotliDecompressSync(data);
  if (encoding === 'identity') return data;
  throw new Error(`unknown blob encoding ${encoding}`);
}
