// Loads and validates the clause taxonomy (taxonomy/*.yaml). The taxonomy is data so that lawyers and
// reviewers can change it without touching code; this loader refuses data that would break the product
// (unknown references, bad ids, missing fields) instead of letting it surface later as wrong output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TAXONOMY_DIR = path.join(REPO_ROOT, 'taxonomy');

export type Polarity = 'protects' | 'harms' | 'neutral';
export type Severity = 'high' | 'medium' | 'low' | 'positive';
export type Relation = 'DR' | 'MR';

export const REQUIRED_AI_TYPES = [
  'ai-training-on-user-content',
  'ai-training-opt-out',
  'ai-training-plans-excluded',
  'ai-training-feedback',
  'ai-training-flagged-content',
  'ai-human-review',
  'ai-training-public-data',
  'ai-retention-prompts',
] as const;

export interface Category {
  id: string;
  title: string;
}

export interface RegulationRef {
  ref: string;
  articles?: string[];
  relation: Relation;
}

export interface ClauseType {
  id: string;
  category: string;
  title: string;
  question: string;
  polarity: Polarity;
  defaultSeverity: Severity;
  consumerImpact: string;
  actions: string[];
  regulations: RegulationRef[];
  regulators: string[];
  equivalents: { claudette: string[]; tosdr: string[]; privacyspy?: string[] };
}

/** `confirmed: false` = the reference marks it unconfirmed; `secondary: true` = (sec.). Never drop these. */
export interface Marked {
  confirmed: boolean;
  secondary: boolean;
}

export interface Article extends Marked {
  id: string;
  summary: string;
}

export interface Instrument extends Marked {
  id: string;
  name: string;
  jurisdiction: string;
  sources: string[];
  note?: string;
  articles: Article[];
}

export interface ComplaintUrl extends Marked {
  url: string;
}

export interface Regulator extends Marked {
  id: string;
  name: string;
  jurisdiction: string;
  complaint: ComplaintUrl[];
  complaintNote?: string;
  takes: string;
}

export interface Regulations {
  instruments: Instrument[];
  regulators: Regulator[];
}

export interface UnmappedLabel {
  label: string;
  reason: string;
}

export interface Taxonomy {
  categories: Category[];
  types: ClauseType[];
  byId: Map<string, ClauseType>;
  regulations: Regulations;
  instrumentsById: Map<string, Instrument>;
  regulatorsById: Map<string, Regulator>;
  unmapped: { claudette: UnmappedLabel[]; tosdr: UnmappedLabel[] };
  /** Our type ids for a label: a type id, a CLAUDETTE category, a ToS;DR case title or a PrivacySpy `question=option`. */
  mapLabel(label: string): string[];
}

export class TaxonomyError extends Error {}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const POLARITIES = new Set(['protects', 'harms', 'neutral']);
const SEVERITIES = new Set(['high', 'medium', 'low', 'positive']);

function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'));
}

function fail(where: string, msg: string): never {
  throw new TaxonomyError(`${where}: ${msg}`);
}

function str(v: unknown, where: string, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(where, `"${field}" must be a non-empty string`);
  return v;
}

function strList(v: unknown, where: string, field: string, allowEmpty = true): string[] {
  if (v === undefined && allowEmpty) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    fail(where, `"${field}" must be a list of non-empty strings`);
  }
  if (!allowEmpty && v.length === 0) fail(where, `"${field}" must not be empty`);
  return v as string[];
}

function marks(o: Record<string, unknown>, where: string): Marked {
  if (typeof o.confirmed !== 'boolean') fail(where, '"confirmed" must be true or false');
  if (typeof o.secondary !== 'boolean') fail(where, '"secondary" must be true or false');
  return { confirmed: o.confirmed, secondary: o.secondary };
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be a mapping');
  return v as Record<string, unknown>;
}

