import type { Command } from 'commander';
import { withDb, UsageError, FailuresFound } from '../context.ts';
import { evidenceConfig, loadPublicKey, loadSigner } from '../../evidence/config.ts';
import { getCheckpoint, latestCheckpoint, listCheckpoints, makeCheckpoint, proveConsistency, timestampOptions } from '../../evidence/checkpoint-store.ts';
import type { StoredCheckpoint } from '../../evidence/checkpoint-store.ts';
import type { Queryable } from '../../store/db.ts';
import { isoDate, printJson, table } from '../format.ts';

function describe(cp: StoredCheckpoint) {
  return {
    id: cp.id,
    size: cp.size,
    root: cp.root.toString('base64'),
    signedAt: cp.signedAt.toISOString(),
    keyId: cp.keyId,
    timestamp: cp.timestampTime ? { tsa: cp.tsaUrl, time: cp.timestampTime.toISOString() } : null,
    note: cp.note,
  };
}

async function resolve(db: Queryable, ref: string): Promise<StoredCheckpoint> {
  if (ref === 'latest') {
    const cp = await latestCheckpoint(db);
    if (!cp) throw new UsageError('there is no checkpoint yet (run `clausewatch checkpoint`)');
    return cp;
  }
  const n = Number(ref.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`"${ref}" is not a checkpoint number (see \`clausewatch checkpoint --list\`) or "latest"`);
  const cp = await getCheckpoint(db, n);
  if (!cp) throw new UsageError(`there is no checkpoint #${n} (see \`clausewatch checkpoint --list\`)`);
  return cp;
}

export function registerCheckpoint(program: Command): void {
  program
    .command('checkpoint')
    .description('sign a checkpoint of the evidence log now; or list them; or prove two of them consistent')
    .option('--list', 'list the stored checkpoints')
    .option('--consistency <checkpoint...>', 'prove that checkpoint B extends checkpoint A (two numbers from --list, or "latest")')
    .option('--json', 'print one JSON object')
    .action(async (opts: { list?: boolean; consistency?: string[]; json?: boolean }) => {
      if (opts.list && opts.consistency) throw new UsageError('--list and --consistency do not go together');
      if (opts.consistency && opts.consistency.length !== 2) throw new UsageError('--consistency takes two checkpoints, e.g. --consistency 1 latest');
      const config = evidenceConfig();
      await withDb(async (db) => {
        if (opts.list) {
          const all = await listCheckpoints(db);
          if (opts.json) return printJson({ checkpoints: all.map(describe) });
          if (!all.length) return void process.stdout.write('no checkpoints yet\n');
          process.stdout.write(table(all.map((c) => [`#${c.id}`, c.size, c.root.toString('base64'), isoDate(c.signedAt), c.keyId, c.timestampTime ? isoDate(c.timestampTime) : '-']), ['checkpoint', 'size', 'root', 'signed', 'key id', 'RFC 3161 time']) + '\n');
          return;
        }
        if (opts.consistency) {
          const [a, b] = [await resolve(db, opts.consistency[0]!), await resolve(db, opts.consistency[1]!)];
          const key = loadPublicKey(config);
          if ('missing' in key) throw new FailuresFound(`cannot check signatures: ${key.missing}`);
          const r = await proveConsistency(db, a, b, key.publicKey);
          if (opts.json) {
            printJson({ ok: r.ok, from: describe(r.from), to: describe(r.to), proof: r.proof.map((h) => h.toString('hex')), checks: r.checks });
          } else {
            for (const c of r.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
            process.stdout.write(`proof (${r.proof.length} hashes, RFC 9162 PROOF(${r.from.size}, ${r.to.size})):\n${r.proof.map((h) => `  ${h.toString('hex')}\n`).join('')}`);
            process.stdout.write(r.ok ? `CONSISTENT: checkpoint #${r.to.id} (size ${r.to.size}) extends checkpoint #${r.from.id} (size ${r.from.size})\n` : 'NOT CONSISTENT\n');
          }
          if (!r.ok) throw new FailuresFound('');
          return;
        }
        const made = await makeCheckpoint(db, loadSigner(config), timestampOptions(config));
        if (opts.json) return printJson({ created: made.created, backfilled: made.backfilled, checkpoint: describe(made.checkpoint) });
        const cp = made.checkpoint;
        if (made.backfilled) process.stderr.write(`appended ${made.backfilled} records from before the log existed\n`);
        process.stdout.write(`checkpoint #${cp.id}: ${cp.size} leaves, root ${cp.root.toString('base64')}${cp.timestampTime ? `, RFC 3161 time ${cp.timestampTime.toISOString()}` : ''}\n\n${cp.note}`);
      });
    });
}
