// The unit of analysis: one paragraph, list item or table row of a document version.

export type ProvisionKind = 'paragraph' | 'list-item' | 'table-row' | 'heading-text';

export interface Provision {
  /** Identity within and across versions: sha256 of normalised section path + normalised text, 16 hex digits. */
  key: string;
  /** Heading path, outermost first, as visible text (anchor markup removed). */
  section: string[];
  kind: ProvisionKind;
  /** The provision's Markdown as written (inline links kept; list bullets dropped, ordered-list numbers kept). */
  text: string;
  /** Position in the document, 0-based. */
  ordinal: number;
  /**
   * Follows one provision through its history: equal to `key` when first seen, carried over by
   * matchProvisions to the modified successor so edits do not break the thread.
   */
  lineage: string;
  /** Header cells of the table a table row belongs to, when the table has a header. */
  columns?: string[];
}
