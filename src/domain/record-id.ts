// Human-citable record ids, computed here and nowhere else. Ids come from never-reused database sequences,
// so a record id is never given to two records.
export const RECORD_KINDS = {
  PL: 'platform',
  D: 'document',
  V: 'version',
  S: 'snapshot',
  C: 'capture',
  P: 'provision',
} as const;
export type RecordPrefix = keyof typeof RECORD_KINDS;
export type RecordKind = (typeof RECORD_KINDS)[RecordPrefix];

const PREFIX_OF = Object.fromEntries(Object.entries(RECORD_KINDS).map(([p, k]) => [k, p])) as Record<RecordKind, RecordPrefix>;

export function recordId(kind: RecordKind, id: number): string {
  return `CW-${PREFIX_OF[kind]}-${String(id).padStart(6, '0')}`;
}

export function parseRecordId(text: string): { kind: RecordKind; id: number } | undefined {
  const m = /^CW-(PL|D|V|S|C|P)-(\d{1,12})$/i.exec(text.trim());
  if (!m) return undefined;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  return { kind: RECORD_KINDS[m[1]!.toUpperCase() as RecordPrefix], id };
}
