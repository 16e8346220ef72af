// Cloudflare "email address obfuscation" rewrites every address with a fresh XOR key per response, so the
// stored HTML changes at every fetch although the address does not. Decoding restores the real address.

import { decodeHTML } from 'entities/decode';

const PROTECTED_PATH = '/cdn-cgi/l/email-protection';

/**
 * Decodes Cloudflare's hex form: first byte is the key, the rest are UTF-8 bytes XOR key. The result is the
 * HTML source Cloudflare replaced, so character references in it (sites that randomise entity encoding of
 * addresses, e.g. Open Collective) are decoded too.
 */
export function decodeCfEmail(hex: string): string | null {
  const h = hex.trim();
  if (h.length < 4 || h.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(h)) return null;
  const key = parseInt(h.slice(0, 2), 16);
  const bytes = new Uint8Array(h.length / 2 - 1);
  for (let i = 2, k = 0; i < h.length; i += 2, k++) bytes[k] = parseInt(h.slice(i, i + 2), 16) ^ key;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.indexOf('&') === -1 ? text : decodeHTML(text);
  } catch {
    return null;
  }
}

/**
 * For an href pointing at Cloudflare's email-protection page: the hex after `#`, or '' when the link has no
 * payload of its own (the address is then in a data-cfemail element inside); null for any other href.
 */
export function cfProtectedHrefPayload(href: string): string | null {
  const at = href.indexOf(PROTECTED_PATH);
  if (at === -1) return null;
  const hash = href.indexOf('#', at);
  return hash === -1 ? '' : href.slice(hash + 1);
}
