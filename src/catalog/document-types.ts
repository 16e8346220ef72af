// The document-type vocabulary, kept as data in document-types.yaml so that docs, importer and
// validator all read the same list.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface DocumentType {
  /** kebab-case id used in declarations. */
  id: string;
  title: string;
  description: string;
  /** Open Terms Archive terms-type names (and aliases) that import as this type. */
  ota: string[];
}

export const DOCUMENT_TYPES_FILE = new URL('./document-types.yaml', import.meta.url);

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function loadTypes(): DocumentType[] {
  const raw: unknown = parse(readFileSync(DOCUMENT_TYPES_FILE, 'utf8'));
  if (!Array.isArray(raw)) throw new Error('document-types.yaml: expected a list of types');
  const seen = new Set<string>();
  const seenOta = new Map<string, string>();
  return raw.map((entry: unknown, i: number): DocumentType => {
    const e = entry as Record<string, unknown>;
    const where = `document-types.yaml [${i}]`;
    const keys = Object.keys(e ?? {});
    const unknown = keys.filter((k) => !['id', 'title', 'description', 'ota'].includes(k));
    if (unknown.length) throw new Error(`${where}: unknown field ${unknown.join(', ')}`);
    const { id, title, description, ota } = e;
    if (typeof id !== 'string' || !KEBAB.test(id)) throw new Error(`${where}.id: must be kebab-case`);
    if (seen.has(id)) throw new Error(`${where}.id: duplicate id ${id}`);
    seen.add(id);
    if (typeof title !== 'string' || !title) throw new Error(`${where}.title: required`);
    if (typeof description !== 'string' || !description) throw new Error(`${where}.description: required`);
    if (!Array.isArray(ota) || !ota.every((n) => typeof n === 'string')) {
      throw new Error(`${where}.ota: must be a list of names`);
    }
    for (const name of ota as string[]) {
      const key = otaKey(name);
      const other = seenOta.get(key);
      // One OTA name mapping to two of our types would make imports depend on file order.
      if (other) throw new Error(`${where}.ota: "${name}" already maps to ${other}`);
      seenOta.set(key, id);
    }
    return { id, title, description, ota: ota as string[] };
  });
}

/** Case, punctuation and spacing vary between OTA datasets ("Comercial Terms", "Children's …"). */
function otaKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const DOCUMENT_TYPES: readonly DocumentType[] = Object.freeze(loadTypes());

const BY_ID = new Map(DOCUMENT_TYPES.map((t) => [t.id, t]));
const BY_OTA = new Map<string, DocumentType>();
for (const t of DOCUMENT_TYPES) {
  for (const name of t.ota) BY_OTA.set(otaKey(name), t);
  // The title is a name too: "Model Training Opt-out Help Article" should import as itself.
  if (!BY_OTA.has(otaKey(t.title))) BY_OTA.set(otaKey(t.title), t);
}

export function isDocumentType(id: string): boolean {
  return BY_ID.has(id);
}

export function getDocumentType(id: string): DocumentType | undefined {
  return BY_ID.get(id);
}

export function documentTypeIds(): string[] {
  return DOCUMENT_TYPES.map((t) => t.id);
}

export interface OtaTypeMapping {
  /** Our document-type id; 'other' when the name is not in the vocabulary. */
  type: string;
  /**
   * Display name to keep, set when the OTA name says more than our type's title (an alias, or an
   * unknown name), so nothing of the original naming is lost on import.
   */
  name?: string;
  /** False when the name fell back to 'other'. */
  known: boolean;
}

/** Maps an Open Terms Archive terms-type name to our vocabulary. Never throws. */
export function otaTypeToDocumentType(otaName: string): OtaTypeMapping {
  const original = typeof otaName === 'string' ? otaName.trim() : '';
  const found = BY_OTA.get(otaKey(original));
  if (!found) return { type: 'other', name: original || 'Unnamed document', known: false };
  if (otaKey(found.title) === otaKey(original)) return { type: found.id, known: true };
  return { type: found.id, name: original, known: true };
}
