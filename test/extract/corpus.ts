// Reads the shared snapshot corpus (Data: Open Terms Archive, https://opentermsarchive.org, ODC-By 1.0):
// every snapshot with the declaration in force when it was fetched and its text_state label.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Selection } from '../../src/domain/types.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const snapshotsDir = path.join(path.resolve(repoRoot, '../shared'), 'corpus', 'snapshots');

export interface Snapshot {
  folder: string;
  file: string;
  path: string;
  date: string;
  textState: string;
  role: string;
  declaration: string;
  url: string;
  select?: Selection;
  remove?: Selection;
}

interface Meta {
  declarations: { id: string; source_document: { fetch: string; select?: Selection; remove?: Selection } }[];
}

export function corpusFolders(): string[] {
  const out: string[] = [];
  for (const service of readdirSync(snapshotsDir).sort()) {
    for (const doc of readdirSync(path.join(snapshotsDir, service)).sort()) out.push(`${service}/${doc}`);
  }
  return out;
}

export function loadFolder(folder: string): Snapshot[] {
  const dir = path.join(snapshotsDir, folder);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const [header, ...rows] = readFileSync(path.join(dir, 'manifest.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header!.split('\t');
  const col = (name: string): number => cols.indexOf(name);
  return rows.map((row) => {
    const f = row.split('\t');
    const declId = f[col('declaration')]!;
    const decl = meta.declarations.find((d) => d.id === declId)!.source_document;
    return {
      folder,
      file: f[col('file')]!,
      path: path.join(dir, f[col('file')]!),
      date: f[col('date')]!,
      textState: f[col('text_state')]!,
      role: f[col('role')] ?? '',
      declaration: declId,
      url: decl.fetch,
      select: decl.select,
      remove: decl.remove,
    };
  });
}

export function loadCorpus(): Snapshot[] {
  return corpusFolders().flatMap(loadFolder);
}

export function readSnapshot(s: Snapshot): string {
  return readFileSync(s.path, 'utf8');
}
