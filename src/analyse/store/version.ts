// Analysis of one recorded version, stored in one transaction: its provisions (with identities carried over
// from the previous analysed version of the document), the clause types of texts not seen before, and the
// change against the previous version. The version_analysis row is written last, so its presence means done.
import type { Db, Queryable } from '../../store/db.ts';
import { splitProvisions, type Provision } from '../provisions/index.ts';
import { analyseChange, type ChangeAnalysis } from '../changes/index.ts';
import { sha256Hex } from '../../record/hash.ts';
import { documentLanguage, notAnalysedNote, notClassified, type ClauseAnalyser, type ClauseResult } from './clauses.ts';
import { logProvisionTexts } from './evidence.ts';
import { forComparison } from './bounds.ts';

export interface StoredProvision extends Provision {
  provisionId: number;
  textId: number;
  result: ClauseResult;
}

export interface VersionMeta {
  id: number;
  document_id: number;
  platform_id: number;
  recorded_at: Date;
  kind: 'first' | 'change' | 'return' | 'reextraction';
  previous_id: number | null;
  returns_to_id: number | null;
  text_sha256: string;
}

export interface AnalyseContext {
  analyser: ClauseAnalyser;
  /** Re-run: stored classifications made by another model are redone. */
  reclassify?: boolean;
  /** The provisions of the version analysed last, so a batch does not read them back. */
  last?: { versionId: number; provisions: StoredProvision[] };
}

export type VersionStatus = 'analysed' | 'not-analysed' | 'empty' | 'failed';

export interface VersionOutcome {
  versionId: number;
  /** True when the version had been analysed already: nothing was written. */
  skipped: boolean;
  status?: VersionStatus;
  provisions?: number;
  /** Texts that went through the classifier for this version (0 for a return to an earlier text). */
  classified?: number;
  material?: boolean | null;
  summary?: string;
  ms?: number;
}

export const VERSION_SELECT = `SELECT v.id, v.document_id, d.platform_id, v.recorded_at, v.kind, v.previous_id, v.returns_to_id, v.text_sha256
  FROM versions v JOIN documents d ON d.id = v.document_id`;

interface ProvisionRow {
  ordinal: number;
  provision_id: number;
  text_id: number;
  key: string;
  body: string;
  section: string[];
  kind: Provision['kind'];
  columns: string[] | null;
  language: string;
  analysed: boolean;
  types: { id: string; score: number }[];
  severity: ClauseResult['severity'];
  severity_reasons: string[];
}

/** A version's stored provisions in document order, lineage set to the provision id. */
export async function loadVersionProvisions(q: Queryable, versionId: number): Promise<StoredProvision[]> {
  const rows = await q.query<ProvisionRow>(
    `SELECT vp.ordinal, vp.provision_id, vp.text_id, t.key, t.body, t.section, t.kind, t.columns, t.language, t.analysed, t.types, t.severity, t.severity_reasons
     FROM version_provisions vp JOIN provision_texts t ON t.id = vp.text_id WHERE vp.version_id = $1 ORDER BY vp.ordinal`,
    [versionId],
  );
  return rows.map((r) => ({
    key: r.key,
    section: r.section,
    kind: r.kind,
    text: r.body,
    ordinal: r.ordinal,
    lineage: String(r.provision_id),
    ...(r.columns ? { columns: r.columns } : {}),
    provisionId: Number(r.provision_id),
    textId: Number(r.text_id),
    result: { language: r.language, analysed: r.analysed, types: r.types ?? [], severity: r.severity, severityReasons: r.severity_reasons ?? [] },
  }));
}

/** The version this one is compared with: its recorded predecessor if analysed, else the latest analysed before it. */
async function previousAnalysed(q: Queryable, v: VersionMeta): Promise<number | undefined> {
  const rows = await q.query<{ version_id: number }>(
    `SELECT version_id FROM version_analysis WHERE document_id = $1 AND version_id < $2 AND status <> 'failed'
     ORDER BY (version_id = $3) DESC, version_id DESC LIMIT 1`,
    [v.document_id, v.id, v.previous_id ?? 0],
  );
  return rows[0] ? Number(rows[0].version_id) : undefined;
}

interface Assigned {
  p: Provision;
  provisionId: number;
  textId?: number;
  /** The same provision in the previous version, if it was there. */
  before?: StoredProvision;
  created: boolean;
}

