// JSON Schemas of the analysis-layer API responses (provisions, clause types, platform analysis,
// material changes). Registered in the same NAMED map as schemas.ts, so they become OpenAPI components.
import { PlatformRef, named, str, int, num, bool, dateTime, nullable, arr, obj, rid, sha, path, type Schema } from './schemas.ts';

const severity = nullable({ type: 'string', enum: ['high', 'medium', 'low', 'positive'] });
const marks = { confirmed: { ...bool, description: 'false: the regulations reference marks this unconfirmed; never state it as fact' }, secondary: bool };

export const DocumentRefA = named('DocumentRef', obj({ record: rid('D'), key: str, name: str, type: str, links: obj({ page: path, api: path }) }));
export const ClauseTypeRef = named('ClauseTypeRef', obj({ id: str, title: str, category: str, score: num }, ['score']));

export const AiTraining = named('AiTraining', {
  type: 'object',
  description: 'plan → default (on/off/never/unstated), opt-out, steps per surface, exceptions; every fact cites CW-P- provisions and CW-V- versions',
  properties: {
    plans: arr(obj({ plan: str, default: { type: 'string', enum: ['on', 'off', 'never', 'unstated'] }, optOut: nullable(bool), evidence: arr(rid('P')), versions: arr(rid('V')) })),
    optOutSteps: arr(obj({ surface: str, steps: arr(str), evidence: arr(rid('P')), versions: arr(rid('V')) })),
    exceptions: arr(obj({ kind: str, evidence: arr(rid('P')), versions: arr(rid('V')) })),
    documents: int,
  },
  required: ['plans', 'optOutSteps', 'exceptions'],
});

export const Regulation = named('Regulation', obj({
  id: str,
  name: str,
  jurisdiction: str,
  relation: { type: 'string', enum: ['DR', 'MR'], description: 'DR directly regulates, MR may be relevant' },
  ...marks,
  articles: arr(obj({ id: str, summary: nullable(str), ...marks })),
}));
export const Regulator = named('Regulator', obj({ id: str, name: str, jurisdiction: str, ...marks, takes: str, complaint: arr(obj({ url: str, confirmed: bool })) }));

const OtherPlatform = obj({
  platform: PlatformRef,
  severity,
  provisions: int,
  example: obj({ record: rid('P'), severity, excerpt: nullable(str), links: obj({ page: path, api: path }) }),
});

export const ProvisionDetail = named('ProvisionDetail', obj({
  record: rid('P'),
  title: str,
  platform: PlatformRef,
  document: DocumentRefA,
  severity,
  severity_reasons: arr(str),
  types: arr(ClauseTypeRef),
  section: arr(str),
  kind: str,
  text: str,
  text_sha256: sha,
  language: str,
  analysed: bool,
  model: nullable(str),
  classified_at: dateTime,
  first_seen: nullable(dateTime),
  last_changed_on: nullable(dateTime),
  removed_on: nullable(dateTime),
  version: obj({ record: rid('V'), recorded_at: dateTime, text_sha256: sha, links: obj({ page: path, api: path }) }),
  prevalence: obj({ clause_type: nullable(str), found: int, of: int, others_total: int, others: arr(OtherPlatform) }),
  history: arr(obj({ version: rid('V'), previous: nullable(rid('V')), recorded_at: dateTime, kind: str, material: bool, cosmetic_reason: nullable(str), returned: bool, source_change: bool, summary: str })),
  what_you_can_do: obj({ actions: arr(obj({ clause_type: str, title: str, actions: arr(str) })), opt_out_steps: arr(obj({ surface: str, steps: arr(str), evidence: arr(rid('P')) })) }),
  ai_training: nullable(AiTraining),
  regulations: arr(Regulation),
  regulators: arr(Regulator),
  tracking: obj({
    first_tracked_at: nullable(dateTime),
    last_verified_at: nullable(dateTime),
    source_url: nullable(str),
    archive_url: nullable(str),
    snapshot: nullable(obj({ record: rid('S'), sha256: sha, fetched_at: dateTime, links: obj({ page: path, raw: path }) })),
  }),
  evidence: nullable(obj({ leaf_index: int, leaf_hash: str, logged_at: dateTime, checkpoint: nullable(obj({ id: int, size: int, root: str, signed_at: dateTime })), inclusion_proof: nullable(arr(str)) })),
  citations: { type: 'object', additionalProperties: str, description: 'format → citation text (text, bluebook, bibtex, ris, csl-json)' },
  links: obj({ page: path, api: path, pdf: path, evidence_bundle: path, clause_type: nullable(path) }),
}));

export const ProvisionHitS = named('ProvisionHit', obj({
  record: rid('P'),
  title: str,
  severity,
  types: arr(ClauseTypeRef),
  section: arr(str),
  excerpt: str,
  first_seen: nullable(dateTime),
  platform: obj({ slug: str, name: str }),
  document: obj({ key: str, name: str }),
  links: obj({ page: path, api: path }),
}));
export const ProvisionSearchS = named('ProvisionSearch', obj({ total: int, page: int, limit: int, results: arr(ProvisionHitS) }));

export const ClauseTypeSummary = named('ClauseTypeSummary', obj({
  id: str,
  title: str,
  category: str,
  question: str,
  polarity: str,
  default_severity: str,
  platforms: int,
  of: int,
  links: obj({ page: path, api: path, feed: path }),
}));
export const ClauseTypeList = named('ClauseTypeList', obj({ categories: arr(obj({ id: str, title: str })), clause_types: arr(ClauseTypeSummary) }));
export const ClauseTypeDetail = named('ClauseTypeDetail', obj({
  clause_type: ClauseTypeSummary,
  consumer_impact: str,
  actions: arr(str),
  found: int,
  of: int,
  groups: arr(obj({ severity: nullable(str), platforms: arr(OtherPlatform) })),
  regulations: arr(Regulation),
  regulators: arr(Regulator),
}));

export const PlatformAnalysisS = named('PlatformAnalysis', obj({
  platform: PlatformRef,
  analysed: bool,
  stale: bool,
  computed_at: nullable(dateTime),
  grade: nullable(str),
  score: nullable(num),
  grade_reasons: arr(str),
  provision_counts: nullable({ type: 'object', additionalProperties: int }),
  clause_counts: nullable({ type: 'object', additionalProperties: int }),
  material_changes_30_days: int,
  ai_training: nullable(AiTraining),
  provisions_by_severity: arr(obj({ record: rid('P'), severity: str, clause_type: nullable(str), excerpt: str, document: obj({ key: str, name: str }), links: obj({ page: path, api: path }) })),
  links: obj({ page: path, report_pdf: path, monitor: str }),
}));

export const MaterialChange = named('MaterialChange', obj({
  version: rid('V'),
  previous: nullable(rid('V')),
  recorded_at: dateTime,
  summary: str,
  ai_training_differences: arr(str),
  counts: { type: 'object', additionalProperties: int },
  clause_types: arr(str),
  platform: obj({ slug: str, name: str }),
  document: obj({ key: str, name: str, type: str }),
  links: obj({ page: path, diff: nullable(path), api: path }),
}));
export const MaterialChangeList = named('MaterialChangeList', obj({ changes: arr(MaterialChange), next_cursor: nullable(str) }));
