// Markdown taken as-is from an imported dataset gets the same canonical form and the same link cleaning
// (tracking parameters, CDN signatures, link shims) as text our extractor produces, so per-fetch tokens in
// link targets do not show up as versions.
import { makeUrlResolver } from '../extract/urls.ts';
import { normaliseForComparison } from '../extract/index.ts';

// Open Terms Archive unwrapped Meta's link shims but kept their per-click token, even glued to a path:
// https://about.facebook.com/meta&e=AT0Ysg… or …?helpref=faq_content&e=AT0Ysg…
const SHIM_TOKEN = /[?&]e=AT[A-Za-z0-9_-]{10,}/g;

// [text](url) or ![alt](url "title"); the URL part stops at whitespace or the closing parenthesis.
const LINK = /(\]\()(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)((?:\s+"[^"\n]*")?\))/g;

export function cleanImportedMarkdown(markdown: string, baseUrl = 'https://example.invalid/', dropQueryParams: readonly string[] = []): string {
  const resolve = makeUrlResolver(baseUrl, dropQueryParams);
  const cleaned = markdown.replace(LINK, (whole, open: string, url: string, close: string) => {
    const bare = (url.startsWith('<') ? url.slice(1, -1) : url).replace(SHIM_TOKEN, '');
    if (!/^[a-z][a-z0-9+.-]*:/i.test(bare)) return bare === url ? whole : `${open}${bare}${close}`;
    const out = resolve(bare);
    return out === null ? whole : `${open}${out}${close}`;
  });
  return normaliseForComparison(cleaned);
}
