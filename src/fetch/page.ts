// Turns a successful response (status, headers, decoded bytes) into a FetchedPage, or the problem that makes it
// unusable. Shared by the HTTP and browser fetchers so both judge content identically.
import type { FetchedPage, Fetcher } from '../domain/types.ts';
import { detectBotWall } from './bot-wall.ts';
import { decodeText } from './charset.ts';
import { FetchFailure } from './failure.ts';
import { classifyBody, mediaTypeOf } from './media.ts';
import { extractPdfText } from './pdf-text.ts';

export interface RawResponse {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  fetcher: Fetcher;
  /** Text the browser already decoded (its serialised DOM); skips charset detection. */
  text?: string;
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `pdfTimeoutMs` bounds PDF text extraction, which runs after the download and gets its own budget. */
export async function buildPage(res: RawResponse, pdfTimeoutMs: number): Promise<FetchedPage> {
  const contentType = header(res.headers, 'content-type');
  let mediaType = mediaTypeOf(contentType);
  if (res.body.length === 0) throw new FetchFailure('empty-page', `HTTP ${res.status} with an empty body (0 bytes)`, { httpStatus: res.status });

  const kind = res.text !== undefined ? 'html' : classifyBody(mediaType, res.body);
  let text: string;
  if (kind === 'pdf') {
    mediaType = 'application/pdf';
    text = await extractPdfText(res.body, pdfTimeoutMs);
  } else if (kind === 'binary') {
    throw new FetchFailure('unsupported-content', `binary content (${mediaType || 'no Content-Type'}, ${res.body.length} bytes) is not HTML, text or PDF`, { httpStatus: res.status });
  } else {
    text = res.text ?? decodeText(res.body, contentType, kind === 'html').text;
    if (!mediaType || mediaType.endsWith('octet-stream') || mediaType === 'unknown/unknown') mediaType = kind === 'html' ? 'text/html' : 'text/plain';
    if (text.trim() === '') throw new FetchFailure('empty-page', `HTTP ${res.status} body is only whitespace (${res.body.length} bytes)`, { httpStatus: res.status });
    const wall = detectBotWall(res.status, res.headers, text);
    if (wall) throw new FetchFailure('bot-wall', `${wall} (HTTP ${res.status})`, { httpStatus: res.status });
  }

  return {
    url: res.url,
    finalUrl: res.finalUrl,
    status: res.status,
    mediaType,
    body: res.body,
    text,
    fetcher: res.fetcher,
    fetchedAt: new Date(),
  };
}
