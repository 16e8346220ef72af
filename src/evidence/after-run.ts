// What the evidence layer does when a job has finished recording: sign a checkpoint when the log
// grew and, when configured, have Save Page Now archive the pages that changed. Jobs call this
// one function; it never throws, because the records are safely committed already.

import type { Db } from '../store/db.ts';
import { checkpointAfterRun } from './checkpoint-store.ts';
import type { AfterRunResult } from './checkpoint-store.ts';
import { evidenceConfig } from './config.ts';
import { archiveCaptures } from './save-page-now.ts';
import type { SpnResult } from './save-page-now.ts';

const CHANGED = new Set(['first', 'changed', 'returned']);

export interface AfterJobResult extends AfterRunResult {
  archived?: SpnResult[];
}

export async function afterJob(
  db: Db,
  opts: { captures?: readonly { outcome: string; captureId?: number }[]; warn?: (line: string) => void } = {},
): Promise<AfterJobResult> {
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  let config;
  try {
    config = evidenceConfig();
  } catch (err) {
    warn(`evidence: ${(err as Error).message}`);
    return { created: false, error: (err as Error).message };
  }
  const out: AfterJobResult = await checkpointAfterRun(db, config);
  if (out.error) warn(`evidence: no checkpoint made: ${out.error}`);
  if (config.spn && opts.captures) {
    const changed = opts.captures.filter((c) => CHANGED.has(c.outcome) && c.captureId !== undefined).map((c) => c.captureId!);
    try {
      out.archived = await archiveCaptures(db, changed, config.spn);
      for (const a of out.archived) if (a.status === 'error') warn(`evidence: Save Page Now did not archive ${a.url}: ${a.detail}`);
    } catch (err) {
      warn(`evidence: Save Page Now: ${(err as Error).message}`);
    }
  }
  return out;
}
