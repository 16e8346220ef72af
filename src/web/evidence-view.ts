// The evidence layer (src/evidence) on our pages: a record's place in the Merkle log with its inclusion
// proof against the latest signed checkpoint, the commands to check it offline, the evidence bundle
// download, and ready citations. The evidence layer computes; this file only shows.
import type { Queryable } from '../store/db.ts';
import { citationSource, logEntryOf, logEntryWithProof, RecordNotFound, type LogEntryInfo } from '../evidence/record-sources.ts';
import type { StoredCheckpoint } from '../evidence/checkpoint-store.ts';
import type { ProvisionLeaf } from './read/provisions.ts';
import { CITATION_FORMATS, formatCitation, type CitationFormat, type CitationSource } from '../evidence/citation.ts';
import { html, type Html } from './html.ts';
import { externalLink, facts } from './templates/components.ts';
import { safeUrl } from './html.ts';
import { time } from './format.ts';

export interface EvidenceInfo {
  record: string;
  log?: LogEntryInfo;
  /** Where the evidence bundle of this record can be downloaded (when this server holds the log key). */
  bundlePath?: string;
  /** The log's public verifier key ("origin+keyid+key"), when known. */
  verifierKey?: string;
}

export async function evidenceInfo(q: Queryable, record: string, opts: { bundlePath?: string; verifierKey?: string }): Promise<EvidenceInfo> {
  return { record, log: await logEntryOf(q, record), ...opts };
}

/**
 * A provision's evidence: each distinct provision text is one leaf of kind "provision" (keyed by its
 * provision_texts row), so the page shows the leaf of the text it displays, with its inclusion proof. The leaf
 * and the latest checkpoint come already read with the page's rows (see provisionPageRows).
 */
export async function provisionEvidenceFrom(
  q: Queryable,
  record: string,
  leaf: ProvisionLeaf | undefined,
  cp: Pick<StoredCheckpoint, 'id' | 'size' | 'root' | 'signedAt'> | undefined,
  opts: { bundlePath?: string; verifierKey?: string; archiveUrl?: string },
): Promise<EvidenceInfo> {
  if (!leaf) return { record, bundlePath: opts.bundlePath, verifierKey: opts.verifierKey };
  const log: LogEntryInfo = { ...(await logEntryWithProof(q, leaf, cp)), archiveUrl: opts.archiveUrl };
  return { record, log, bundlePath: opts.bundlePath, verifierKey: opts.verifierKey };
}

const FORMAT_LABELS: Record<CitationFormat, string> = { text: 'Plain text', bluebook: 'Bluebook', bibtex: 'BibTeX', ris: 'RIS', 'csl-json': 'CSL-JSON' };

export async function citationsOf(q: Queryable, record: string): Promise<{ format: CitationFormat; label: string; text: string }[]> {
  try {
    const src = await citationSource(q, record);
    return CITATION_FORMATS.map((format) => ({ format, label: FORMAT_LABELS[format], text: formatCitation(src, format) }));
  } catch (err) {
    if (err instanceof RecordNotFound) return [];
    throw err;
  }
}

/** The citation facts of a version (shared by all its provisions), or undefined when it cannot be cited. */
export async function versionCitationSource(q: Queryable, versionRecord: string): Promise<CitationSource | undefined> {
  try {
    return await citationSource(q, versionRecord);
  } catch (err) {
    if (err instanceof RecordNotFound) return undefined;
    throw err;
  }
}

/**
 * A provision's citations from its version's citation facts: what citationSource(CW-P-…) gives (the
 * provision's id, its text's hash, section path and first 20 words; the version's platform, title, dates
 * and URLs), without reading the version's facts again for each of its provisions. The tests check both agree.
 */
export function provisionCitations(version: CitationSource | undefined, p: { record: string; sha256: string; section: string[]; body: string }): { format: CitationFormat; label: string; text: string }[] {
  if (!version) return [];
  const section = p.section.filter(Boolean).join(' › ') || undefined;
  const src: CitationSource = { ...version, recordId: p.record, kind: 'provision', sha256: p.sha256, provision: { section, excerpt: p.body.split(/\s+/).slice(0, 20).join(' ') } };
  return CITATION_FORMATS.map((format) => ({ format, label: FORMAT_LABELS[format], text: formatCitation(src, format) }));
}

export function evidenceSection(e: EvidenceInfo, origin: string): Html {
  const log = e.log;
  return html`<section aria-labelledby="evidence-h" class="record">
    <h2 id="evidence-h">Evidence</h2>
    ${log
      ? facts([
          ['Log entry', html`leaf <strong>${String(log.leafIndex)}</strong>, logged ${time(log.loggedAt)}`],
          ['Leaf hash', html`<code class="sha">${log.leafHash}</code>`],
          ['Signed checkpoint', log.checkpoint ? html`#${String(log.checkpoint.id)}: tree of ${String(log.checkpoint.size)} leaves, signed ${time(log.checkpoint.signedAt)}` : html`<span class="muted">not yet covered by a signed checkpoint (one is signed after each tracking run)</span>`],
          ['Tree root', log.checkpoint ? html`<code class="sha">${log.checkpoint.root}</code>` : ''],
          ['Archived copy', log.archiveUrl ? externalLink(safeUrl(log.archiveUrl), log.archiveUrl) : ''],
        ])
      : html`<p class="muted">This record is not in the evidence log (it was recorded before the log existed and has not been backfilled yet).</p>`}
    ${log?.inclusionProof ? html`<details><summary>Inclusion proof (${String(log.inclusionProof.length)} hashes)</summary><ol class="proof">${log.inclusionProof.map((h) => html`<li><code class="sha">${h}</code></li>`)}</ol></details>` : ''}
    <details class="verify"><summary>Verify it yourself, offline</summary>
      ${e.bundlePath
        ? html`<p>Download the <a href="${e.bundlePath}" download>evidence bundle</a> (the record, its bytes, the inclusion proof, the signed checkpoint and the public key), then:</p>
          <pre><code>curl -sO ${origin}${e.bundlePath}
npx clausewatch verify-evidence ${e.record}.evidence.json${e.verifierKey ? ` --key '${e.verifierKey}'` : ''}</code></pre>`
        : html`<p>With a checkout of Clausewatch and this site's database:</p><pre><code>npx clausewatch export-evidence ${e.record} --out ${e.record}.evidence.json
npx clausewatch verify-evidence ${e.record}.evidence.json --key '…'</code></pre>`}
      <p>The verifier needs no database and no trust in this site: it recomputes the hashes, the path to the tree root and the checkpoint signature.</p>
    </details>
  </section>`;
}

export function citationSection(citations: { format: string; label: string; text: string }[], what = 'version'): Html {
  if (!citations.length) return html``;
  return html`<section aria-labelledby="cite-h">
    <h2 id="cite-h">Cite this ${what}</h2>
    ${citations.map((c, i) => html`<details${i === 0 ? html` open` : ''}><summary>${c.label}</summary><pre class="citation"><code>${c.text}</code></pre></details>`)}
  </section>`;
}
