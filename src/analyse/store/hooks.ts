// What the recording jobs call after they record: analysis of the new versions. Never fails the job that
// recorded them: a version whose analysis could not run stays pending (or marked failed) for
// `clausewatch analyse`. CLAUSEWATCH_ANALYSE=0 defers all analysis to that command.
import type { Db } from '../../store/db.ts';
import { analysePending, type AnalyseRunOptions, type AnalyseRunSummary } from './pending.ts';

const CREATES_VERSION = new Set(['first', 'changed', 'returned', 'reextraction']);

export function analysisEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CLAUSEWATCH_ANALYSE ?? '').trim().toLowerCase();
  return !['0', 'off', 'false', 'no'].includes(v);
}

function warn(what: string, err: unknown): void {
  process.stderr.write(`clausewatch: analysis ${what} failed: ${(err as Error)?.message ?? err} (the versions stay pending: run \`clausewatch analyse\`)\n`);
}

/**
 * After one capture: analyses the version it recorded (and any older pending version of the document).
 * An unchanged capture returns at once: it neither loads the model nor touches the database.
 */
export async function analyseCaptured(db: Db, result: { outcome: string; versionId?: number }): Promise<AnalyseRunSummary | undefined> {
  if (!result.versionId || !CREATES_VERSION.has(result.outcome) || !analysisEnabled()) return undefined;
  try {
    const doc = await db.query<{ document_id: number }>('SELECT document_id FROM versions WHERE id = $1', [result.versionId]);
    if (!doc[0]) return undefined;
    return await analysePending(db, { documentIds: [Number(doc[0].document_id)] });
  } catch (err) {
    warn(`of version ${result.versionId}`, err);
    return undefined;
  }
}

/** After a batch (a replayed folder, an import, the sample): every pending version in scope, in one drain. */
export async function analyseBatch(db: Db, opts: Pick<AnalyseRunOptions, 'documentIds' | 'platformIds' | 'onVersion'> = {}): Promise<AnalyseRunSummary | undefined> {
  if (!analysisEnabled()) return undefined;
  try {
    return await analysePending(db, opts);
  } catch (err) {
    warn('after the batch', err);
    return undefined;
  }
}