/**
 * Analyses one version and stores the result in one transaction. Idempotent: a version already analysed
 * is skipped. Older unanalysed versions of the document must have been analysed first (see pending.ts).
 */
export async function analyseOne(db: Db, v: VersionMeta, ctx: AnalyseContext): Promise<VersionOutcome> {
  const started = performance.now();
  const body = (await db.query<{ body: string }>('SELECT body FROM texts WHERE sha256 = $1', [v.text_sha256]))[0]?.body ?? '';
  const lang = documentLanguage(body);
  const classifiedBefore = ctx.analyser.classified;

  const out = await db.transaction(async (tx) => {
    // One analysis of a document at a time (and none while one of its captures is being written).
    await tx.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [v.document_id]);
    if ((await tx.query('SELECT 1 FROM version_analysis WHERE version_id = $1', [v.id])).length) return null;
    const prevId = await previousAnalysed(tx, v);
    const prev = prevId === undefined ? [] : ctx.last?.versionId === prevId ? ctx.last.provisions : await loadVersionProvisions(tx, prevId);

    let reuseFrom: number | undefined;
    if (v.kind === 'return' && v.returns_to_id) {
      const r = await tx.query<{ status: string }>('SELECT status FROM version_analysis WHERE version_id = $1', [v.returns_to_id]);
      if (r[0] && r[0].status !== 'failed') reuseFrom = Number(v.returns_to_id);
    }
    const reused = reuseFrom !== undefined ? await loadVersionProvisions(tx, reuseFrom) : undefined;
    const next: Provision[] = reused ?? splitProvisions(body);

    // Clause results by text: known ones from the previous version, then stored ones, then the classifier.
    const results = new Map<string, ClauseResult>();
    for (const p of prev) results.set(p.text, p.result);
    for (const p of reused ?? []) results.set(p.text, p.result);
    await classifyMissing(tx, next.map((p) => p.text), results, lang, ctx);
    const lookup = (texts: string[]) => texts.map((t) => results.get(t) ?? { types: [] });

    let change: ChangeAnalysis | undefined;
    if (prevId !== undefined) {
      // Giant provisions are compared through stand-ins (bounds.ts); their keys, hence identities, are their own.
      const stand = (p: Provision) => {
        const s = forComparison(p);
        if (s !== p) results.set(s.text, results.get(p.text)!);
        return s;
      };
      change = analyseChange(prev.map(stand), next.map(stand), lookup, { minScore: 0, typeTitle: (id) => ctx.analyser.typeTitle(id) });
    }

    const prevById = new Map(prev.map((p) => [p.provisionId, p]));
    const assigned = reused
      ? reused.map((p): Assigned => ({ p, provisionId: p.provisionId, textId: p.textId, created: false }))
      : await assignProvisions(tx, v, prev, next, change);
    for (const a of assigned) a.before ??= prevById.get(a.provisionId);

    const newTextIds = await resolveTexts(tx, v, assigned, results, ctx);

    const stored: StoredProvision[] = assigned.map((a, i) => ({ ...a.p, ordinal: i, lineage: String(a.provisionId), provisionId: a.provisionId, textId: a.textId!, result: results.get(a.p.text)! }));
    await tx.query(
      `INSERT INTO version_provisions (version_id, ordinal, provision_id, text_id)
       SELECT $1, o, p, t FROM unnest($2::int[], $3::int[], $4::int[]) AS u(o, p, t)`,
      [v.id, stored.map((s) => s.ordinal), stored.map((s) => s.provisionId), stored.map((s) => s.textId)],
    );
    await updateProvisionState(tx, v, assigned, prev);
    const changeCounts = await insertChanges(tx, v, change, prev, stored, assigned);

    const status: VersionStatus = next.length === 0 ? 'empty' : lang.analysable ? 'analysed' : 'not-analysed';
    const note = status === 'empty' ? 'empty: no text to analyse' : status === 'not-analysed' ? notAnalysedNote(lang.language) : null;
    const sourceChange = v.kind !== 'reextraction';
    const typed = stored.filter((s) => s.result.types.length > 0).length;
    let summary: string;
    if (!change) summary = `First version: ${stored.length} provisions${lang.analysable ? `, ${typed} with clause types` : ''}`;
    else summary = change.summary;
    if (!sourceChange) summary = `Re-extraction, not a change at the source: ${summary}`;
    if (note && status === 'not-analysed') summary = `${summary} (${note})`;
    const classified = ctx.analyser.classified - classifiedBefore;
    const ms = Math.round(performance.now() - started);
    await tx.query(
      `INSERT INTO version_analysis (version_id, document_id, status, language, note, provision_count, typed_count, previous_version_id,
         reused_from_version_id, source_change, material, summary, ai_differences, change_counts, model, classified, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [v.id, v.document_id, status, lang.language, note, stored.length, typed, prevId ?? null, reuseFrom ?? null, sourceChange,
        change ? change.material : null, summary, JSON.stringify(change?.aiTraining.differences ?? []), JSON.stringify(changeCounts),
        ctx.analyser.model, classified, ms],
    );
    await tx.query(
      `INSERT INTO platform_analysis (platform_id, stale) VALUES ($1, true) ON CONFLICT (platform_id) DO UPDATE SET stale = true`,
      [v.platform_id],
    );
    // Last, as captures do: the log row stays locked until commit, so the append comes after everything else.
    await logProvisionTexts(tx, newTextIds);
    return { stored, outcome: { versionId: v.id, skipped: false, status, provisions: stored.length, classified, material: change ? change.material : null, summary, ms } };
  });
  if (!out) return { versionId: v.id, skipped: true };
  ctx.last = { versionId: v.id, provisions: out.stored };
  return out.outcome;
}

/** Fills `results` for texts it lacks: from stored classifications by the same model, else the classifier. */
async function classifyMissing(tx: Queryable, texts: string[], results: Map<string, ClauseResult>, lang: { language: string; analysable: boolean }, ctx: AnalyseContext): Promise<void> {
  const missing = [...new Set(texts.filter((t) => !results.has(t)))];
  if (!missing.length) return;
  if (!lang.analysable) {
    const none = notClassified(lang.language, 1)[0]!;
    for (const t of missing) results.set(t, none);
    return;
  }
  const shas = missing.map((t) => sha256Hex(t));
  const rows = await tx.query<{ text_sha256: string; language: string; analysed: boolean; types: { id: string; score: number }[]; severity: ClauseResult['severity']; severity_reasons: string[] }>(
    `SELECT DISTINCT ON (text_sha256) text_sha256, language, analysed, types, severity, severity_reasons
     FROM provision_texts WHERE text_sha256 = ANY($1::text[]) AND model = $2 ORDER BY text_sha256, id DESC`,
    [shas, ctx.analyser.model],
  );
  const bySha = new Map(rows.map((r) => [r.text_sha256, r]));
  const todo: string[] = [];
  missing.forEach((t, i) => {
    const r = bySha.get(shas[i]!);
    if (r) results.set(t, { language: r.language, analysed: r.analysed, types: r.types ?? [], severity: r.severity, severityReasons: r.severity_reasons ?? [] });
    else todo.push(t);
  });
  const fresh = ctx.analyser.classify(todo);
  todo.forEach((t, i) => results.set(t, fresh[i]!));
}

/**
 * Provision ids for the next version: carried over from the previous version for unchanged and modified
 * provisions (same key, or a modified pair of analyseChange); an added provision resumes a provision of
 * the document that once had the same key and is not in this version (pages flap, re-runs keep ids),
 * else gets a new provision.
 */
async function assignProvisions(tx: Queryable, v: VersionMeta, prev: StoredProvision[], next: Provision[], change: ChangeAnalysis | undefined): Promise<Assigned[]> {
  const prevByKey = new Map(prev.map((p) => [p.key, p]));
  const modified = new Map<string, StoredProvision>();
  for (const c of change?.changes ?? []) {
    if (c.kind !== 'modified') continue;
    const before = prevByKey.get(c.provisionKeys[0]!);
    if (before && c.provisionKeys[1]) modified.set(c.provisionKeys[1], before);
  }
  const used = new Set<number>();
  const out: (Assigned | { p: Provision; provisionId?: undefined })[] = next.map((p) => {
    const before = prevByKey.get(p.key) ?? modified.get(p.key);
    if (before && !used.has(before.provisionId)) {
      used.add(before.provisionId);
      return { p, provisionId: before.provisionId, before, created: false };
    }
    return { p };
  });
  const added = out.filter((a) => a.provisionId === undefined);
  if (!added.length) return out as Assigned[];

  const keys = [...new Set(added.map((a) => a.p.key))];
  // The provision first seen with this key comes first (so a re-run finds the same ids), then the latest.
  const known = await tx.query<{ provision_id: number; key: string }>(
    `SELECT t.provision_id, t.key FROM provision_texts t JOIN provisions p ON p.id = t.provision_id
     WHERE t.document_id = $1 AND t.key = ANY($2::text[]) ORDER BY (p.lineage = t.key) DESC, t.id DESC`,
    [v.document_id, keys],
  );
  const candidates = new Map<string, number[]>();
  for (const r of known) candidates.set(r.key, [...(candidates.get(r.key) ?? []), Number(r.provision_id)]);
  const fresh: typeof added = [];
  for (const a of added) {
    const id = (candidates.get(a.p.key) ?? []).find((c) => !used.has(c));
    if (id === undefined) {
      fresh.push(a);
      continue;
    }
    used.add(id);
    Object.assign(a, { provisionId: id, created: false });
  }
  if (fresh.length) {
    const taken = new Set(
      (await tx.query<{ lineage: string }>('SELECT lineage FROM provisions WHERE document_id = $1 AND lineage = ANY($2::text[])', [v.document_id, fresh.map((a) => a.p.key)])).map((r) => r.lineage),
    );
    const lineages = fresh.map((a) => {
      // A key already naming another provision (that provision now has another text) gets a unique suffix.
      const l = taken.has(a.p.key) ? `${a.p.key}.${v.id}.${a.p.ordinal}` : a.p.key;
      taken.add(l);
      return l;
    });
    const rows = await tx.query<{ id: number; lineage: string }>(
      `INSERT INTO provisions (document_id, lineage, first_version_id, first_seen)
       SELECT $1, l, $2, $3 FROM unnest($4::text[]) AS u(l) RETURNING id, lineage`,
      [v.document_id, v.id, v.recorded_at, lineages],
    );
    const byLineage = new Map(rows.map((r) => [r.lineage, Number(r.id)]));
    fresh.forEach((a, i) => Object.assign(a, { provisionId: byLineage.get(lineages[i]!)!, created: true }));
  }
  return out as Assigned[];
}

/** Text ids for every assigned provision, inserting the texts not stored yet; returns the inserted ids. */
async function resolveTexts(tx: Queryable, v: VersionMeta, assigned: Assigned[], results: Map<string, ClauseResult>, ctx: AnalyseContext): Promise<number[]> {
  const need: { a: Assigned; sha: string }[] = [];
  for (const a of assigned) {
    if (a.textId !== undefined) continue;
    if (a.before && a.before.key === a.p.key && a.before.text === a.p.text) a.textId = a.before.textId;
    else need.push({ a, sha: sha256Hex(a.p.text) });
  }
  if (ctx.reclassify) await refreshStale(tx, assigned, results, ctx);
  if (!need.length) return [];
  const found = await tx.query<{ id: number; provision_id: number; key: string; text_sha256: string; model: string | null }>(
    `SELECT t.id, t.provision_id, t.key, t.text_sha256, t.model FROM provision_texts t
     JOIN unnest($1::int[], $2::text[], $3::text[]) AS u(p, k, s) ON t.provision_id = u.p AND t.key = u.k AND t.text_sha256 = u.s`,
    [need.map((n) => n.a.provisionId), need.map((n) => n.a.p.key), need.map((n) => n.sha)],
  );
  const ident = (p: number, k: string, s: string) => `${p}\u0000${k}\u0000${s}`;
  const existing = new Map(found.map((r) => [ident(Number(r.provision_id), r.key, r.text_sha256), r]));
  const stale: { id: number; text: string }[] = [];
  const insert: { a: Assigned; sha: string }[] = [];
  const seen = new Map<string, { a: Assigned; sha: string }[]>();
  for (const n of need) {
    const id = ident(n.a.provisionId, n.a.p.key, n.sha);
    const row = existing.get(id);
    if (row) {
      n.a.textId = Number(row.id);
      if (ctx.reclassify && row.model !== ctx.analyser.model) stale.push({ id: Number(row.id), text: n.a.p.text });
      continue;
    }
    // Keys are unique within a version, so one provision never needs the same text row twice; guard anyway.
    const group = seen.get(id);
    if (group) group.push(n);
    else {
      seen.set(id, [n]);
      insert.push(n);
    }
  }
  if (stale.length) await updateClassifications(tx, stale, results, ctx);
  if (!insert.length) return [];
  // Parallel arrays through unnest: much cheaper than a JSON payload expanded row by row. Arrays of
  // strings (section, columns, type ids) travel joined with U+0001, which no heading or cell contains.
  const col = <T>(f: (n: { a: Assigned; sha: string }, r: ClauseResult) => T) => insert.map((n) => f(n, results.get(n.a.p.text)!));
  const ids = await tx.query<{ id: number; provision_id: number; key: string; text_sha256: string }>(
    `INSERT INTO provision_texts (provision_id, document_id, key, text_sha256, body, section, kind, columns, first_version_id,
       language, analysed, types, type_ids, severity, severity_reasons, model)
     SELECT p, $1, k, s, b, string_to_array(sec, E'\\x01'), kind, string_to_array(cols, E'\\x01'), $2,
       lang, an, types, string_to_array(tids, E'\\x01'), sev, why, model
     FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[],
       $12::jsonb[], $13::text[], $14::text[], $15::jsonb[], $16::text[]) WITH ORDINALITY
       AS u(p, k, s, b, sec, kind, cols, lang, an, types, tids, sev, why, model, i)
     ORDER BY i
     RETURNING id, provision_id, key, text_sha256`,
    [
      v.document_id,
      v.id,
      col((n) => n.a.provisionId),
      col((n) => n.a.p.key),
      col((n) => n.sha),
      col((n) => n.a.p.text),
      col((n) => joinList(n.a.p.section)),
      col((n) => n.a.p.kind),
      col((n) => (n.a.p.columns ? joinList(n.a.p.columns) : null)),
      col((_, r) => r.language),
      col((_, r) => r.analysed),
      col((_, r) => JSON.stringify(r.types)),
      col((_, r) => joinList(r.types.map((t) => t.id))),
      col((_, r) => r.severity),
      col((_, r) => JSON.stringify(r.severityReasons)),
      col((_, r) => (r.analysed ? ctx.analyser.model : null)),
    ],
  );
  const byIdent = new Map(ids.map((r) => [ident(Number(r.provision_id), r.key, r.text_sha256), Number(r.id)]));
  for (const [id, group] of seen) for (const n of group) n.a.textId = byIdent.get(id)!;
  return ids.map((r) => Number(r.id));
}

const SEP = '\u0001';
function joinList(xs: readonly string[]): string {
  return xs.map((x) => x.replaceAll(SEP, ' ')).join(SEP);
}

/** Re-run: texts carried over from the previous version keep their rows; their classification is redone if stale. */
async function refreshStale(tx: Queryable, assigned: Assigned[], results: Map<string, ClauseResult>, ctx: AnalyseContext): Promise<void> {
  const carried = assigned.filter((a) => a.textId !== undefined);
  if (!carried.length) return;
  const rows = await tx.query<{ id: number }>('SELECT id FROM provision_texts WHERE id = ANY($1::int[]) AND model IS DISTINCT FROM $2 AND analysed', [
    carried.map((a) => a.textId!),
    ctx.analyser.model,
  ]);
  const staleIds = new Set(rows.map((r) => Number(r.id)));
  await updateClassifications(tx, carried.filter((a) => staleIds.has(a.textId!)).map((a) => ({ id: a.textId!, text: a.p.text })), results, ctx);
}

async function updateClassifications(tx: Queryable, stale: { id: number; text: string }[], results: Map<string, ClauseResult>, ctx: AnalyseContext): Promise<void> {
  if (!stale.length) return;
  const payload = stale.map((s) => {
    const r = results.get(s.text)!;
    return { id: s.id, lang: r.language, an: r.analysed, types: r.types, sev: r.severity, why: r.severityReasons, model: r.analysed ? ctx.analyser.model : null };
  });
  await tx.query(
    `UPDATE provision_texts t SET language = x->>'lang', analysed = (x->>'an')::boolean, types = x->'types',
       type_ids = ARRAY(SELECT jsonb_array_elements(x->'types')->>'id'), severity = x->>'sev', severity_reasons = x->'why',
       model = x->>'model', classified_at = now()
     FROM jsonb_array_elements($1::jsonb) AS x WHERE t.id = (x->>'id')::int`,
    [JSON.stringify(payload)],
  );
}

/** First seen, changed on, removed on and current text of the provisions this version touches. */
async function updateProvisionState(tx: Queryable, v: VersionMeta, assigned: Assigned[], prev: StoredProvision[]): Promise<void> {
  const touched = assigned.filter((a) => !a.before || a.before.textId !== a.textId);
  if (touched.length) {
    await tx.query(
      `UPDATE provisions p SET current_text_id = u.t, removed_version_id = NULL, removed_on = NULL,
         first_version_id = COALESCE(p.first_version_id, $1), first_seen = COALESCE(p.first_seen, $2)
       FROM unnest($3::int[], $4::int[]) AS u(id, t) WHERE p.id = u.id`,
      [v.id, v.recorded_at, touched.map((a) => a.provisionId), touched.map((a) => a.textId!)],
    );
  }
  // A re-extraction changes our copy, not the source: it is not a date on which the provision changed.
  const changed = v.kind === 'reextraction' ? [] : touched.filter((a) => a.before).map((a) => a.provisionId);
  if (changed.length) {
    await tx.query('UPDATE provisions SET last_changed_version_id = $1, last_changed_on = $2 WHERE id = ANY($3::int[])', [v.id, v.recorded_at, changed]);
  }
  const present = new Set(assigned.map((a) => a.provisionId));
  const gone = prev.filter((p) => !present.has(p.provisionId)).map((p) => p.provisionId);
  if (gone.length) {
    await tx.query('UPDATE provisions SET removed_version_id = $1, removed_on = $2 WHERE id = ANY($3::int[])', [v.id, v.recorded_at, gone]);
  }
}

/** One row per provision-level change, with the provision it concerns and the texts before and after. */
async function insertChanges(
  tx: Queryable,
  v: VersionMeta,
  change: ChangeAnalysis | undefined,
  prev: StoredProvision[],
  stored: StoredProvision[],
  assigned: Assigned[],
): Promise<Record<string, number>> {
  const counts = { added: 0, removed: 0, modified: 0, material: 0 };
  if (!change) return counts;
  const prevByKey = new Map(prev.map((p) => [p.key, p]));
  const nextByKey = new Map(stored.map((p) => [p.key, p]));
  const createdIds = new Set(assigned.filter((a) => a.created).map((a) => a.provisionId));
  const rows: Record<string, unknown>[] = [];
  change.changes.forEach((c, i) => {
    const before = c.kind === 'added' ? undefined : prevByKey.get(c.provisionKeys[0]!);
    const after = c.kind === 'removed' ? undefined : nextByKey.get(c.provisionKeys[c.kind === 'modified' ? 1 : 0]!);
    const provisionId = after?.provisionId ?? before?.provisionId;
    if (provisionId === undefined) return;
    counts[c.kind]++;
    if (c.material) counts.material++;
    rows.push({
      o: i,
      k: c.kind,
      p: provisionId,
      bt: before?.textId ?? null,
      at: after?.textId ?? null,
      sec: c.section,
      types: c.types,
      m: c.material,
      why: c.cosmeticReason ?? null,
      ret: c.kind === 'added' && !createdIds.has(provisionId),
      s: c.summary,
    });
  });
  if (rows.length) {
    await tx.query(
      `INSERT INTO provision_changes (version_id, ordinal, kind, provision_id, before_text_id, after_text_id, section, types, material, cosmetic_reason, returned, summary)
       SELECT $2, (x->>'o')::int, x->>'k', (x->>'p')::int, (x->>'bt')::int, (x->>'at')::int,
         ARRAY(SELECT jsonb_array_elements_text(x->'sec')), ARRAY(SELECT jsonb_array_elements_text(x->'types')),
         (x->>'m')::boolean, x->>'why', (x->>'ret')::boolean, x->>'s'
       FROM jsonb_array_elements($1::jsonb) AS x`,
      [JSON.stringify(rows), v.id],
    );
  }
  return counts;
}

/** Records that a version's analysis failed, so automatic runs move on; `clausewatch analyse` retries it. */
export async function recordFailure(db: Db, v: VersionMeta, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  await db.query(
    `INSERT INTO version_analysis (version_id, document_id, status, language, note, summary, source_change)
     VALUES ($1, $2, 'failed', 'und', $3, $4, $5) ON CONFLICT (version_id) DO NOTHING`,
    [v.id, v.document_id, message.slice(0, 2000), `Analysis failed: ${message.slice(0, 300)}`, v.kind !== 'reextraction'],
  );
}
