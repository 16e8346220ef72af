// Renders the document-type vocabulary as the Markdown table of docs/declarations.md.
// Run `node --import tsx src/catalog/document-types-table.ts --write` after editing
// document-types.yaml; a test fails while the doc and the data disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_TYPES } from './document-types.ts';

export const TABLE_START = '<!-- document-types:start (generated from src/catalog/document-types.yaml) -->';
export const TABLE_END = '<!-- document-types:end -->';
export const DECLARATIONS_DOC = new URL('../../docs/declarations.md', import.meta.url);

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderDocumentTypesTable(): string {
  const rows = DOCUMENT_TYPES.map(
    (t) =>
      `| \`${t.id}\` | ${cell(t.title)} | ${cell(t.description)} | ${t.ota.length ? cell(t.ota.join(', ')) : '—'} |`,
  );
  return ['| id | title | description | Open Terms Archive names |', '|---|---|---|---|', ...rows].join('\n');
}

/** The table currently in `doc` between the markers, or undefined if the markers are missing. */
export function tableInDoc(doc: string): string | undefined {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return doc.slice(start + TABLE_START.length, end).trim();
}

export function withTable(doc: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/declarations.md: document-types markers not found');
  return `${doc.slice(0, start + TABLE_START.length)}\n${renderDocumentTypesTable()}\n${doc.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  writeFileSync(DECLARATIONS_DOC, withTable(readFileSync(DECLARATIONS_DOC, 'utf8')));
}
