// What a platform's documents say about using customer data to train AI models.

export type TrainingDefault = 'on' | 'off' | 'never' | 'unstated';
export type Surface = 'web' | 'ios' | 'android' | 'api' | 'other';
export type ExceptionKind = 'feedback' | 'flagged-content' | 'opt-in' | 'legal-obligation';

/** A provision from any of the platform's documents; ids must be unique across documents. */
export interface FactProvision {
  id: string;
  text: string;
  /** Heading path (or a single heading string). */
  section: string[] | string;
  /** For a table row: the table's header cells, so "Free | Yes" can be read as "Free: used for training". */
  columns?: string[];
  /** Provision kind from splitProvisions; list items after a "you will not:" lead-in are read as prohibitions. */
  kind?: string;
}

export interface PlanFact {
  /** Canonical plan name ("Team" for "le Chat Teams"), or "Other plans" / "All" for statements that name none. */
  plan: string;
  default: TrainingDefault;
  /** true: an opt-out is offered; false: it is said there is none; null: not stated. */
  optOut: boolean | null;
  /** Provision ids the fact rests on, in input order. */
  evidence: string[];
}

export interface OptOutSteps {
  surface: Surface;
  /** Clean, ordered, human-readable instructions. */
  steps: string[];
  evidence: string[];
}

export interface TrainingException {
  /** Data used for training even when training is otherwise off or opted out of. */
  kind: ExceptionKind;
  evidence: string[];
}

export interface AiTrainingFacts {
  plans: PlanFact[];
  optOutSteps: OptOutSteps[];
  exceptions: TrainingException[];
}

export interface FactOptions {
  /** Product names, besides the built-in list, after which a plan word names a plan ("Nimbus Plus"). */
  products?: string[];
}
