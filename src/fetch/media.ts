// Decides what a body is: HTML/text we decode, PDF we extract, anything else we refuse.

export type BodyKind = 'html' | 'text' | 'pdf' | 'binary';

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function hasPdfMagic(body: Uint8Array): boolean {
  // Readers accept the header anywhere in the first 1 KB; some generators put junk before it.
  return Buffer.from(body.subarray(0, 1024)).includes('%PDF-');
}

/** Control bytes other than whitespace and ESC (used by ISO-2022 text) mean binary, as in the MIME sniffing standard. */
function looksBinary(body: Uint8Array): boolean {
  const n = Math.min(body.length, 1445);
  // UTF-16 text is full of NULs; a BOM vouches for it.
  if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) return false;
  for (let i = 0; i < n; i++) {
    const b = body[i]!;
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return true;
  }
  return false;
}

function looksLikeHtml(body: Uint8Array): boolean {
  const head = Buffer.from(body.subarray(0, 1024)).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^<(!doctype html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|!--|\?xml)[\s>]/.test(head);
}

const TEXT_TYPES = new Set(['application/xhtml+xml', 'application/xml', 'application/json', 'application/ld+json']);

export function classifyBody(mediaType: string, body: Uint8Array): BodyKind {
  if (mediaType === 'application/pdf' || mediaType === 'application/x-pdf' || hasPdfMagic(body)) return 'pdf';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType.startsWith('text/') || TEXT_TYPES.has(mediaType) || /\+(xml|json)$/.test(mediaType)) return 'text';
  // Missing or generic types are common misconfigurations: look at the bytes before refusing.
  if (mediaType === '' || mediaType === 'application/octet-stream' || mediaType === 'binary/octet-stream' || mediaType === 'unknown/unknown') {
    if (looksBinary(body)) return 'binary';
    return looksLikeHtml(body) ? 'html' : 'text';
  }
  return 'binary';
}
