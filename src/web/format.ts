// Display helpers shared by templates: dates (always UTC, always with a machine-readable <time>), labels.
import { html, type Html } from './html.ts';
import { getDocumentType } from '../catalog/index.ts';

export function isoDay(d: Date | string | null | undefined): string {
  if (!d) return '';
  return new Date(d).toISOString().slice(0, 10);
}

export function isoMinute(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function iso(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}

export function time(d: Date | string | null | undefined, precision: 'day' | 'minute' = 'minute'): Html {
  if (!d) return html`<span class="muted">never</span>`;
  const date = new Date(d);
  return html`<time datetime="${date.toISOString()}">${precision === 'day' ? isoDay(date) : isoMinute(date)}</time>`;
}

export function typeTitle(type: string): string {
  return getDocumentType(type)?.title ?? type;
}

const KIND_LABELS: Record<string, string> = {
  first: 'first record',
  change: 'change',
  return: 'return to an earlier text',
  reextraction: 're-extraction (not a change at the source)',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

const OUTCOME_LABELS: Record<string, string> = {
  first: 'first record',
  changed: 'changed',
  unchanged: 'unchanged',
  returned: 'returned to an earlier text',
  suspect: 'held as suspect',
  failed: 'fetch failed',
  reextraction: 're-extracted',
};

export function outcomeLabel(outcome: string | null): string {
  return outcome ? (OUTCOME_LABELS[outcome] ?? outcome) : 'never captured';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}
