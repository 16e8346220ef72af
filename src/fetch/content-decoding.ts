// Undoes Content-Encoding ourselves, streaming, under a hard output cap: a few kilobytes of gzip can expand to
// gigabytes, and automatic decompression would only notice after the memory is gone.
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { FetchFailure, errorText } from './failure.ts';

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Content-Encoding values in the order they were applied, without identity. */
export function parseContentEncoding(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  return raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity');
}

function decoderFor(encoding: string, firstBytes: Buffer): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate': {
      // "deflate" should be zlib-wrapped, but some servers send raw deflate; browsers accept both.
      const b0 = firstBytes[0] ?? 0;
      const b1 = firstBytes[1] ?? 0;
      const zlibWrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
      return zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    }
    default:
      throw new FetchFailure('unsupported-content', `unsupported Content-Encoding "${encoding}"`);
  }
}

/**
 * Decodes `raw` through each encoding in reverse order of application, failing with too-large once the output
 * passes `maxBytes`. With `truncate`, stops quietly at the cap instead (for error pages we only peek at).
 */
export async function decodeContent(raw: Buffer, encodings: string[], maxBytes: number, truncate = false): Promise<Buffer> {
  if (encodings.length === 0 || raw.length === 0) {
    if (raw.length > maxBytes && !truncate) throw tooLarge(maxBytes);
    return truncate ? raw.subarray(0, maxBytes) : raw;
  }
  const decoders = [...encodings].reverse().map((enc) => decoderFor(enc, raw));
  const chunks: Buffer[] = [];
  let total = 0;
  let capped = false;
  // pipeline may report its own AbortError instead of what the sink threw, so the verdict is kept aside.
  let verdict: FetchFailure | undefined;
  const sink = async function (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        if (!truncate) throw (verdict = tooLarge(maxBytes, encodings));
        chunks.push(chunk.subarray(0, chunk.length - (total - maxBytes)));
        capped = true;
        return;
      }
      chunks.push(chunk);
    }
  };
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(Readable.from([raw]), ...decoders, sink);
  } catch (err) {
    if (verdict) throw verdict;
    if (err instanceof FetchFailure) throw err;
    if (capped || truncate) return Buffer.concat(chunks);
    throw new FetchFailure('network', `could not decode the ${encodings.join('+')} body (truncated or corrupt): ${errorText(err)}`, { cause: err });
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number, encodings?: string[]): FetchFailure {
  const what = encodings ? `decoded (${encodings.join('+')}) body` : 'body';
  return new FetchFailure('too-large', `${what} exceeds maxDecompressedBytes (${maxBytes} bytes)`);
}
