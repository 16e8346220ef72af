// Link targets in the Markdown: absolute, and without the per-visit tracking and signing parameters that
// would otherwise make every fetch look like a new version.

/**
 * Parameters that identify a visit or a campaign, never the document: analytics and ad click ids, mailing-list
 * ids, CDN signatures. Globs with `*`; matched case-insensitively.
 */
export const BUILT_IN_DROPPED_PARAMS: readonly string[] = [
  'utm_*', 'pk_*', 'mtm_*', 'hsa_*', '_nc_*',
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id',
  'mc_cid', 'mc_eid', 'igshid', 'igsh', '_ga', '_gl', '_hsenc', '_hsmi', '__hstc', '__hssc', '__hsfp',
  'hsctatracking', 'mkt_tok', 'oly_anon_id', 'oly_enc_id', 'vero_id', 'vero_conv', 'wickedid', 'rb_clickid', 's_cid',
  'ref_src', '_branch_match_id', 'landing_url',
];

/** Facebook/Instagram CDN URLs carry per-request signatures and build revisions besides `_nc_*`. */
const META_CDN_PARAMS = new Set(['oh', 'oe', 'ccb', 'stp', 'efg', 'revision']);
const META_CDN_HOST = /(^|\.)(fbcdn\.net|cdninstagram\.com)$/;

/** Link shims that wrap the real target in a parameter next to a per-click token. */
const SHIMS: { host: RegExp; path: RegExp; param: string }[] = [
  { host: /^(l|lm)\.(facebook|instagram|messenger)\.com$/, path: /^\/(l\.php)?$/, param: 'u' },
  { host: /^l\.threads\.(net|com)$/, path: /^\/$/, param: 'u' },
  { host: /^(www\.)?google\.[a-z.]+$/, path: /^\/url$/, param: 'q' },
];

const DROPPED_SCHEMES = /^\s*(javascript|vbscript|data|blob):/i;

function globToRegExp(globs: readonly string[]): RegExp | null {
  if (globs.length === 0) return null;
  const parts = globs.map((g) => g.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${parts.join('|')})$`, 'i');
}

export type UrlResolver = (href: string) => string | null;

/**
 * Returns a function turning an href into the absolute, cleaned URL written in the Markdown, or null when the
 * link should be dropped (script URLs, unparseable hrefs).
 */
export function makeUrlResolver(baseUrl: string, dropQueryParams: readonly string[] = []): UrlResolver {
  let base: URL | undefined;
  try {
    base = new URL(baseUrl);
  } catch {
    base = undefined;
  }
  const builtIn = globToRegExp(BUILT_IN_DROPPED_PARAMS)!;
  const declared = globToRegExp(dropQueryParams);
  const cache = new Map<string, string | null>();

  const dropName = (name: string, host: string): boolean =>
    builtIn.test(name) || (declared !== null && declared.test(name)) || (META_CDN_PARAMS.has(name) && META_CDN_HOST.test(host));

  const clean = (url: URL, depth: number): URL => {
    if (depth < 2 && url.search) {
      for (const shim of SHIMS) {
        if (shim.host.test(url.hostname) && shim.path.test(url.pathname)) {
          const target = url.searchParams.get(shim.param);
          if (target) {
            try {
              return clean(new URL(target), depth + 1);
            } catch {
              break;
            }
          }
        }
      }
    }
    if (url.search.length > 1) {
      // Filter the raw query so that kept parameters keep their exact encoding.
      const kept: string[] = [];
      let dropped = false;
      for (const part of url.search.slice(1).split('&')) {
        if (part === '') {
          dropped = true;
          continue;
        }
        const eq = part.indexOf('=');
        let name = eq === -1 ? part : part.slice(0, eq);
        try {
          name = decodeURIComponent(name.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        if (dropName(name, url.hostname)) dropped = true;
        else kept.push(part);
      }
      if (dropped) url.search = kept.length ? `?${kept.join('&')}` : '';
    }
    return url;
  };

  return (href: string): string | null => {
    const cached = cache.get(href);
    if (cached !== undefined) return cached;
    let out: string | null = null;
    if (!DROPPED_SCHEMES.test(href)) {
      try {
        const url = clean(new URL(href.trim(), base), 0);
        // Parentheses would end the Markdown link destination early.
        out = url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
      } catch {
        out = null;
      }
    }
    cache.set(href, out);
    return out;
  };
}
