// The page frame: skip link, header with navigation and search, one <main>, footer with attribution.
import { html, type Html, type Renderable } from '../html.ts';
import { paths } from '../paths.ts';

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  title: string;
  description?: string;
  crumbs?: Crumb[];
  feeds?: { title: string; href: string }[];
  /** Current section, for aria-current in the navigation. */
  section?: 'home' | 'platforms' | 'changes' | 'search' | 'status';
  body: Renderable;
  /** Search box value, when the page is a search. */
  query?: string;
}

let cssHref = '/static/style.css';
/** Set once at start-up: the stylesheet's URL carries its hash so it can be cached for a year. */
export function setStylesheet(href: string): void {
  cssHref = href;
}

function nav(section: PageOptions['section']): Html {
  const item = (key: NonNullable<PageOptions['section']>, href: string, label: string) =>
    html`<li><a href="${href}"${section === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="Main"><ul class="nav">
    ${item('home', paths.home(), 'Home')}
    ${item('platforms', paths.platforms(), 'Platforms')}
    ${item('changes', paths.changes(), 'Changes')}
    ${item('search', paths.search(), 'Search')}
    <li><a href="${paths.provisions()}">Provisions</a></li>
    <li><a href="${paths.clauseTypes()}">Clause types</a></li>
    ${item('status', paths.status(), 'Status')}
    <li><a href="${paths.api.openapi()}">API</a></li>
    <li><a href="/account">Account</a></li>
  </ul></nav>`;
}

function breadcrumbs(crumbs: Crumb[] | undefined): Html {
  if (!crumbs?.length) return html``;
  return html`<nav aria-label="Breadcrumb" class="crumbs"><ol>${crumbs.map((c, i) =>
    i === crumbs.length - 1 ? html`<li><span aria-current="page">${c.label}</span></li>` : html`<li><a href="${c.href ?? '#'}">${c.label}</a></li>`,
  )}</ol></nav>`;
}

export function page(o: PageOptions): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Clausewatch</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
<link rel="stylesheet" href="${cssHref}">
${(o.feeds ?? []).map((f) => html`<link rel="alternate" type="application/atom+xml" title="${f.title}" href="${f.href}">`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <div class="wrap head">
    <p class="brand"><a href="${paths.home()}">Clausewatch</a></p>
    ${nav(o.section)}
    <form class="quick-search" role="search" method="get" action="${paths.search()}">
      <label for="site-q" class="visually-hidden">Search document texts</label>
      <input id="site-q" name="q" type="search" placeholder="Search document texts" value="${o.query ?? ''}" maxlength="500">
      <button type="submit">Search</button>
    </form>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${breadcrumbs(o.crumbs)}
${o.body}
</main>
<footer class="site">
  <div class="wrap">
    <p>Clausewatch keeps every snapshot and version of the documents it tracks, each with its SHA-256.
    Record ids (<code>CW-…</code>) are permanent: <code>/r/<var>record-id</var></code> finds any record.</p>
    <p>Data: Open Terms Archive (opentermsarchive.org), ODC-By 1.0, where imported or sampled from it.
    <a href="${paths.api.openapi()}">JSON API (OpenAPI)</a> · <a href="${paths.feedChanges()}">Atom feed of changes</a></p>
  </div>
</footer>
</body>
</html>`}`;
}
