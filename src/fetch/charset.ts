// Turns body bytes into text the way a browser would, so the text we archive is the text readers saw.

export type CharsetSource = 'bom' | 'header' | 'meta' | 'default';

export interface DecodedText {
  text: string;
  /** WHATWG encoding name actually used, e.g. "windows-1252". */
  encoding: string;
  source: CharsetSource;
}

/** The WHATWG name for a label, or undefined when TextDecoder does not know it. Maps latin1/ascii to windows-1252. */
export function normaliseLabel(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const clean = label.trim().replace(/^["']|["']$/g, '');
  if (!clean) return undefined;
  try {
    return new TextDecoder(clean).encoding;
  } catch {
    return undefined;
  }
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType);
  return m?.[1] ? m[1].replace(/"/g, '') : undefined;
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** <meta charset>, <meta http-equiv=Content-Type content="...charset=">, or an XML declaration, in the first 4 KB. */
export function charsetFromMarkup(bytes: Uint8Array): string | undefined {
  // latin1 maps every byte to one char, so ASCII markup reads the same whatever the real encoding.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1').replace(/<!--[\s\S]*?-->/g, '');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml?.[1]) return xml[1];
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(tag);
    if (direct?.[1] && /^<meta\b[^>]*\scharset\s*=/i.test(tag)) return direct[1];
    if (/http-equiv\s*=\s*["']?\s*content-type/i.test(tag)) {
      const content = /\bcontent\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/i.exec(tag);
      const label = charsetFromContentType(content?.[1]?.replace(/^["']|["']$/g, ''));
      if (label) return label;
    }
  }
  return undefined;
}

/**
 * Encoding precedence follows the HTML standard: a byte-order mark wins (it cannot be there by accident), then the
 * Content-Type charset, then the document's own declaration, then UTF-8. Unknown labels are skipped, not fatal.
 */
export function decodeText(bytes: Uint8Array, contentType: string | undefined, isMarkup: boolean): DecodedText {
  let encoding = bomEncoding(bytes);
  let source: CharsetSource = 'bom';
  if (!encoding) {
    encoding = normaliseLabel(charsetFromContentType(contentType));
    source = 'header';
  }
  if (!encoding && isMarkup) {
    encoding = normaliseLabel(charsetFromMarkup(bytes));
    // A document that could declare itself in ASCII is not UTF-16 (HTML standard, "prescan").
    if (encoding === 'utf-16le' || encoding === 'utf-16be') encoding = 'utf-8';
    if (encoding === 'x-user-defined') encoding = 'windows-1252';
    source = 'meta';
  }
  if (!encoding || encoding === 'replacement') {
    encoding = 'utf-8';
    source = 'default';
  }
  return { text: decodeWith(encoding, bytes), encoding, source };
}

/** windows-1252 bytes 0x80-0x9F; undefined entries map to the C1 control of the same value, as in WHATWG. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/** Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (C1 controls instead of curly quotes and €), which
 *  would garble most legacy Western pages; that one encoding is decoded here. */
export function decodeWith(encoding: string, bytes: Uint8Array): string {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding).decode(bytes);
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes = Array.from(bytes.subarray(i, i + CHUNK), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}
