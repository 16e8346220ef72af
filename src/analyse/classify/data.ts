// Reads the labelled sets in shared/data into one shape, with labels mapped to our type ids through the
// taxonomy. Sorted by a stable key so that training never depends on file order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Taxonomy } from '../taxonomy.ts';

export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const DATA_DIR = path.join(SHARED_DIR, 'data/dev');

/** 'pseudo': an unlabelled corpus sentence labelled by an earlier model (self-training). */
export type Source = 'claudette' | 'tosdr' | 'privacyspy' | 'pseudo';

export interface Example {
  key: string;
  source: Source;
  text: string;
  /** Our type ids (mapped). */
  types: string[];
  /** Original labels of the source set. */
  labels: string[];
  /** Document (CLAUDETTE) or service/product (ToS;DR, PrivacySpy): the unit of group splits. */
  group: string;
  /** CLAUDETTE document fold 0-2. */
  fold?: number;
  sentIdx?: number;
  /** CLAUDETTE fairness level per category. */
  levels?: Record<string, string>;
  /** ToS;DR point whose service or text also appears in CLAUDETTE (excluded when testing on CLAUDETTE). */
  overlapsClaudette?: boolean;
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function mapAll(tax: Taxonomy, labels: string[]): string[] {
  return [...new Set(labels.flatMap((l) => tax.mapLabel(l)))].sort();
}

export function loadClaudette(tax: Taxonomy, dir = DATA_DIR): Example[] {
  return readJsonl(path.join(dir, 'claudette_en_dev.jsonl'))
    .map((o) => ({
      key: `claudette:${o.doc}:${String(o.sent_idx).padStart(5, '0')}`,
      source: 'claudette' as const,
      text: String(o.text ?? ''),
      labels: (o.labels as string[]) ?? [],
      types: mapAll(tax, (o.labels as string[]) ?? []),
      group: String(o.doc),
      fold: Number(o.fold),
      sentIdx: Number(o.sent_idx),
      levels: (o.levels as Record<string, string>) ?? {},
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function loadTosdr(tax: Taxonomy, dir = DATA_DIR): Example[] {
  return readJsonl(path.join(dir, 'tosdr_points_2021_dev.jsonl'))
    .map((o) => ({
      key: `tosdr:${o.service}:${String(o.point_id).padStart(8, '0')}`,
      source: 'tosdr' as const,
      text: String(o.text ?? ''),
      labels: (o.labels as string[]) ?? [],
      types: mapAll(tax, (o.labels as string[]) ?? []),
      group: String(o.service),
      overlapsClaudette: Boolean(o.overlaps_claudette) || Boolean(o.service_in_claudette),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function loadPrivacySpy(tax: Taxonomy, dir = DATA_DIR): Example[] {
  return readJsonl(path.join(dir, 'privacyspy_citations.jsonl'))
    .map((o) => ({
      key: `privacyspy:${o.source}`,
      source: 'privacyspy' as const,
      text: String(o.text ?? ''),
      labels: (o.labels as string[]) ?? [],
      types: mapAll(tax, (o.labels as string[]) ?? []),
      group: String(o.product),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function loadAll(tax: Taxonomy, dir = DATA_DIR): Example[] {
  return [...loadClaudette(tax, dir), ...loadTosdr(tax, dir), ...loadPrivacySpy(tax, dir)];
}
