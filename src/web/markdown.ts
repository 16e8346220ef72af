// Renders a version's normalised Markdown for reading. The text is untrusted: raw HTML in it is shown as
// text (markdown-it escapes it with html: false), links keep only http(s)/mailto targets, images are not
// loaded (their alt text links to them instead), and headings are shifted under the page's own headings.
import MarkdownIt from 'markdown-it';
import { Html, escapeHtml, safeUrl } from './html.ts';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

md.validateLink = (url: string) => {
  const u = safeUrl(url);
  return u !== undefined && !u.startsWith('/');
};

md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx]!;
  const src = safeUrl(t.attrGet('src') ?? '');
  const alt = t.content || 'image';
  return src && !src.startsWith('/')
    ? `<a class="md-image" href="${escapeHtml(src)}" rel="nofollow noopener noreferrer">[${escapeHtml(alt)}]</a>`
    : `[${escapeHtml(alt)}]`;
};

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer ugc');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

md.renderer.rules.heading_open = (tokens, idx, options, env, self) => {
  const t = tokens[idx]!;
  const shift = (env as { headingShift?: number }).headingShift ?? 2;
  t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + shift)}`;
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_close = (tokens, idx, options, env, self) => {
  const t = tokens[idx]!;
  const shift = (env as { headingShift?: number }).headingShift ?? 2;
  t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + shift)}`;
  return self.renderToken(tokens, idx, options);
};

/** Safe HTML for a document text; `headingShift` moves a Markdown h1 down to h(1+shift). */
export function renderMarkdown(text: string, headingShift = 2): Html {
  return new Html(md.render(text, { headingShift }));
}
