// Ready citations of a recorded version (or of one provision in it): plain text, Bluebook style
// (archive link in brackets, Rule 18.2.1), BibTeX, RIS and CSL-JSON. Each carries the record id,
// the retrieval date, the source URL, an archive URL and the SHA-256, so a reader can fetch the
// evidence bundle and check it. Pure functions of a CitationSource.

export const CITATION_FORMATS = ['text', 'bluebook', 'bibtex', 'ris', 'csl-json'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

export interface CitationSource {
  /** CW-V-… or CW-P-… */
  recordId: string;
  kind: 'version' | 'provision';
  /** The platform, as author and publisher. */
  platform: string;
  /** The document's title, e.g. "Privacy Policy". */
  title: string;
  /** For a provision: where it sits (section path) and its opening words. */
  provision?: { section?: string; excerpt?: string };
  /** The version's date: when this text was first recorded. */
  versionDate: Date;
  /** When the page was fetched (the retrieval date). */
  retrievedAt: Date;
  sourceUrl?: string;
  archiveUrl?: string;
  /** SHA-256 of the cited text (version text or provision text). */
  sha256: string;
  /** Who keeps the record; default "Clausewatch". */
  recordKeeper?: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
// The Bluebook's month abbreviations (T12).
const BLUEBOOK_MONTHS = ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const longDate = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
const bluebookDate = (d: Date) => `${BLUEBOOK_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();

function keeper(s: CitationSource): string {
  return s.recordKeeper ?? 'Clausewatch';
}

function provisionLabel(s: CitationSource): string | undefined {
  if (!s.provision) return undefined;
  const section = s.provision.section ? oneLine(s.provision.section) : undefined;
  const excerpt = s.provision.excerpt ? oneLine(s.provision.excerpt) : undefined;
  // Long excerpts end at a word, without trailing punctuation, before the ellipsis.
  const cut = excerpt && excerpt.length > 80 ? excerpt.slice(0, 78) : undefined;
  const short = cut ? `${(cut.includes(' ') ? cut.slice(0, cut.lastIndexOf(' ')) : cut).replace(/[\s,;:.]+$/, '')}…` : excerpt;
  if (section && short) return `§ ${section}: “${short}”`;
  if (section) return `§ ${section}`;
  return short ? `“${short}”` : undefined;
}

export function plainText(s: CitationSource): string {
  const label = provisionLabel(s);
  const parts = [
    `${oneLine(s.platform)}, “${oneLine(s.title)}”${label ? `, ${label}` : ''}, ${s.kind === 'provision' ? 'in the version' : 'version'} recorded ${longDate(s.versionDate)}.`,
    s.sourceUrl ? `Retrieved ${longDate(s.retrievedAt)} from ${s.sourceUrl}.` : `Retrieved ${longDate(s.retrievedAt)}.`,
    s.archiveUrl ? `Archived at ${s.archiveUrl}.` : undefined,
    `${keeper(s)} record ${s.recordId}, SHA-256 ${s.sha256}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

export function bluebook(s: CitationSource): string {
  const label = provisionLabel(s);
  const url = s.sourceUrl ? `, ${s.sourceUrl}` : '';
  const archive = s.archiveUrl ? ` [${s.archiveUrl}]` : '';
  return `${oneLine(s.platform)}, ${oneLine(s.title)}${label ? `, ${label}` : ''} (${bluebookDate(s.versionDate)})${url}${archive} (retrieved ${bluebookDate(s.retrievedAt)}; ${keeper(s)} record ${s.recordId}; SHA-256: ${s.sha256}).`;
}

/** TeX-escapes text for a BibTeX field (URLs go in \url{} or url fields, where only braces matter). */
function tex(s: string): string {
  return oneLine(s).replace(/[\\{}&%$#_^~]/g, (c) => ({ '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '^': '\\^{}', '~': '\\~{}' })[c]!);
}

function texUrl(u: string): string {
  return u.replace(/[{}\\]/g, (c) => encodeURIComponent(c));
}

export function bibtex(s: CitationSource): string {
  const label = provisionLabel(s);
  const d = s.versionDate;
  const fields: [string, string][] = [
    ['author', `{${tex(s.platform)}}`],
    ['title', `{${tex(s.title)}${label ? ` — ${tex(label)}` : ''}}`],
    ['year', String(d.getUTCFullYear())],
    ['month', BIBTEX_MONTHS[d.getUTCMonth()]!],
    ['date', ymd(d)],
  ];
  if (s.sourceUrl) fields.push(['url', texUrl(s.sourceUrl)], ['howpublished', `\\url{${texUrl(s.sourceUrl)}}`]);
  fields.push(['urldate', ymd(s.retrievedAt)]);
  const note = [
    `Retrieved ${ymd(s.retrievedAt)}`,
    s.archiveUrl ? `archived at \\url{${texUrl(s.archiveUrl)}}` : undefined,
    `${tex(keeper(s))} record ${s.recordId}`,
    `SHA-256 ${s.sha256}`,
  ].filter(Boolean);
  fields.push(['note', note.join('; ')]);
  const body = fields.map(([k, v]) => `  ${k} = ${k === 'month' ? v : `{${v}}`},`).join('\n');
  return `@misc{${s.recordId},\n${body}\n}`;
}

export function ris(s: CitationSource): string {
  const label = provisionLabel(s);
  const d = s.versionDate;
  const r = s.retrievedAt;
  const slash = (x: Date) => `${ymd(x).replace(/-/g, '/')}/`;
  const lines: [string, string][] = [
    ['TY', 'ELEC'],
    ['AU', s.platform],
    ['TI', s.title],
  ];
  if (label) lines.push(['T2', label]);
  lines.push(['PY', String(d.getUTCFullYear())], ['DA', slash(d)]);
  if (s.sourceUrl) lines.push(['UR', s.sourceUrl]);
  lines.push(['Y2', slash(r)], ['PB', s.platform], ['DB', keeper(s)], ['AN', s.recordId], ['ID', s.recordId]);
  lines.push(['N1', [s.archiveUrl ? `Archived at ${s.archiveUrl}` : undefined, `${keeper(s)} record ${s.recordId}`, `SHA-256 ${s.sha256}`].filter(Boolean).join('; ')]);
  lines.push(['ER', '']);
  // RIS: "TAG  - value", CR LF line ends.
  return lines.map(([k, v]) => `${k}  - ${oneLine(v)}`.trimEnd()).join('\r\n') + '\r\n';
}

const dateParts = (d: Date) => ({ 'date-parts': [[d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]] });

export function cslJson(s: CitationSource): Record<string, unknown>[] {
  const item: Record<string, unknown> = {
    id: s.recordId,
    type: 'webpage',
    title: oneLine(s.title),
    author: [{ literal: oneLine(s.platform) }],
    publisher: oneLine(s.platform),
    issued: dateParts(s.versionDate),
    accessed: dateParts(s.retrievedAt),
    number: s.recordId,
    note: `${keeper(s)} record ${s.recordId}; SHA-256 ${s.sha256}`,
  };
  const label = provisionLabel(s);
  if (label) item.section = label;
  if (s.sourceUrl) item.URL = s.sourceUrl;
  if (s.archiveUrl) {
    item.archive = 'Internet Archive Wayback Machine';
    item.archive_location = s.archiveUrl;
  }
  return [item];
}

export function formatCitation(s: CitationSource, format: CitationFormat): string {
  switch (format) {
    case 'text':
      return plainText(s);
    case 'bluebook':
      return bluebook(s);
    case 'bibtex':
      return bibtex(s);
    case 'ris':
      return ris(s);
    case 'csl-json':
      return JSON.stringify(cslJson(s), null, 2);
  }
}