export function parseRegulations(raw: unknown): Regulations {
  const root = obj(raw, 'regulations.yaml');
  if (!Array.isArray(root.instruments) || !Array.isArray(root.regulators)) {
    fail('regulations.yaml', 'needs "instruments" and "regulators" lists');
  }
  const seen = new Set<string>();
  const instruments = root.instruments.map((x, i): Instrument => {
    const o = obj(x, `regulations.yaml instruments[${i}]`);
    const id = str(o.id, `instruments[${i}]`, 'id');
    const where = `regulations.yaml instrument ${id}`;
    if (!KEBAB.test(id)) fail(where, 'id must be kebab-case');
    if (seen.has(id)) fail(where, 'duplicate id');
    seen.add(id);
    const arts = Array.isArray(o.articles) ? o.articles : fail(where, '"articles" must be a list');
    const artIds = new Set<string>();
    return {
      id,
      name: str(o.name, where, 'name'),
      jurisdiction: str(o.jurisdiction, where, 'jurisdiction'),
      ...marks(o, where),
      sources: strList(o.sources, where, 'sources'),
      ...(typeof o.note === 'string' ? { note: o.note } : {}),
      articles: arts.map((a, j): Article => {
        const ao = obj(a, `${where} articles[${j}]`);
        const aid = str(ao.id, `${where} articles[${j}]`, 'id');
        if (artIds.has(aid)) fail(where, `duplicate article ${aid}`);
        artIds.add(aid);
        return { id: aid, summary: str(ao.summary, `${where} ${aid}`, 'summary'), ...marks(ao, `${where} ${aid}`) };
      }),
    };
  });
  const regulators = root.regulators.map((x, i): Regulator => {
    const o = obj(x, `regulations.yaml regulators[${i}]`);
    const id = str(o.id, `regulators[${i}]`, 'id');
    const where = `regulations.yaml regulator ${id}`;
    if (!KEBAB.test(id)) fail(where, 'id must be kebab-case');
    if (seen.has(id)) fail(where, 'duplicate id (instrument and regulator ids share one namespace)');
    seen.add(id);
    const complaint = Array.isArray(o.complaint) ? o.complaint : fail(where, '"complaint" must be a list');
    return {
      id,
      name: str(o.name, where, 'name'),
      jurisdiction: str(o.jurisdiction, where, 'jurisdiction'),
      ...marks(o, where),
      complaint: complaint.map((c, j): ComplaintUrl => {
        const co = obj(c, `${where} complaint[${j}]`);
        const url = str(co.url, `${where} complaint[${j}]`, 'url');
        if (!/^https:\/\/[^\s]+$/.test(url)) fail(where, `complaint URL must be https: ${url}`);
        return { url, ...marks(co, `${where} ${url}`) };
      }),
      ...(typeof o.complaintNote === 'string' ? { complaintNote: o.complaintNote } : {}),
      takes: str(o.takes, where, 'takes'),
    };
  });
  return { instruments, regulators };
}

function parseTypes(raw: unknown): { categories: Category[]; types: ClauseType[] } {
  const root = obj(raw, 'clause-types.yaml');
  if (!Array.isArray(root.categories) || !Array.isArray(root.types)) {
    fail('clause-types.yaml', 'needs "categories" and "types" lists');
  }
  const categories = root.categories.map((c, i): Category => {
    const o = obj(c, `categories[${i}]`);
    return { id: str(o.id, `categories[${i}]`, 'id'), title: str(o.title, `categories[${i}]`, 'title') };
  });
  const types = root.types.map((t, i): ClauseType => {
    const o = obj(t, `types[${i}]`);
    const id = str(o.id, `types[${i}]`, 'id');
    const where = `clause type ${id}`;
    if (!KEBAB.test(id)) fail(where, 'id must be kebab-case');
    const polarity = str(o.polarity, where, 'polarity');
    if (!POLARITIES.has(polarity)) fail(where, `polarity must be one of ${[...POLARITIES].join(', ')}`);
    const sev = str(o.defaultSeverity, where, 'defaultSeverity');
    if (!SEVERITIES.has(sev)) fail(where, `defaultSeverity must be one of ${[...SEVERITIES].join(', ')}`);
    if (polarity === 'protects' && sev !== 'positive') fail(where, 'a protective type must have severity positive');
    if (polarity !== 'protects' && sev === 'positive') fail(where, 'only protective types may have severity positive');
    const regs = Array.isArray(o.regulations) ? o.regulations : fail(where, '"regulations" must be a list');
    const eq = obj(o.equivalents, `${where} equivalents`);
    return {
      id,
      category: str(o.category, where, 'category'),
      title: str(o.title, where, 'title'),
      question: str(o.question, where, 'question'),
      polarity: polarity as Polarity,
      defaultSeverity: sev as Severity,
      consumerImpact: str(o.consumerImpact, where, 'consumerImpact'),
      actions: strList(o.actions, where, 'actions', false),
      regulations: regs.map((r, j): RegulationRef => {
        const ro = obj(r, `${where} regulations[${j}]`);
        const relation = str(ro.relation, `${where} regulations[${j}]`, 'relation');
        if (relation !== 'DR' && relation !== 'MR') fail(where, `relation must be DR or MR, got ${relation}`);
        const articles = ro.articles === undefined ? undefined : strList(ro.articles, where, 'articles');
        return { ref: str(ro.ref, `${where} regulations[${j}]`, 'ref'), ...(articles ? { articles } : {}), relation };
      }),
      regulators: strList(o.regulators, where, 'regulators'),
      equivalents: {
        claudette: strList(eq.claudette, where, 'equivalents.claudette'),
        tosdr: strList(eq.tosdr, where, 'equivalents.tosdr'),
        ...(eq.privacyspy !== undefined ? { privacyspy: strList(eq.privacyspy, where, 'equivalents.privacyspy') } : {}),
      },
    };
  });
  return { categories, types };
}

