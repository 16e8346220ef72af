// Auto-escaping HTML templates: every interpolated value is escaped unless it is already Html, which only
// this module (and the Markdown renderer, which escapes its input itself) can make. Fetched document text
// is untrusted, so nothing reaches a page without going through here.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Control characters other than tab, newline and carriage return are invalid in XML (Atom) and useless in HTML.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeHtml(text: string): string {
  return text.replace(CONTROL, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Renderable = Html | string | number | boolean | null | undefined | Date | readonly Renderable[];

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (Array.isArray(value)) return value.map(render).join('');
  throw new TypeError(`html: cannot render ${Object.prototype.toString.call(value)}`);
}

/** Tagged template: html`<p>${untrusted}</p>` escapes `untrusted`. Attribute values must be quoted in the template. */
export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup that is a constant of our own code (never data). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

export function join(parts: readonly Renderable[], separator: Renderable = ''): Html {
  const sep = render(separator);
  return new Html(parts.map(render).join(sep));
}

/**
 * A URL that is safe in href/src: http(s) and mailto absolute URLs, or a path on this site. Anything else
 * (javascript:, data:, protocol-relative //host) becomes undefined so callers render plain text instead.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.trim();
  if (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\')) return u;
  try {
    const parsed = new URL(u);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:') return parsed.href;
  } catch {
    /* not a URL */
  }
  return undefined;
}