function parseUnmapped(raw: unknown): Taxonomy['unmapped'] {
  const root = obj(raw ?? {}, 'unmapped.yaml');
  const list = (v: unknown, name: string): UnmappedLabel[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) fail('unmapped.yaml', `"${name}" must be a list`);
    return v.map((x, i) => {
      const o = obj(x, `unmapped.yaml ${name}[${i}]`);
      return { label: str(o.label, `unmapped ${name}[${i}]`, 'label'), reason: str(o.reason, `unmapped ${name}[${i}]`, 'reason') };
    });
  };
  return { claudette: list(root.claudette, 'claudette'), tosdr: list(root.tosdr, 'tosdr') };
}

/** Builds and cross-checks a taxonomy from already-parsed YAML documents (exported for tests of bad data). */
export function buildTaxonomy(typesRaw: unknown, regulationsRaw: unknown, unmappedRaw: unknown): Taxonomy {
  const { categories, types } = parseTypes(typesRaw);
  const regulations = parseRegulations(regulationsRaw);
  const unmapped = parseUnmapped(unmappedRaw);
  const catIds = new Set(categories.map((c) => c.id));
  const instrumentsById = new Map(regulations.instruments.map((i) => [i.id, i]));
  const regulatorsById = new Map(regulations.regulators.map((r) => [r.id, r]));
  const byId = new Map<string, ClauseType>();
  const labelMap = new Map<string, Set<string>>();
  const addLabel = (label: string, id: string) => {
    const key = label.trim();
    let s = labelMap.get(key);
    if (!s) labelMap.set(key, (s = new Set()));
    s.add(id);
  };
  const tosdrOwner = new Map<string, string>();
  for (const t of types) {
    const where = `clause type ${t.id}`;
    if (byId.has(t.id)) fail(where, 'duplicate id');
    byId.set(t.id, t);
    if (!catIds.has(t.category)) fail(where, `unknown category ${t.category}`);
    for (const r of t.regulations) {
      const inst = instrumentsById.get(r.ref);
      if (!inst) fail(where, `regulation ${r.ref} is not an instrument in regulations.yaml`);
      for (const a of r.articles ?? []) {
        if (!inst.articles.some((x) => x.id === a)) fail(where, `article ${a} is not listed under ${r.ref}`);
      }
    }
    for (const g of t.regulators) if (!regulatorsById.has(g)) fail(where, `regulator ${g} is not in regulations.yaml`);
    for (const c of t.equivalents.tosdr) {
      const prev = tosdrOwner.get(c);
      if (prev) fail(where, `ToS;DR case "${c}" is already mapped to ${prev}`);
      tosdrOwner.set(c, t.id);
    }
    addLabel(t.id, t.id);
    for (const l of [...t.equivalents.claudette, ...t.equivalents.tosdr, ...(t.equivalents.privacyspy ?? [])]) addLabel(l, t.id);
  }
  for (const u of unmapped.tosdr) if (tosdrOwner.has(u.label)) fail('unmapped.yaml', `"${u.label}" is also mapped to ${tosdrOwner.get(u.label)}`);
  for (const id of REQUIRED_AI_TYPES) if (!byId.has(id)) fail('clause-types.yaml', `required AI type ${id} is missing`);
  return {
    categories,
    types,
    byId,
    regulations,
    instrumentsById,
    regulatorsById,
    unmapped,
    mapLabel: (label: string) => [...(labelMap.get(String(label).trim()) ?? [])].sort(),
  };
}

const cache = new Map<string, Taxonomy>();

/** Loads taxonomy/clause-types.yaml, regulations.yaml and unmapped.yaml from `dir` (default: the repo's taxonomy/). */
export function loadTaxonomy(dir: string = TAXONOMY_DIR): Taxonomy {
  const key = path.resolve(dir);
  const hit = cache.get(key);
  if (hit) return hit;
  const tax = buildTaxonomy(
    readYaml(path.join(key, 'clause-types.yaml')),
    readYaml(path.join(key, 'regulations.yaml')),
    readYaml(path.join(key, 'unmapped.yaml')),
  );
  cache.set(key, tax);
  return tax;
}

/** The regulations (by instrument id, the strongest relation and the articles named) and regulators of these clause types. */
export function regulationsConcerning(tax: Taxonomy, typeIds: readonly string[]): { refs: Map<string, { relation: 'DR' | 'MR'; articles: Set<string> }>; regulators: string[] } {
  const refs = new Map<string, { relation: 'DR' | 'MR'; articles: Set<string> }>();
  const regulators: string[] = [];
  for (const id of typeIds) {
    const t = tax.byId.get(id);
    if (!t) continue;
    for (const r of t.regulations) {
      const e = refs.get(r.ref) ?? { relation: r.relation, articles: new Set<string>() };
      if (r.relation === 'DR') e.relation = 'DR';
      for (const a of r.articles ?? []) e.articles.add(a);
      refs.set(r.ref, e);
    }
    for (const g of t.regulators) if (!regulators.includes(g)) regulators.push(g);
  }
  return { refs, regulators };
}
